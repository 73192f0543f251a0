package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/** {@link DatasetJobProvider#configure}: each production setting in the template, and its validation. */
class HandlerOptionsTest {
    private static final String HANDLER = "io.github.personalizecdk.handler.CustomResourceHandler::handleRequest";
    private static final String PATH = "DatasetJobProvider 'Stack/PersonalizeCdkJobProvider': ";

    /** A dataset with one import job: the handler, the framework and its three log groups. */
    private static void jobs(Stack stack) {
        Schema schema = Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build();
        new DatasetGroup(stack, "Group").addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build())
                .addImportJob("Import", DatasetImportJobOptions.builder()
                        .dataSource(DataSource.fromUri("s3://shared-data/imports/interactions.csv")).build());
    }

    private static Template configured(Stack stack, PersonalizeHandlerOptions options) {
        DatasetJobProvider.configure(stack, options);
        jobs(stack);
        return Template.fromStack(stack);
    }

    @Test
    void defaultOptionsLeaveTheTemplateUnchanged() {
        Stack plain = TestApps.stack();
        jobs(plain);
        Template expected = Template.fromStack(plain);

        Template template = configured(TestApps.stack(), PersonalizeHandlerOptions.builder().build());

        assertThat(template.toJSON()).isEqualTo(expected.toJSON());
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", HANDLER,
                "Architectures", Match.absent(), "TracingConfig", Match.absent(), "VpcConfig", Match.absent(),
                "ReservedConcurrentExecutions", Match.absent()));
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30,
                "KmsKeyId", Match.absent()));
    }

    @Test
    void vpcPlacementAppliesToTheHandlerAndTheFrameworkFunctions() {
        Stack stack = TestApps.stack();
        Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(2).build();
        SecurityGroup group = SecurityGroup.Builder.create(stack, "HandlerSg").vpc(vpc).build();

        Template template = configured(stack, PersonalizeHandlerOptions.builder()
                .vpc(vpc)
                .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build())
                .securityGroups(List.of(group))
                .build());

        List<Object> subnets = vpc.getPrivateSubnets().stream()
                .map(ISubnet.class::cast).map(s -> (Object) Map.of("Ref", TestApps.logicalId(s))).toList();
        assertThat(subnets).hasSize(2);
        Map<String, Object> vpcConfig = Map.of("VpcConfig", Map.of(
                "SecurityGroupIds", List.of(TestApps.getAtt(group, "GroupId")),
                "SubnetIds", subnets));
        template.resourceCountIs("AWS::Lambda::Function", 4);
        template.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(vpcConfig));
        template.resourceCountIs("AWS::EC2::SecurityGroup", 1); // the given one only
    }

    @Test
    void logRetentionAndKeyApplyToTheHandlerFrameworkAndWaiterLogGroups() {
        Stack stack = TestApps.stack();
        Key key = Key.Builder.create(stack, "LogKey").enableKeyRotation(true).build();

        Template template = configured(stack, PersonalizeHandlerOptions.builder()
                .logRetention(RetentionDays.ONE_YEAR)
                .logEncryptionKey(key)
                .build());

        template.resourceCountIs("AWS::Logs::LogGroup", 3);
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of(
                "RetentionInDays", 365,
                "KmsKeyId", TestApps.getAtt(key, "Arn")));
        template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName",
                Match.stringLikeRegexp("^/aws/vendedlogs/states/.+"), "KmsKeyId", TestApps.getAtt(key, "Arn")));
        Map<String, Object> logsArn = Map.of("Fn::Join", List.of("", List.of("arn:",
                Map.of("Ref", "AWS::Partition"), ":logs:", Map.of("Ref", "AWS::Region"), ":",
                Map.of("Ref", "AWS::AccountId"), ":log-group:*")));
        Map<String, Object> statement = Map.of(
                "Sid", "AllowCloudWatchLogsForPersonalizeCdkLogGroups",
                "Effect", "Allow",
                "Principal", Map.of("Service", Map.of("Fn::Join", List.of("", List.of(
                        "logs.", Map.of("Ref", "AWS::Region"), ".amazonaws.com")))),
                "Action", List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                        "kms:Describe*"),
                "Resource", "*",
                "Condition", Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn", logsArn)));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Map.of("Statement",
                Match.arrayWith(List.of(statement)))));
    }

    @Test
    void tracingReservedConcurrencyAndArchitectureApplyToTheHandlerAndTheFramework() {
        Template template = configured(TestApps.stack(), PersonalizeHandlerOptions.builder()
                .tracing(Tracing.ACTIVE)
                .reservedConcurrentExecutions(5)
                .architecture(Architecture.ARM_64)
                .build());

        template.resourceCountIs("AWS::Lambda::Function", 4);
        template.allResourcesProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "TracingConfig", Map.of("Mode", "Active"),
                "ReservedConcurrentExecutions", 5,
                "Architectures", List.of("arm64"))));
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "TracingConfiguration", Map.of("Enabled", true)));
        // Lambda's tracing needs the X-Ray write actions on every function's role, Step Functions' the sampling too
        assertThat(policiesWith(template, List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"), "*"))
                .hasSize(3);
        assertThat(policiesWith(template, List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords",
                "xray:GetSamplingRules", "xray:GetSamplingTargets"), "*")).hasSize(1);
    }

    @Test
    void theFrameworkFunctionsHaveAnExplicitMemorySize() {
        Stack stack = TestApps.stack();
        jobs(stack);

        Template template = Template.fromStack(stack);

        assertThat(template.findResources("AWS::Lambda::Function", Map.of("Properties",
                Map.of("MemorySize", DatasetJobProvider.FRAMEWORK_MEMORY_MB)))).hasSize(3);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", HANDLER, "MemorySize", 512));
    }

    @Test
    void theHandlersStatementsStayInItsRolesOnePolicyWhenTheFunctionAddsItsOwn() {
        // with tracing, the function adds a literal statement; without care aws-cdk-lib then writes each later
        // statement of the handler into a policy of its own ("inlinePolicyAddedToExecutionRole-N")
        Template template = configured(TestApps.stack(), PersonalizeHandlerOptions.builder()
                .tracing(Tracing.ACTIVE)
                .build());

        assertThat(template.findResources("AWS::IAM::Policy").keySet())
                .noneMatch(id -> id.contains("inlinePolicyAddedToExecutionRole"));
        Map<String, Map<String, Object>> handlerPolicies = template.findResources("AWS::IAM::Policy", Map.of(
                "Properties", Map.of("PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Action", "personalize:DescribeDatasetImportJob"))))))));
        assertThat(handlerPolicies).hasSize(1);
        assertThat(handlerPolicies.keySet().iterator().next()).startsWith("PersonalizeCdkJobProviderHandlerRole");
    }

    @Test
    void aVpcGivesEveryFunctionRoleLambdasNetworkInterfacePermissions() {
        Stack stack = TestApps.stack();
        Vpc vpc = Vpc.Builder.create(stack, "Vpc").maxAzs(2).build();

        Template template = configured(stack, PersonalizeHandlerOptions.builder().vpc(vpc).build());

        Map<String, Object> ec2Resources = Map.of("Fn::Join", List.of("", List.of("arn:",
                Map.of("Ref", "AWS::Partition"), ":ec2:", Map.of("Ref", "AWS::Region"), ":",
                Map.of("Ref", "AWS::AccountId"), ":*/*")));
        // handler, onEvent, and the role isComplete and onTimeout share
        assertThat(policiesWith(template, List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"), "*"))
                .hasSize(3);
        assertThat(policiesWith(template, List.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"), ec2Resources)).hasSize(3);
    }

    @Test
    void aDeadLetterQueueTakesTheOnEventFunctionsFailedEvents() {
        Stack stack = TestApps.stack();
        Key key = Key.Builder.create(stack, "QueueKey").enableKeyRotation(true).build();
        Queue queue = Queue.Builder.create(stack, "DeadLetters").encryptionMasterKey(key)
                .encryption(QueueEncryption.KMS).build();

        Template template = configured(stack, PersonalizeHandlerOptions.builder().deadLetterQueue(queue).build());

        Map<String, Map<String, Object>> withQueue = template.findResources("AWS::Lambda::Function", Map.of(
                "Properties", Map.of("DeadLetterConfig", Map.of("TargetArn", TestApps.getAtt(queue, "Arn")))));
        assertThat(withQueue).hasSize(1);
        assertThat(withQueue.keySet().iterator().next()).contains("frameworkonEvent");
        assertThat(template.findResources("AWS::Lambda::Function", Map.of("Properties",
                Map.of("DeadLetterConfig", Match.anyValue())))).hasSize(1);
        Map<String, Map<String, Object>> send = policiesWith(template, List.of("sqs:SendMessage"),
                TestApps.getAtt(queue, "Arn"));
        assertThat(send).hasSize(1);
        assertThat(send.keySet().iterator().next()).startsWith("PersonalizeCdkJobProviderFrameworkOnEventRole");
        assertThat(policiesWith(template, List.of("kms:GenerateDataKey", "kms:Decrypt"),
                TestApps.getAtt(key, "Arn"))).hasSize(1);
    }

    private static Map<String, Map<String, Object>> policiesWith(Template template, List<String> actions,
            Object resource) {
        return template.findResources("AWS::IAM::Policy", Map.of("Properties", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", actions.size() == 1 ? actions.get(0) : actions,
                        "Resource", resource))))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badOptionsFailWithAnExactMessage(String description, Consumer<Stack> build, String message) {
        assertThatThrownBy(() -> build.accept(TestApps.stack()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("subnets without a vpc", (Consumer<Stack>) s -> DatasetJobProvider.configure(s,
                        PersonalizeHandlerOptions.builder().vpcSubnets(SubnetSelection.builder()
                                .subnetType(SubnetType.PRIVATE_ISOLATED).build()).build()),
                        PATH + "vpcSubnets is set without vpc; expected vpcSubnets only together with vpc"),
                Arguments.of("security groups without a vpc", (Consumer<Stack>) s -> DatasetJobProvider.configure(s,
                        PersonalizeHandlerOptions.builder().securityGroups(List.of(SecurityGroup.fromSecurityGroupId(
                                s, "Sg", "sg-12345678"))).build()),
                        PATH + "securityGroups is set without vpc; expected securityGroups only together with vpc"),
                Arguments.of("no security group", (Consumer<Stack>) s -> DatasetJobProvider.configure(s,
                        PersonalizeHandlerOptions.builder().vpc(new Vpc(s, "Vpc")).securityGroups(List.of())
                                .build()),
                        PATH + "securityGroups is empty; expected at least one security group, or null for one "
                                + "created per function"),
                Arguments.of("reserved concurrency 0", (Consumer<Stack>) s -> DatasetJobProvider.configure(s,
                        PersonalizeHandlerOptions.builder().reservedConcurrentExecutions(0).build()),
                        PATH + "reservedConcurrentExecutions 0 is not allowed; expected a whole number of at least 1 "
                                + "(0 would throttle every call), or null for unreserved"),
                Arguments.of("reserved concurrency 1.5", (Consumer<Stack>) s -> DatasetJobProvider.configure(s,
                        PersonalizeHandlerOptions.builder().reservedConcurrentExecutions(1.5).build()),
                        PATH + "reservedConcurrentExecutions 1.5 is not allowed; expected a whole number of at least "
                                + "1 (0 would throttle every call), or null for unreserved"),
                Arguments.of("configure after the first job", (Consumer<Stack>) s -> {
                    jobs(s);
                    DatasetJobProvider.configure(s, PersonalizeHandlerOptions.builder().build());
                }, PATH + "configure was called after the stack's provider was created (by an earlier configure, "
                        + "or by the stack's first schema, dataset or job); expected one configure per stack, "
                        + "before its first schema, dataset or job"),
                Arguments.of("configure twice", (Consumer<Stack>) s -> {
                    DatasetJobProvider.configure(s, PersonalizeHandlerOptions.builder().build());
                    DatasetJobProvider.configure(s, PersonalizeHandlerOptions.builder().build());
                }, PATH + "configure was called after the stack's provider was created (by an earlier configure, "
                        + "or by the stack's first schema, dataset or job); expected one configure per stack, "
                        + "before its first schema, dataset or job"));
    }
}
