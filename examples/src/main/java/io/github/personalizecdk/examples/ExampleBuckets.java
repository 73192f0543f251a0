package io.github.personalizecdk.examples;

import io.github.personalizecdk.DatasetJobProvider;
import io.github.personalizecdk.PersonalizeServiceRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.ISource;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;
import software.constructs.IConstruct;

/** Buckets as the examples create them: TLS only, no public access, access logged. */
final class ExampleBuckets {
    /** The cdk-nag packs whose rules share a name: NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1. */
    static final List<String> COMPLIANCE_PACKS = List.of("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321");

    private ExampleBuckets() {
    }

    /** The bucket that receives S3 server access logs, versioned. */
    static Bucket accessLogs(Construct scope) {
        Bucket logs = Bucket.Builder.create(scope, "AccessLogs")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .versioned(true)
                .build();
        IConstruct resource = logs.getNode().getDefaultChild();
        for (String pack : COMPLIANCE_PACKS) {
            suppress(resource, rule(pack + "-S3DefaultEncryptionKMS", "S3 delivers server access logs only to a "
                    + "bucket whose default encryption is SSE-S3; SSE-KMS is not supported on a log destination.", null));
            suppress(resource, rule(pack + "-S3BucketReplicationEnabled", "Replicating access logs to another "
                    + "Region or account is the log archive's concern; this stack owns no second bucket.", null));
        }
        return logs;
    }

    /** Memory of the sample-data deployment's function when set explicitly: what BucketDeployment uses by default. */
    static final int SAMPLE_DATA_MEMORY_MB = 128;

