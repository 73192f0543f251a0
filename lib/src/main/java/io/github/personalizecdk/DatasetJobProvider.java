package io.github.personalizecdk;

import io.github.personalizecdk.contract.JobNames;
import io.github.personalizecdk.internal.Arns;
import io.github.personalizecdk.internal.HandlerJar;
import io.github.personalizecdk.internal.NagSuppression;
import io.github.personalizecdk.internal.Validate;
import io.github.personalizecdk.internal.WaiterDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.AssetHashType;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.IListProducer;
import software.amazon.awscdk.IResolveContext;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.UniqueResourceNameOptions;
import software.amazon.awscdk.customresources.LogOptions;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipalOpts;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.stepfunctions.CfnStateMachine;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.constructs.Construct;
import software.constructs.IConstruct;
import software.constructs.IValidation;

/**
 * The one custom-resource handler and Provider of a stack, shared by every {@link Schema}, {@link Dataset},
 * {@link DatasetImportJob} and {@link DatasetExportJob} in it. Created on first use; its permissions grow with
 * the resources: schema actions only on the stack's schemas, dataset actions only on the stack's datasets (and
 * CreateDataset on their groups), job
 * Create/Describe only on the stack's datasets and job names, {@code iam:PassRole} only on the job roles and
 * only to Personalize. Every ARN in its policy is formatted from names, never a custom resource's attribute:
 * the custom resources depend on this handler, so naming one of them here would be a dependency cycle.
 *
 * <p>Context key {@value #SNAP_START_CONTEXT} = {@code true} turns on Lambda SnapStart: shorter cold starts,
 * but every deploy that changes the function publishes a version and takes a snapshot first.
 *
 * <p>Production settings (VPC, log retention and KMS key, tracing, reserved concurrency, architecture) are set
 * once per stack with {@link #configure(Stack, PersonalizeHandlerOptions)}, before its first schema, dataset or
 * job; see {@link PersonalizeHandlerOptions} for what the Provider framework can and cannot honour.
 */
public final class DatasetJobProvider extends Construct {
    /** Construct id of the singleton under its stack. */
    public static final String ID = "PersonalizeCdkJobProvider";
    /** CDK context key: {@code true} enables SnapStart on the handler. */
    public static final String SNAP_START_CONTEXT = "personalize-cdk:snapStart";
    /** The framework gives up after this; CloudFormation allows a custom resource one hour. */
    public static final Duration TOTAL_TIMEOUT = Duration.minutes(55);
    /** CloudFormation's wait for the resource: a little above the Provider's, so its error arrives first. */
    public static final Duration SERVICE_TIMEOUT = Duration.minutes(57);
    /** How often isComplete describes a running job. */
    public static final Duration QUERY_INTERVAL = Duration.seconds(20);
    /** Where the waiter state machine's log group is named: CloudWatch Logs' vended-logs path for Step Functions. */
    public static final String WAITER_LOG_GROUP_PREFIX = "/aws/vendedlogs/states/";
    /** Memory of the framework's Node.js functions, which only relay events: Lambda's default, set explicitly. */
    public static final int FRAMEWORK_MEMORY_MB = 128;
    private static final List<String> XRAY_WRITE = List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords");
    private static final List<String> XRAY_STATE_MACHINE = List.of("xray:PutTraceSegments",
            "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets");
    /** JVM flags for a fast start of a short-lived handler. */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private final Function handler;
    private final Role handlerRole;
    private final Provider provider;
    private final Set<String> importCreate = new LinkedHashSet<>();
    private final Set<String> importJobs = new LinkedHashSet<>();
    private final Set<String> exportCreate = new LinkedHashSet<>();
    private final Set<String> exportJobs = new LinkedHashSet<>();
    private final Set<String> passRoles = new LinkedHashSet<>();
    private final Set<String> datasets = new LinkedHashSet<>();
    private final Set<String> datasetGroups = new LinkedHashSet<>();
    private final Set<String> schemas = new LinkedHashSet<>();
    private final Map<String, String> groupArns = new LinkedHashMap<>();
    private final Set<IRole> passRoleObjects = new java.util.HashSet<>();
    private final Map<String, String> jobPatterns = new LinkedHashMap<>();
    private final String jobNamePrefix;
    private PersonalizeServiceRole defaultRole;
    private final List<DatasetJobBase> jobs = new ArrayList<>();
    private final Set<Object> orderedAfter = new java.util.HashSet<>();
    private boolean datasetStatements;
    private boolean schemaStatements;
    private boolean importStatements;
    private boolean exportStatements;
    private CfnStateMachine waiter;
    private final String tracingMode;
    private final LogGroup waiterLogs;

