package io.github.personalizecdk.it;

import io.github.personalizecdk.examples.SampleData;
import io.github.personalizecdk.internal.HandlerJar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.AssetHashType;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.customresources.LogOptions;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.iam.CfnPolicy;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.personalize.CfnDataset;
import software.amazon.awscdk.services.personalize.CfnDatasetGroup;
import software.amazon.awscdk.services.personalize.CfnSchema;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketAttributes;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.CfnBucketPolicy;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.ISource;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * Benchmark baseline: the resources of the ECOMMERCE example written by hand with L1 classes, plus the
 * same handler and Provider wired directly, as a user without this library would.
 */
final class BaselineEcommerceStack extends Stack {
    private static final String SCHEMA_PREFIX = "{\"type\":\"record\",\"name\":\"%s\",\"namespace\":"
            + "\"com.amazonaws.personalize.schema\",\"fields\":[%s],\"version\":\"1.0\"}";

    BaselineEcommerceStack(Construct scope, String id) {
        super(scope, id);
        String account = getAccount();
        String sourceArn = Fn.join("", List.of("arn:", getPartition(), ":personalize:", getRegion(), ":", account, ":*"));
        Map<String, Object> deputy = Map.of("StringEquals", Map.of("aws:SourceAccount", account),
                "ArnLike", Map.of("aws:SourceArn", sourceArn));
        Map<String, Object> service = Map.of("Service", "personalize.amazonaws.com");

        // log delivery through the bucket policy (below), not an ACL, as the examples' feature flags have it
        CfnBucket logs = CfnBucket.Builder.create(this, "AccessLogs")
                .ownershipControls(CfnBucket.OwnershipControlsProperty.builder().rules(List.of(
                        CfnBucket.OwnershipControlsRuleProperty.builder().objectOwnership("BucketOwnerEnforced")
                                .build())).build())
                .versioningConfiguration(CfnBucket.VersioningConfigurationProperty.builder().status("Enabled").build())
                .publicAccessBlockConfiguration(CfnBucket.PublicAccessBlockConfigurationProperty.builder()
                        .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true)
                        .restrictPublicBuckets(true).build())
                .build();
        CfnBucket data = CfnBucket.Builder.create(this, "DataBucket")
                .loggingConfiguration(CfnBucket.LoggingConfigurationProperty.builder()
                        .destinationBucketName(logs.getRef()).logFilePrefix("DataBucket/").build())
                .versioningConfiguration(CfnBucket.VersioningConfigurationProperty.builder().status("Enabled").build())
                .publicAccessBlockConfiguration(CfnBucket.PublicAccessBlockConfigurationProperty.builder()
                        .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true)
                        .restrictPublicBuckets(true).build())
                .build();
        for (CfnBucket bucket : List.of(logs, data)) {
            String objects = Fn.join("", List.of(bucket.getAttrArn(), "/*"));
            List<Object> statements = new java.util.ArrayList<>();
            statements.add(Map.of("Effect", "Deny", "Principal", Map.of("AWS", "*"), "Action", "s3:*",
                    "Resource", List.of(bucket.getAttrArn(), objects),
                    "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
            if (bucket == logs) {
                statements.add(Map.of("Effect", "Allow", "Principal", Map.of("Service", "logging.s3.amazonaws.com"),
                        "Action", "s3:PutObject", "Resource", objects,
                        "Condition", Map.of("ArnLike", Map.of("aws:SourceArn", data.getAttrArn()),
                                "StringEquals", Map.of("aws:SourceAccount", account))));
            }
            if (bucket == data) {
                for (String folder : List.of("imports/", "exports/")) {
                    String action = folder.equals("imports/") ? "s3:GetObject" : "s3:PutObject";
                    statements.add(Map.of("Effect", "Allow", "Principal", service, "Action", action,
                            "Resource", Fn.join("", List.of(bucket.getAttrArn(), "/" + folder + "*")),
                            "Condition", deputy));
                }
            }
            CfnBucketPolicy.Builder.create(this, bucket.getNode().getId() + "Policy")
                    .bucket(bucket.getRef())
                    .policyDocument(Map.of("Version", "2012-10-17", "Statement", statements))
                    .build();
        }

        CfnRole access = CfnRole.Builder.create(this, "PersonalizeAccess")
                .assumeRolePolicyDocument(Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Effect", "Allow", "Principal", service, "Action", "sts:AssumeRole", "Condition", deputy))))
                .build();
        CfnPolicy.Builder.create(this, "PersonalizeAccessPolicy")
                .policyName("PersonalizeAccessPolicy")
                .roles(List.of(access.getRef()))
                .policyDocument(Map.of("Version", "2012-10-17", "Statement", List.of(
                        Map.of("Effect", "Allow", "Action", "s3:GetObject",
                                "Resource", Fn.join("", List.of(data.getAttrArn(), "/imports/*"))),
                        Map.of("Effect", "Allow", "Action", "s3:PutObject",
                                "Resource", Fn.join("", List.of(data.getAttrArn(), "/exports/*"))),
                        Map.of("Effect", "Allow", "Action", "s3:ListBucket", "Resource", data.getAttrArn()))))
                .build();

        CfnDatasetGroup group = CfnDatasetGroup.Builder.create(this, "Group")
                .name("baseline-group").domain("ECOMMERCE").build();
        Map<String, String> schemas = new LinkedHashMap<>();
        schemas.put("Interactions", String.format(SCHEMA_PREFIX, "Interactions",
                "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                        + "{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}"));
        schemas.put("Items", String.format(SCHEMA_PREFIX, "Items",
                "{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"PRICE\",\"type\":\"float\"},"
                        + "{\"name\":\"CATEGORY_L1\",\"type\":\"string\",\"categorical\":true}"));
        schemas.put("Users", String.format(SCHEMA_PREFIX, "Users",
                "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"MEMBERSHIP_STATUS\",\"type\":"
                        + "[\"null\",\"string\"],\"default\":null,\"categorical\":true}"));

        // the handler and Provider as DatasetJobProvider configures them, wired by hand
        LogGroup handlerLogs = LogGroup.Builder.create(this, "HandlerLogs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        Role handlerRole = Role.Builder.create(this, "HandlerRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
        handlerLogs.grantWrite(handlerRole);
        Function handler = Function.Builder.create(this, "Handler")
                .runtime(Runtime.JAVA_25)
                .role(handlerRole)
                .handler(HandlerJar.HANDLER)
                .code(Code.fromAsset(HandlerJar.path().toString(), AssetOptions.builder()
                        .assetHashType(AssetHashType.CUSTOM).assetHash(HandlerJar.sha256()).build()))
                .memorySize(512)
                .timeout(Duration.minutes(1))
                .logGroup(handlerLogs)
                .environment(Map.of("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"))
                .build();
        LogGroup frameworkLogs = LogGroup.Builder.create(this, "FrameworkLogs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        Role onEventRole = Role.Builder.create(this, "OnEventRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
        Role completeRole = Role.Builder.create(this, "CompleteRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
        frameworkLogs.grantWrite(onEventRole);
        frameworkLogs.grantWrite(completeRole);
        Provider provider = Provider.Builder.create(this, "Provider")
                .onEventHandler(handler).isCompleteHandler(handler)
                .queryInterval(Duration.seconds(20)).totalTimeout(Duration.minutes(55))
                .logGroup(frameworkLogs)
                .frameworkOnEventRole(onEventRole)
                .frameworkCompleteAndTimeoutRole(completeRole)
                .disableWaiterStateMachineLogging(false)
                .waiterStateMachineLogOptions(LogOptions.builder().destination(frameworkLogs).level(LogLevel.ALL)
                        .includeExecutionData(false).build())
                .build();

        String[] interactionsArn = new String[1];
        List<CustomResource> imports = new ArrayList<>();
        for (Map.Entry<String, String> schema : schemas.entrySet()) {
            CfnSchema cfnSchema = CfnSchema.Builder.create(this, schema.getKey() + "Schema")
                    .name("baseline-" + schema.getKey().toLowerCase()).domain("ECOMMERCE").schema(schema.getValue())
                    .build();
            CfnDataset dataset = CfnDataset.Builder.create(this, schema.getKey())
                    .name("baseline-" + schema.getKey().toLowerCase())
                    .datasetType(schema.getKey())
                    .datasetGroupArn(group.getAttrDatasetGroupArn())
                    .schemaArn(cfnSchema.getAttrSchemaArn())
                    .build();
            if (schema.getKey().equals("Interactions")) {
                interactionsArn[0] = dataset.getAttrDatasetArn();
            }
            imports.add(CustomResource.Builder.create(this, schema.getKey() + "Import")
                    .serviceToken(provider.getServiceToken())
                    .serviceTimeout(Duration.minutes(57))
                    .resourceType("Custom::PersonalizeDatasetImportJob")
                    .properties(Map.of("JobType", "IMPORT", "DatasetArn", dataset.getAttrDatasetArn(),
                            "RoleArn", access.getAttrArn(), "JobNamePrefix", schema.getKey() + "Import",
                            "DataLocation", Fn.join("", List.of("s3://", data.getRef(), "/imports/"
                                    + schema.getKey().toLowerCase() + "/"))))
                    .build());
        }
        CustomResource incremental = CustomResource.Builder.create(this, "IncrementalImport")
                .serviceToken(provider.getServiceToken())
                .serviceTimeout(Duration.minutes(57))
                .resourceType("Custom::PersonalizeDatasetImportJob")
                .properties(Map.of("JobType", "IMPORT", "DatasetArn", interactionsArn[0],
                        "RoleArn", access.getAttrArn(), "JobNamePrefix", "IncrementalImport", "ImportMode", "INCREMENTAL",
                        "DataLocation", Fn.join("", List.of("s3://", data.getRef(), "/imports/interactions-incremental/"))))
                .build();
        incremental.getNode().addDependency(this.getNode().findChild("InteractionsImport"));
        imports.add(incremental);
        // the same sample data as the example, deployed ahead of every import: not part of what P1 compares
        List<ISource> sources = new ArrayList<>();
        SampleData.ecommerce().forEach((key, content) -> sources.add(Source.data(key, content)));
        BucketDeployment sampleData = BucketDeployment.Builder.create(this, "SampleData")
                .sources(sources)
                .destinationBucket(Bucket.fromBucketAttributes(this, "DataBucketRef", BucketAttributes.builder()
                        .bucketName(data.getRef()).bucketArn(data.getAttrArn()).build()))
                .prune(false)
                .retainOnDelete(false)
                .build();
        imports.forEach(job -> job.getNode().addDependency(sampleData));
        handler.addToRolePolicy(software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                .actions(List.of("personalize:CreateDatasetImportJob", "personalize:DescribeDatasetImportJob"))
                .resources(List.of("*")).build());
        handler.addToRolePolicy(software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                .actions(List.of("iam:PassRole")).resources(List.of(access.getAttrArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "personalize.amazonaws.com")))
                .build());
    }
}