    /** A data bucket for Personalize imports and exports, SSE-S3, or SSE-KMS when a key is given. */
    static Bucket data(Construct scope, String id, Bucket accessLogs, IKey key) {
        Bucket bucket = Bucket.Builder.create(scope, id)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(key == null ? BucketEncryption.S3_MANAGED : BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(key != null)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(id + "/")
                .build();
        for (String pack : COMPLIANCE_PACKS) {
            suppress(bucket.getNode().getDefaultChild(), rule(pack + "-S3BucketReplicationEnabled", "The bucket holds "
                    + "the sample data, which every deploy writes again, and Personalize exports, which can be run "
                    + "again from the datasets; a replica would copy data that can be made again.", null));
        }
        return bucket;
    }

    /**
     * Personalize reads or writes every object under a folder, so the object ARN ends in the folder's wildcard.
     * The suppression is the metadata cdk-nag reads (what {@code NagSuppressions.addResourceSuppressions} writes),
     * added directly so that synthesizing the app does not load cdk-nag.
     */
    static void allowFolderWildcards(PersonalizeServiceRole access, String bucketId) {
        CfnResource policy = (CfnResource) access.getRole().getNode().findChild("DefaultPolicy").getNode()
                .getDefaultChild();
        // insertion-ordered: Map.of orders its keys differently in every JVM, and the metadata is in the template
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", "AwsSolutions-IAM5");
        rule.put("reason", "Personalize imports every file of the import folder and writes files it names itself "
                + "into the export folder; the wildcard is limited to that folder of that bucket.");
        rule.put("applies_to", List.of(Map.of("regex",
                "/^Resource::<" + bucketId + "[0-9A-F]{8}\\.Arn>\\/(imports|exports)\\/\\*$/g")));
        policy.addMetadata("cdk_nag", Map.of("rules_to_suppress", List.of(rule)));
    }

    /**
     * Uploads the files (object key to content) to the bucket at deploy time. Nothing is pruned: the bucket
     * also holds what exports write.
     */
    static BucketDeployment sampleData(Construct scope, Bucket bucket, Map<String, String> files,
            ProductionSettings production) {
        List<ISource> sources = new ArrayList<>();
        files.forEach((key, content) -> sources.add(Source.data(key, content)));
        BucketDeployment.Builder builder = BucketDeployment.Builder.create(scope, "SampleData")
                .sources(sources)
                .destinationBucket(bucket)
                .prune(false)
                .retainOnDelete(false);
        if (production != null) {
            builder.vpc(production.vpc())
                    .vpcSubnets(production.subnets())
                    .securityGroups(List.of(production.functions()))
                    .memoryLimit(SAMPLE_DATA_MEMORY_MB)
                    .logGroup(LogGroup.Builder.create(scope, "SampleDataLogs")
                            .retention(production.logRetention())
                            .encryptionKey(production.key())
                            .removalPolicy(RemovalPolicy.RETAIN)
                            .build());
        }
        BucketDeployment deployment = builder.build();
        CfnFunction function = deploymentFunction(scope);
        suppressHandlerFindings(function, deployment, bucket.getNode().getId());
        if (production != null) {
            applyProductionSettings(function, deployment.getHandlerRole(), production);
        }
        return deployment;
    }

    /**
     * What BucketDeployment has no prop for, set on its function's resource: tracing, reserved concurrency (it
     * runs once per deploy) and a dead-letter queue (CloudFormation invokes it asynchronously).
     */
    private static void applyProductionSettings(CfnFunction function, IRole role, ProductionSettings production) {
        function.setTracingConfig(CfnFunction.TracingConfigProperty.builder().mode("Active").build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"))
                .resources(List.of("*"))
                .build());
        function.setReservedConcurrentExecutions(1);
        function.setDeadLetterConfig(CfnFunction.DeadLetterConfigProperty.builder()
                .targetArn(production.deadLetters().getQueueArn())
                .build());
        DatasetJobProvider.allowSendMessages(role, production.deadLetters());
        suppress(role.getNode().findChild("DefaultPolicy").getNode().getDefaultChild(), rule("AwsSolutions-IAM5",
                "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions.",
                List.of("Resource::*")));
        suppress(role.getNode().getDefaultChild(), rule("AwsSolutions-IAM4",
                "In a VPC, BucketDeployment's handler role also carries AWSLambdaVPCAccessExecutionRole, the policy "
                        + "Lambda documents for creating and deleting the function's network interfaces; the "
                        + "construct attaches it to the role it creates.",
                List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")));
    }

    /** The function of the stack's BucketDeployments: a singleton of aws-cdk-lib under the stack. */
    private static CfnFunction deploymentFunction(Construct scope) {
        Stack stack = Stack.of(scope);
        return (CfnFunction) stack.getNode().getChildren().stream()
                .filter(c -> c.getNode().getId().startsWith("Custom::CDKBucketDeployment"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no BucketDeployment handler in " + stack.getNode().getPath()))
                .getNode().getDefaultChild();
    }

    /**
     * The deployment's handler, role and policy are aws-cdk-lib's, shared by every BucketDeployment of the stack
     * (a singleton function named {@code Custom::CDKBucketDeployment<uuid>}); the construct takes neither a runtime
     * nor narrower grants, so what cdk-nag reports on them is suppressed on each of the three resources alone.
     */
    private static void suppressHandlerFindings(CfnFunction function, BucketDeployment deployment, String bucketId) {
        String runtime = "aws-cdk-lib bundles this handler for the Python runtime it sets; BucketDeployment has no "
                + "runtime option, and the runtime moves forward with aws-cdk-lib upgrades.";
        suppress(function, rule("AwsSolutions-L1", runtime, null));
        suppress(function, rule("Serverless-LambdaLatestVersion", runtime, null));
        IRole role = deployment.getHandlerRole();
        suppress(role.getNode().getDefaultChild(), rule("AwsSolutions-IAM4",
                "BucketDeployment's handler role carries AWSLambdaBasicExecutionRole, which lets it write only its "
                        + "own CloudWatch Logs; the construct attaches it to every role it creates.",
                List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")));
        suppress(role.getNode().findChild("DefaultPolicy").getNode().getDefaultChild(), rule("AwsSolutions-IAM5",
                "BucketDeployment grants these itself: it reads the asset zip from the bootstrap assets bucket and "
                        + "copies every file into the data bucket, so it needs the action wildcards of Bucket.grantRead "
                        + "and grantReadWrite on those two buckets' objects (and on the bucket key when SSE-KMS).",
                List.of(Map.of("regex", "/^Action::(s3:(GetObject|GetBucket|List|DeleteObject|Abort)|"
                                + "kms:(GenerateDataKey|ReEncrypt))\\*$/g"),
                        Map.of("regex", "/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-<AWS::AccountId>-"
                                + "<AWS::Region>\\/\\*$/g"),
                        Map.of("regex", "/^Resource::<" + bucketId + "[0-9A-F]{8}\\.Arn>\\/\\*$/g"))));
        inlinePolicyOfOwnRole(role.getNode().findChild("DefaultPolicy").getNode().getDefaultChild(),
                "BucketDeployment's handler role");
    }

    /** The compliance packs' IAMNoInlinePolicy, on the policy aws-cdk-lib creates for a role it creates. */
    static void inlinePolicyOfOwnRole(IConstruct policy, String role) {
        for (String pack : COMPLIANCE_PACKS) {
            suppress(policy, rule(pack + "-IAMNoInlinePolicy", "This policy belongs to " + role + " alone and holds "
                    + "the grants aws-cdk-lib adds for it; CloudFormation versions, changes and rolls it back with the "
                    + "role, and a customer-managed policy would hold the same statements under a second name.", null));
        }
    }

    static Map<String, Object> rule(String id, String reason, List<Object> appliesTo) {
        // insertion-ordered, as the metadata is in the template
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", id);
        rule.put("reason", reason);
        if (appliesTo != null) {
            rule.put("applies_to", appliesTo);
        }
        return rule;
    }

    static void suppress(IConstruct target, Map<String, Object> rule) {
        CfnResource resource = (CfnResource) target;
        List<Object> all = new ArrayList<>();
        if (resource.getMetadata("cdk_nag") instanceof Map<?, ?> existing
                && existing.get("rules_to_suppress") instanceof List<?> earlier) {
            all.addAll(earlier);
        }
        if (all.stream().noneMatch(rule::equals)) {
            all.add(rule);
        }
        resource.addMetadata("cdk_nag", Map.of("rules_to_suppress", all));
    }
}