    private DatasetJobProvider(Construct scope, PersonalizeHandlerOptions options) {
        super(scope, ID);
        validate(options);
        tracingMode = tracingMode(options.getTracing());
        RetentionDays retention = options.getLogRetention() != null ? options.getLogRetention()
                : RetentionDays.ONE_MONTH;
        IKey logKey = options.getLogEncryptionKey();
        if (logKey != null) {
            allowCloudWatchLogs(logKey);
        }
        Stack stack = Stack.of(this);
        jobNamePrefix = JobNames.stackPrefix(Names.uniqueId(stack),
                Validate.isKnown(stack.getStackName()) ? stack.getStackName() : null);
        boolean snapStart = "true".equals(String.valueOf(getNode().tryGetContext(SNAP_START_CONTEXT)));
        LogGroup logs = LogGroup.Builder.create(this, "HandlerLogs")
                .retention(retention)
                .encryptionKey(logKey)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // no managed policy: the handler may write to its own log group only
        Role role = Role.Builder.create(this, "HandlerRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the Personalize custom-resource handler of this stack")
                .build();
        logs.grantWrite(role);
        handlerRole = role;
        handler = Function.Builder.create(this, "Handler")
                .role(role)
                .description("Creates Amazon Personalize schemas, creates and updates datasets, starts dataset "
                        + "import and export jobs, and reports their status")
                .runtime(Runtime.JAVA_25)
                .handler(HandlerJar.HANDLER)
                .code(Code.fromAsset(HandlerJar.path().toString(), AssetOptions.builder()
                        .assetHashType(AssetHashType.CUSTOM)
                        .assetHash(HandlerJar.sha256())
                        .build()))
                .memorySize(512)
                .timeout(Duration.minutes(1))
                .environment(Map.of("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS))
                .logGroup(logs)
                .snapStart(snapStart ? SnapStartConf.ON_PUBLISHED_VERSIONS : null)
                .vpc(options.getVpc())
                .vpcSubnets(options.getVpcSubnets())
                .securityGroups(options.getSecurityGroups())
                .tracing(options.getTracing())
                .reservedConcurrentExecutions(options.getReservedConcurrentExecutions())
                .architecture(options.getArchitecture())
                .build();
        IFunction target = snapStart ? handler.getCurrentVersion() : handler;

        // framework functions: own roles and log group instead of the AWSLambdaBasicExecutionRole managed policy
        LogGroup frameworkLogs = LogGroup.Builder.create(this, "FrameworkLogs")
                .retention(retention)
                .encryptionKey(logKey)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Role onEventRole = frameworkRole("FrameworkOnEventRole", frameworkLogs);
        Role completeRole = frameworkRole("FrameworkCompleteRole", frameworkLogs);
        // Step Functions delivers logs through CloudWatch Logs' resource policy (5,120 characters per account and
        // region) unless the group's name starts with /aws/vendedlogs/: then every stack would add to that policy
        waiterLogs = LogGroup.Builder.create(this, "WaiterLogs")
                .logGroupName(WAITER_LOG_GROUP_PREFIX + Names.uniqueResourceName(this,
                        UniqueResourceNameOptions.builder().maxLength(200).separator("-").build()))
                .retention(retention)
                .encryptionKey(logKey)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        provider = Provider.Builder.create(this, "Provider")
                .onEventHandler(target)
                .isCompleteHandler(target)
                .queryInterval(QUERY_INTERVAL)
                .totalTimeout(TOTAL_TIMEOUT)
                .logGroup(frameworkLogs)
                .frameworkOnEventRole(onEventRole)
                .frameworkCompleteAndTimeoutRole(completeRole)
                .vpc(options.getVpc())
                .vpcSubnets(options.getVpcSubnets())
                .securityGroups(options.getSecurityGroups())
                .disableWaiterStateMachineLogging(false)
                .waiterStateMachineLogOptions(LogOptions.builder()
                        .destination(waiterLogs)
                        .level(LogLevel.ALL)
                        .includeExecutionData(false)
                        .build())
                .build();
        applyToFramework(options, onEventRole, completeRole);
        suppressFrameworkFindings(options, onEventRole, completeRole);
        // once per stack at synth, after Tags.of(..) has run: cheaper than a validation or lazy value per job
        getNode().addValidation(new IValidation() {
            @Override
            public List<String> validate() {
                List<String> problems = new ArrayList<>();
                jobs.forEach(job -> problems.addAll(job.renderTags()));
                return problems;
            }
        });
    }

    void register(DatasetJobBase job) {
        jobs.add(job);
    }

    /**
     * Orders a job after the policies Personalize checks. For the shared default role and the buckets it uses,
     * the handler depends on them once, and every job follows the handler through its service token; a role
     * of the job's own is depended on by that job.
     */
    void orderAfterPolicies(DatasetJobBase job, IRole role, boolean defaultRole, IBucket bucket) {
        IConstruct bucketPolicy = PersonalizeAccess.of(job).bucket(bucket, job).policy();
        if (defaultRole) {
            if (orderedAfter.add(role)) {
                handler.getNode().addDependency(role);
            }
            if (bucketPolicy != null && orderedAfter.add(bucketPolicy)) {
                handler.getNode().addDependency(bucketPolicy);
            }
            return;
        }
        job.getResource().getNode().addDependency(role);
        if (bucketPolicy != null) {
            job.getResource().getNode().addDependency(bucketPolicy);
        }
    }

    private Role frameworkRole(String id, LogGroup logs) {
        Role role = Role.Builder.create(this, id)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        logs.grantWrite(role);
        return role;
    }

    /**
     * The settings the Provider takes no prop for, applied to its functions and waiter: tracing, reserved
     * concurrency, architecture, the onEvent function's dead-letter queue, an explicit memory size, and the network
     * interface permissions every role of a function in a VPC needs.
     */
    private void applyToFramework(PersonalizeHandlerOptions options, Role onEventRole, Role completeRole) {
        Map<CfnFunction, Role> functions = new LinkedHashMap<>();
        functions.put(frameworkFunction("framework-onEvent"), onEventRole);
        functions.put(frameworkFunction("framework-isComplete"), completeRole);
        functions.put(frameworkFunction("framework-onTimeout"), completeRole);
        functions.forEach((function, role) -> {
            function.setMemorySize(FRAMEWORK_MEMORY_MB);
            if (tracingMode != null) {
                function.setTracingConfig(CfnFunction.TracingConfigProperty.builder().mode(tracingMode).build());
            }
            if (options.getReservedConcurrentExecutions() != null) {
                function.setReservedConcurrentExecutions(options.getReservedConcurrentExecutions());
            }
            if (options.getArchitecture() != null) {
                function.setArchitectures(List.of(options.getArchitecture().getName()));
            }
        });
        if (options.getDeadLetterQueue() != null) {
            frameworkFunction("framework-onEvent").setDeadLetterConfig(CfnFunction.DeadLetterConfigProperty.builder()
                    .targetArn(options.getDeadLetterQueue().getQueueArn())
                    .build());
            allowSendMessages(onEventRole, options.getDeadLetterQueue());
        }
        List<Role> roles = List.of(handlerRole, onEventRole, completeRole);
        if (tracingMode != null) {
            // the handler's function adds these itself
            List.of(onEventRole, completeRole).forEach(role -> role.addToPrincipalPolicy(literal(XRAY_WRITE, "*")));
            CfnStateMachine waiter = (CfnStateMachine) provider.getNode().findChild("waiter-state-machine").getNode()
                    .getDefaultChild();
            waiter.setTracingConfiguration(CfnStateMachine.TracingConfigurationProperty.builder().enabled(true).build());
            waiterRole().addToPrincipalPolicy(literal(XRAY_STATE_MACHINE, "*"));
        }
        if (options.getVpc() != null) {
            // Lambda's documented execution-role permissions for a function in a VPC: Describe* only on "*", the
            // others on the account's EC2 resources in the region
            Stack stack = Stack.of(this);
            String ec2Resources = "arn:" + stack.getPartition() + ":ec2:" + stack.getRegion() + ":" + stack.getAccount()
                    + ":*/*";
            for (Role role : roles) {
                role.addToPrincipalPolicy(literal(List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"), "*"));
                role.addToPrincipalPolicy(literal(List.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                        "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"), ec2Resources));
            }
        }
    }

    /**
     * What Lambda needs to send a failed event to the queue with the function's role: SendMessage, and on an
     * SSE-KMS queue GenerateDataKey and Decrypt of its key (no action wildcards, unlike Queue.grantSendMessages).
     */
    public static void allowSendMessages(IRole role, IQueue queue) {
        role.addToPrincipalPolicy(literal(List.of("sqs:SendMessage"), queue.getQueueArn()));
        if (queue.getEncryptionMasterKey() != null) {
            role.addToPrincipalPolicy(literal(List.of("kms:GenerateDataKey", "kms:Decrypt"),
                    queue.getEncryptionMasterKey().getKeyArn()));
        }
    }

    private CfnFunction frameworkFunction(String id) {
        return (CfnFunction) provider.getNode().findChild(id).getNode().getDefaultChild();
    }

    private IRole waiterRole() {
        return (IRole) provider.getNode().findChild("waiter-state-machine").getNode().findChild("Role");
    }

    /** @return Lambda's TracingConfig mode, or {@code null} for no tracing */
    private static String tracingMode(Tracing tracing) {
        if (tracing == null || tracing == Tracing.DISABLED) {
            return null;
        }
        return tracing == Tracing.ACTIVE ? "Active" : "PassThrough";
    }

    /**
     * cdk-nag findings that come from aws-cdk-lib's Provider framework, from job names known only at deploy time,
     * or from actions without resource-level permissions; each suppression is limited to its resource and finding.
     */
    private void suppressFrameworkFindings(PersonalizeHandlerOptions options, Role onEventRole, Role completeRole) {
        String invokeVersions = "The Provider framework may invoke any version of the job handler (function ARN "
                + "with ':*'); the grant names that one function.";
        suppress(onEventRole.getNode().findChild("DefaultPolicy"),
                rule("AwsSolutions-IAM5", invokeVersions, "/^Resource::<.+\\.Arn>:\\*$/g"));
        suppress(completeRole.getNode().findChild("DefaultPolicy"),
                rule("AwsSolutions-IAM5", invokeVersions, "/^Resource::<.+\\.Arn>:\\*$/g"));
        IConstruct waiter = provider.getNode().findChild("waiter-state-machine");
        if (tracingMode == null) {
            suppress(waiter, rule("AwsSolutions-SF2", "The waiter state machine is traced with X-Ray when "
                    + "PersonalizeHandlerOptions.tracing is set, as the handler and framework functions are; off by "
                    + "default. It only calls the framework's isComplete and onTimeout functions.", null));
        }
        suppress(waiterRole().getNode().findChild("DefaultPolicy"),
                rule("AwsSolutions-IAM5", "The framework's state machine may invoke any version of its own isComplete "
                        + "and onTimeout functions.", "/^Resource::<.+\\.Arn>:\\*$/g"),
                rule("AwsSolutions-IAM5", "Step Functions log delivery (logs:CreateLogDelivery, logs:ListLogDeliveries "
                        + "and related actions) and X-Ray's trace and sampling actions support no resource-level "
                        + "permissions.", "Resource::*"));
        String noResourceLevel = "EC2's Describe actions (for a function in a VPC) and X-Ray's PutTraceSegments and "
                + "PutTelemetryRecords (for tracing) support no resource-level permissions; the network-interface "
                + "actions are limited to the account's EC2 resources in the stack's region, as Lambda documents for "
                + "execution roles.";
        for (Role role : List.of(handlerRole, onEventRole, completeRole)) {
            if (options.getVpc() != null || tracingMode != null) {
                suppress(role.getNode().findChild("DefaultPolicy"),
                        rule("AwsSolutions-IAM5", noResourceLevel, "Resource::*"),
                        rule("AwsSolutions-IAM5", noResourceLevel,
                                "Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:*/*"));
            }
            NagSuppression.inlinePolicyOfOwnRole(role);
        }
        NagSuppression.inlinePolicyOfOwnRole((Role) waiterRole());
        // invoked synchronously only: by the onEvent function and the waiter state machine
        String synchronous = "Invoked only synchronously (by the Provider framework's onEvent function and its Step "
                + "Functions waiter), so Lambda never sends an event of it to a dead-letter queue: a failed "
                + "invocation returns to its caller, which fails the CloudFormation request.";
        for (IConstruct function : List.of(handler, provider.getNode().findChild("framework-isComplete"),
                provider.getNode().findChild("framework-onTimeout"))) {
            NagSuppression.suppress(function,
                    NagSuppression.inPacks(List.of("NIST.800.53.R5", "HIPAA.Security", "Serverless"), "LambdaDLQ",
                            synchronous));
        }
    }

    private static Map<String, Object> rule(String id, String reason, String appliesTo) {
        return NagSuppression.rule(id, reason, appliesTo);
    }

    @SafeVarargs
    private static void suppress(IConstruct construct, Map<String, Object>... rules) {
        NagSuppression.suppress(construct, List.of(rules));
    }

    /** @return the stack's provider, created on first call (with default settings unless configured) */
    public static DatasetJobProvider of(IConstruct scope) {
        Stack stack = Stack.of(scope);
        IConstruct existing = stack.getNode().tryFindChild(ID);
        return existing != null ? (DatasetJobProvider) existing
                : new DatasetJobProvider(stack, PersonalizeHandlerOptions.builder().build());
    }

    /**
     * Creates the stack's provider with production settings. Call it once per stack, before the stack's first
     * {@link Schema}, {@link Dataset}, {@link DatasetImportJob} or {@link DatasetExportJob}: those create the
     * provider with default settings on first use.
     *
     * @param stack the stack whose handler and framework the settings apply to
     * @param options the settings; unset ones keep their defaults
     * @return the stack's provider
     * @throws IllegalArgumentException if the stack's provider already exists, or an option is invalid
     */
    public static DatasetJobProvider configure(Stack stack, PersonalizeHandlerOptions options) {
        if (stack.getNode().tryFindChild(ID) != null) {
            throw error(stack.getNode().getPath() + "/" + ID, "configure was called after the stack's provider "
                    + "was created (by an earlier configure, or by the stack's first schema, dataset or job); "
                    + "expected one configure per stack, before its first schema, dataset or job");
        }
        return new DatasetJobProvider(stack, options == null ? PersonalizeHandlerOptions.builder().build() : options);
    }

    private static IllegalArgumentException error(String path, String message) {
        return new IllegalArgumentException("DatasetJobProvider '" + path + "': " + message);
    }

    private void validate(PersonalizeHandlerOptions options) {
        String path = getNode().getPath();
        if (options.getVpc() == null && options.getVpcSubnets() != null) {
            throw error(path, "vpcSubnets is set without vpc; expected vpcSubnets only together with vpc");
        }
        if (options.getVpc() == null && options.getSecurityGroups() != null) {
            throw error(path, "securityGroups is set without vpc; expected securityGroups only together with vpc");
        }
        if (options.getSecurityGroups() != null && options.getSecurityGroups().isEmpty()) {
            throw error(path, "securityGroups is empty; expected at least one security group, or null for one "
                    + "created per function");
        }
        Number reserved = options.getReservedConcurrentExecutions();
        if (reserved != null && !Token.isUnresolved(reserved)
                && (reserved.doubleValue() < 1 || reserved.doubleValue() != Math.rint(reserved.doubleValue()))) {
            throw error(path, "reservedConcurrentExecutions " + reserved + " is not allowed; expected a whole "
                    + "number of at least 1 (0 would throttle every call), or null for unreserved");
        }
    }

    /**
     * Lets CloudWatch Logs use the key for this account's log groups in the stack's region, as a log group's
     * KMS key requires; a no-op for an imported key, whose policy must already allow it.
     */
    private void allowCloudWatchLogs(IKey key) {
        Stack stack = Stack.of(this);
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchLogsForPersonalizeCdkLogGroups")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal("logs." + stack.getRegion() + ".amazonaws.com")))
                .actions(List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                        "kms:Describe*"))
                .resources(List.of("*"))
                .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                        "arn:" + stack.getPartition() + ":logs:" + stack.getRegion() + ":" + stack.getAccount()
                                + ":log-group:*")))
                .build());
    }

    /** @return the Java handler function */
    public Function getHandler() {
        return handler;
    }

    /** @return the Provider whose service token the jobs use */
    public Provider getProvider() {
        return provider;
    }

    String getServiceToken() {
        return provider.getServiceToken();
    }

    /** @return the start of default job names, unique to the stack ({@link JobNames#stackPrefix}), so one IAM pattern covers them */
    String getJobNamePrefix() {
        return jobNamePrefix;
    }

    /**
     * @return the role shared by the stack's jobs that are given none; each job adds exactly the bucket prefix,
     *     object key and KMS keys it uses
     */
    public PersonalizeServiceRole getDefaultRole() {
        if (defaultRole == null) {
            defaultRole = new PersonalizeServiceRole(this, "DefaultJobRole");
        }
        return defaultRole;
    }

    /**
     * Lets the handler create, describe, update (replace the schema of) and delete this dataset. The Service
     * Authorization Reference for Amazon Personalize lists two required resource types for CreateDataset,
     * {@code dataset} and {@code datasetGroup}, and {@code dataset} alone for DescribeDataset, UpdateDataset and
     * DeleteDataset; no action requires the {@code schema} resource type. So CreateDataset is allowed on the
     * dataset and its group, the others on the dataset only. A generated group name enters as a pattern of all
     * its generations: when a new key replaces the group, CloudFormation deletes (or a rollback removes) the
     * dataset in the other group after the policy has already changed.
     *
     * @param datasetArn the dataset's ARN formatted from its group's name (or name pattern) and its type
     * @param datasetGroupName the group's name or name pattern (its ARN is formatted once per group)
     */
    void allowDataset(String datasetArn, String datasetGroupName) {
        datasets.add(datasetArn);
        datasetGroups.add(groupArns.computeIfAbsent(datasetGroupName,
                name -> Arns.format(this, "dataset-group", name)));
        if (!datasetStatements) {
            datasetStatements = true;
            suppressNameGenerations();
            handlerRole.addToPrincipalPolicy(statement(List.of("personalize:CreateDataset"), datasets, datasetGroups));
            handlerRole.addToPrincipalPolicy(statement(List.of("personalize:DescribeDataset", "personalize:UpdateDataset",
                    "personalize:DeleteDataset"), datasets));
            // the stack's status tells a rollback from a change: a rollback keeps a dataset's new fields and the
            // datasets the handler adopted
            handlerRole.addToPrincipalPolicy(statement(List.of("cloudformation:DescribeStacks"),
                    Set.of(Stack.of(this).getStackId())));
        }
    }

    /**
     * Lets the handler create, describe (to adopt an identical schema of the same name) and delete this schema.
     * The Service Authorization Reference for Amazon Personalize lists one resource type for CreateSchema,
     * DescribeSchema and DeleteSchema: {@code schema}
     * ({@code arn:${Partition}:personalize:${Region}:${Account}:schema/${ResourceId}}). So all three are allowed on
     * the stack's schemas: a generated name as the pattern of all its generations, since CloudFormation deletes a
     * replaced schema (or a rollback the new one) after the policy has already changed.
     *
     * @param schemaArn the schema's ARN formatted from its name or name pattern
     */
    void allowSchema(String schemaArn) {
        schemas.add(schemaArn);
        if (!schemaStatements) {
            schemaStatements = true;
            suppressNameGenerations();
            handlerRole.addToPrincipalPolicy(statement(List.of("personalize:CreateSchema", "personalize:DescribeSchema",
                    "personalize:DeleteSchema"), schemas));
        }
    }

    /** Lets the handler start imports into this dataset with job names of this prefix, passing this role. */
    void allowImport(String datasetArn, String customPrefix, IRole role) {
        importCreate.add(datasetArn);
        importJobs.add(jobPattern("dataset-import-job", customPrefix));
        passRole(role);
        if (!importStatements) {
            importStatements = true;
            handlerRole.addToPrincipalPolicy(statement(List.of("personalize:CreateDatasetImportJob"), importCreate, importJobs));
            addTagResource();
            handlerRole.addToPrincipalPolicy(statement(List.of("personalize:DescribeDatasetImportJob"), importJobs));
            addPassRole();
            allowStopPollers();
            suppressJobNameWildcards();
        }
    }

    /** Lets the handler start exports of this dataset with job names of this prefix, passing this role. */
    void allowExport(String datasetArn, String customPrefix, IRole role) {
        exportCreate.add(datasetArn);
        exportJobs.add(jobPattern("dataset-export-job", customPrefix));
        passRole(role);
        if (!exportStatements) {
            exportStatements = true;
            handlerRole.addToPrincipalPolicy(statement(List.of("personalize:CreateDatasetExportJob"), exportCreate, exportJobs));
            addTagResource();
            handlerRole.addToPrincipalPolicy(statement(List.of("personalize:DescribeDatasetExportJob"), exportJobs));
            addPassRole();
            allowStopPollers();
            suppressJobNameWildcards();
        }
    }

    /**
     * The stack's poller of long waits, created on first use: a Standard state machine whose role may describe the
     * stack's jobs and invoke the handler; the handler may start executions of it and stop them. Its name is fixed
     * (from the construct path) so that the handler's policy formats its ARN instead of referencing it: the state
     * machine names the handler, so a reference back would be a dependency cycle.
     *
     * @return the state machine's ARN
     */
    String getWaiterArn() {
        if (waiter == null) {
            Construct scope = waiterScope();
            String name = waiterName();
            Role role = Role.Builder.create(scope, "Role")
                    .assumedBy(new ServicePrincipal("states.amazonaws.com", ServicePrincipalOpts.builder()
                            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount",
                                    Stack.of(this).getAccount()))).build()))
                    .description("Describes this stack's Personalize jobs that wait longer than an hour, and invokes "
                            + "the handler to signal their wait conditions")
                    .build();
            role.addToPolicy(statement(List.of("personalize:DescribeDatasetImportJob",
                    "personalize:DescribeDatasetExportJob"), importJobs, exportJobs));
            handler.grantInvoke(role);
            // log delivery, as the Provider's waiter has it: these actions take no resource-level permissions
            role.addToPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                    .actions(List.of("logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                            "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
                            "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"))
                    .resources(List.of("*"))
                    .build());
            waiter = CfnStateMachine.Builder.create(scope, "Resource")
                    .stateMachineName(name)
                    .stateMachineType("STANDARD")
                    .roleArn(role.getRoleArn())
                    .definitionString(WaiterDefinition.definition())
                    .definitionSubstitutions(Map.of("HandlerArn", handler.getFunctionArn(),
                            "Partition", Stack.of(this).getPartition()))
                    .loggingConfiguration(CfnStateMachine.LoggingConfigurationProperty.builder()
                            .level("ALL")
                            .includeExecutionData(false)
                            .destinations(List.of(CfnStateMachine.LogDestinationProperty.builder()
                                    .cloudWatchLogsLogGroup(CfnStateMachine.CloudWatchLogsLogGroupProperty.builder()
                                            .logGroupArn(waiterLogs.getLogGroupArn()).build())
                                    .build()))
                            .build())
                    .build();
            waiter.getNode().addDependency(role);
            NagSuppression.inlinePolicyOfOwnRole(role);
            if (tracingMode != null) {
                waiter.setTracingConfiguration(CfnStateMachine.TracingConfigurationProperty.builder().enabled(true)
                        .build());
                role.addToPrincipalPolicy(literal(XRAY_STATE_MACHINE, "*"));
            } else {
                suppress(waiter, rule("AwsSolutions-SF2", "The job poller is traced with X-Ray when "
                        + "PersonalizeHandlerOptions.tracing is set, as the handler and framework are; off by default. "
                        + "It makes one Describe call a minute and one handler invocation per job.", null));
            }
            suppress(role.getNode().findChild("DefaultPolicy"),
                    rule("AwsSolutions-IAM5", "Job names end in a hash of the CloudFormation request id, known only "
                            + "at deploy time; each ARN pattern is limited to one job's name prefix.",
                            "/^Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:"
                                    + "dataset-(import|export)-job\\/[a-zA-Z0-9_-]+-\\*$/g"),
                    rule("AwsSolutions-IAM5", "Invoking the handler's versions (ARN with ':*') is how Step "
                            + "Functions' grant names that one function.", "/^Resource::<.+\\.Arn>:\\*$/g"),
                    rule("AwsSolutions-IAM5", "Step Functions log delivery (logs:CreateLogDelivery, "
                            + "logs:ListLogDeliveries and related actions) and X-Ray's trace and sampling actions "
                            + "support no resource-level permissions.", "Resource::*"));
            Stack stack = Stack.of(this);
            handler.getRole().addToPrincipalPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                    .actions(List.of("states:StartExecution"))
                    .resources(List.of(stack.formatArn(ArnComponents.builder().service("states")
                            .resource("stateMachine").resourceName(name).arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                            .build())))
                    .build());
        }
        return waiter.getAttrArn();
    }

    private Construct waiterScope;
    private boolean stopPollers;

    /** The scope of the poller's resources: no resources until a job waits longer than an hour. */
    private Construct waiterScope() {
        if (waiterScope == null) {
            waiterScope = new Construct(this, "JobWaiter");
        }
        return waiterScope;
    }

    /** @return the poller's name, fixed by its construct path */
    private String waiterName() {
        return Names.uniqueResourceName(waiterScope(), UniqueResourceNameOptions.builder().maxLength(80)
                .separator("-").build());
    }

    /**
     * Lets the handler stop the poller's executions as soon as the stack has a job, whether or not one waits long:
     * a job resource is deleted (and its poller stopped) after the policy has changed, when an update that made a
     * wait long rolls back or one that removes the last long wait is cleaned up.
     */
    private void allowStopPollers() {
        if (stopPollers) {
            return;
        }
        stopPollers = true;
        handler.getRole().addToPrincipalPolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                .actions(List.of("states:StopExecution"))
                .resources(List.of(Stack.of(this).formatArn(ArnComponents.builder().service("states")
                        .resource("execution").resourceName(waiterName() + ":*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build())))
                .build());
        suppress(handler.getRole().getNode().findChild("DefaultPolicy"), rule("AwsSolutions-IAM5",
                "Executions of the job poller are named after jobs whose names end in a hash of the CloudFormation "
                        + "request id; the pattern is limited to the executions of this stack's poller.",
                "/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:"
                        + "[a-zA-Z0-9_-]+:\\*$/g"));
    }

    private void passRole(IRole role) {
        if (passRoleObjects.add(role)) {
            passRoles.add(role.getRoleArn());
        }
    }

    private String jobPattern(String arnResource, String customPrefix) {
        String name = JobNames.pattern(customPrefix != null ? customPrefix : jobNamePrefix);
        return jobPatterns.computeIfAbsent(arnResource + "/" + name, key -> Stack.of(this).formatArn(
                ArnComponents.builder()
                        .service("personalize")
                        .resource(arnResource)
                        .resourceName(name)
                        .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                        .build()));
    }

    private boolean tagResourceAdded;

    /**
     * Tags are set on a job as it is created: TagResource on the job ARNs, never on datasets. One statement for
     * imports and exports, so that policy minimization never has two list tokens to merge.
     */
    private void addTagResource() {
        if (tagResourceAdded) {
            return;
        }
        tagResourceAdded = true;
        handlerRole.addToPrincipalPolicy(statement(List.of("personalize:TagResource"), importJobs, exportJobs));
    }

    private boolean passRoleAdded;
    private boolean jobNamesSuppressed;

    /** Job names end in a hash of the CloudFormation request id, so the job ARNs are known up to that suffix. */
    private void suppressJobNameWildcards() {
        if (jobNamesSuppressed) {
            return;
        }
        jobNamesSuppressed = true;
        suppress(handler.getRole().getNode().findChild("DefaultPolicy"), rule("AwsSolutions-IAM5",
                "Job names end in a hash of the CloudFormation request id, known only at deploy time; each ARN "
                        + "pattern is limited to one job's name prefix.",
                "/^Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:"
                        + "dataset-(import|export)-job\\/[a-zA-Z0-9_-]+-\\*$/g"));
    }

    private boolean nameGenerationsSuppressed;

    /** Generated group and schema names end in a hash of create-only inputs; the pattern stands for all of them. */
    private void suppressNameGenerations() {
        if (nameGenerationsSuppressed) {
            return;
        }
        nameGenerationsSuppressed = true;
        suppress(handler.getRole().getNode().findChild("DefaultPolicy"), rule("AwsSolutions-IAM5",
                "Generated dataset group and schema names end in a hash of their create-only properties; each pattern "
                        + "stands for the names one construct has had, so that the handler can delete a replaced "
                        + "schema or a dataset of a replaced group after the policy has changed.",
                "/^Resource::arn:<AWS::Partition>:personalize:<AWS::Region>:<AWS::AccountId>:"
                        + "(dataset-group|schema|dataset)\\/[a-zA-Z0-9_-]+-\\*(\\/[A-Z_]+)?$/g"));
    }

    private void addPassRole() {
        if (passRoleAdded) {
            return;
        }
        passRoleAdded = true;
        handlerRole.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("iam:PassRole"))
                .resources(lazy(passRoles))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", DatasetGroup.SERVICE_PRINCIPAL)))
                .build());
    }

    @SafeVarargs
    private static PolicyStatement statement(List<String> actions, Set<String>... resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(lazy(resources))
                .build();
    }

    /** A statement on a resource known now, which aws-cdk-lib may merge with others of its policy. */
    private static PolicyStatement literal(List<String> actions, String resource) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(List.of(resource))
                .build();
    }

    /** One list token for the union of the sets, read at synth, when every job has registered. */
    @SafeVarargs
    private static List<String> lazy(Set<String>... sets) {
        return Lazy.uncachedList(new IListProducer() {
            @Override
            public List<String> produce(IResolveContext context) {
                Set<String> all = new LinkedHashSet<>();
                for (Set<String> set : sets) {
                    all.addAll(set);
                }
                return new ArrayList<>(all);
            }
        });
    }
}
