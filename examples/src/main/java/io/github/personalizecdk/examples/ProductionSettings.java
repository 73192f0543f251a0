package io.github.personalizecdk.examples;

import io.github.personalizecdk.DatasetJobProvider;
import io.github.personalizecdk.PersonalizeHandlerOptions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.FlowLog;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IInterfaceVpcEndpointService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpoint;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The settings regulated accounts ask for, on when the app is synthesized with {@code -c production=true}:
 * the stack's handler, the Provider framework and the sample-data deployment run in a VPC without internet
 * access (isolated subnets, VPC endpoints for the services they call and open only to these functions, flow
 * logs); their logs are kept a year and encrypted with a customer-managed key; they are traced, have reserved
 * concurrency and run on arm64; the functions CloudFormation invokes asynchronously have a dead-letter queue.
 * Off by default: the VPC endpoints are billed by the hour.
 */
public record ProductionSettings(Vpc vpc, SubnetSelection subnets, SecurityGroup functions, Key key,
        RetentionDays logRetention, Queue deadLetters) {
    /** The context key that turns the settings on. */
    public static final String CONTEXT_KEY = "production";
    /**
     * Concurrency reserved for the handler and for each framework function: a resource in progress makes one
     * call at a time, and Personalize runs 5 imports at once. The four functions take 20 from the account's
     * pool, which must keep 100 unreserved: an account whose concurrency quota is below 121 refuses the deploy.
     */
    static final int HANDLER_CONCURRENCY = 5;

    /** @return the settings when the app's context turns them on, else {@code null} */
    static ProductionSettings applyIfEnabled(Stack stack) {
        Object flag = stack.getNode().tryGetContext(CONTEXT_KEY);
        if (flag == null || !Boolean.parseBoolean(flag.toString())) {
            return null;
        }
        Key key = Key.Builder.create(stack, "OperationsKey")
                .description("Encrypts the CloudWatch Logs and dead letters of " + stack.getStackName())
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        RetentionDays retention = RetentionDays.ONE_YEAR;
        Vpc vpc = privateNetwork(stack, key, retention);
        SecurityGroup functions = SecurityGroup.Builder.create(stack, "FunctionsSecurityGroup")
                .vpc(vpc)
                .description("Lambda functions of the stack, HTTPS to the VPC endpoints")
                .build();
        for (InterfaceVpcEndpoint endpoint : endpoints(vpc)) {
            endpoint.getConnections().allowFrom(functions, Port.tcp(443), "HTTPS from the stack's functions");
        }
        Queue deadLetters = Queue.Builder.create(stack, "DeadLetters")
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(key)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        ExampleBuckets.suppress(deadLetters.getNode().getDefaultChild(), ExampleBuckets.rule(
                "Serverless-SQSRedrivePolicy", "This queue is the dead-letter queue of the stack's asynchronously "
                        + "invoked functions; a dead-letter queue of its own would only hold the same events again.",
                null));
        SubnetSelection subnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
        DatasetJobProvider.configure(stack, PersonalizeHandlerOptions.builder()
                .vpc(vpc)
                .vpcSubnets(subnets)
                .securityGroups(List.of(functions))
                .logRetention(retention)
                .logEncryptionKey(key)
                .tracing(Tracing.ACTIVE)
                .reservedConcurrentExecutions(HANDLER_CONCURRENCY)
                .architecture(Architecture.ARM_64)
                .deadLetterQueue(deadLetters)
                .build());
        return new ProductionSettings(vpc, subnets, functions, key, retention, deadLetters);
    }

    /** Isolated subnets in two zones; every AWS call goes through an endpoint. */
    private static Vpc privateNetwork(Construct scope, Key logKey, RetentionDays retention) {
        LogGroup flowLogs = LogGroup.Builder.create(scope, "FlowLogs")
                .retention(retention)
                .encryptionKey(logKey)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Vpc vpc = Vpc.Builder.create(scope, "Network")
                .maxAzs(2)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("Isolated")
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .cidrMask(24)
                        .build()))
                .build();
        FlowLog flowLog = vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                .build());
        ExampleBuckets.inlinePolicyOfOwnRole(flowLog.getNode().findChild("IAMRole").getNode().findChild("DefaultPolicy")
                .getNode().getDefaultChild(), "the flow log's role");
        // S3: the sample data, and the custom-resource responses CloudFormation reads from a presigned S3 URL
        vpc.addGatewayEndpoint("S3", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.S3)
                .build());
        return vpc;
    }

    /**
     * The handler calls Personalize and CloudFormation, the framework Lambda and Step Functions, and every
     * traced function X-Ray. Each endpoint admits only the security groups it is opened to.
     */
    private static List<InterfaceVpcEndpoint> endpoints(Vpc vpc) {
        List<Map.Entry<String, IInterfaceVpcEndpointService>> services = List.of(
                Map.entry("Personalize", InterfaceVpcEndpointAwsService.PERSONALIZE),
                Map.entry("CloudFormation", InterfaceVpcEndpointAwsService.CLOUDFORMATION),
                Map.entry("Lambda", InterfaceVpcEndpointAwsService.LAMBDA),
                Map.entry("StepFunctions", InterfaceVpcEndpointAwsService.STEP_FUNCTIONS),
                Map.entry("XRay", InterfaceVpcEndpointAwsService.XRAY));
        return services.stream().map(service -> vpc.addInterfaceEndpoint(service.getKey(),
                InterfaceVpcEndpointOptions.builder()
                        .service(service.getValue())
                        .open(false)
                        .build())).toList();
    }
}
