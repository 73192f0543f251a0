package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;

class JobsTest {
    private static final String HANDLER = "io.github.personalizecdk.handler.CustomResourceHandler::handleRequest";

    private static Dataset interactions(Stack stack, DatasetGroup group) {
        Schema schema = Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build();
        return group.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());
    }

    private static Dataset interactions(Stack stack) {
        return interactions(stack, new DatasetGroup(stack, "Group"));
    }

    private static long javaHandlers(Template template) {
        return template.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", HANDLER))).size();
    }

    @ParameterizedTest(name = "{0} jobs")
    @ValueSource(ints = {1, 2, 20})
    void oneHandlerAndOneProviderPerStackHoweverManyJobs(int jobs) {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        Bucket bucket = new Bucket(stack, "Data");
        for (int i = 0; i < jobs; i++) {
            dataset.addImportJob("Import" + i, DatasetImportJobOptions.builder()
                    .dataSource(DataSource.fromBucket(bucket, "imports/part-" + i + ".csv")).build());
        }

        Template template = Template.fromStack(stack);
        template.resourceCountIs("Custom::PersonalizeDatasetImportJob", jobs);
        assertThat(javaHandlers(template)).isEqualTo(1);
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
        template.resourceCountIs("AWS::Lambda::Function", 4); // the handler and the framework's three
        template.allResourcesProperties("Custom::PersonalizeDatasetImportJob", Match.objectLike(Map.of(
                "ServiceTimeout", "3420", "TimeoutSeconds", "3000", "Wait", "true")));
    }

    @Test
    void handlerRunsOnTheNewestJavaRuntimeWithTunedJvmAndModestMemory() {
        Stack stack = TestApps.stack();
        interactions(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri("s3://shared-data/imports/interactions.csv")).build());

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", HANDLER,
                "Runtime", "java25",
                "MemorySize", 512,
                "Timeout", 60,
                "Environment", Map.of("Variables", Map.of("JAVA_TOOL_OPTIONS",
                        "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")),
                "SnapStart", Match.absent()));
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "LoggingConfiguration", Match.objectLike(Map.of("Level", "ALL"))));
    }

    @Test
    void theWaiterLogsToAVendedLogsGroupSoStacksDoNotGrowTheAccountsLogResourcePolicy() {
        Stack stack = TestApps.stack();
        interactions(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri("s3://shared-data/imports/interactions.csv")).build());

        Template template = Template.fromStack(stack);
        Map<String, Map<String, Object>> groups = template.findResources("AWS::Logs::LogGroup", Map.of(
                "Properties", Map.of("LogGroupName", Match.stringLikeRegexp("^/aws/vendedlogs/states/[A-Za-z0-9-]+$"))));
        assertThat(groups).hasSize(1);
        String waiterLogs = groups.keySet().iterator().next();
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of("LoggingConfiguration",
                Match.objectLike(Map.of("Destinations", List.of(Map.of("CloudWatchLogsLogGroup", Map.of(
                        "LogGroupArn", Map.of("Fn::GetAtt", List.of(waiterLogs, "Arn")))))))));
    }

    @Test
    void snapStartIsAnOptionThroughContext() {
        App app = App.Builder.create().context(Map.of(DatasetJobProvider.SNAP_START_CONTEXT, "true")).build();
        Stack stack = new Stack(app, "Stack");
        interactions(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri("s3://shared-data/imports/")).build());

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", HANDLER, "SnapStart", Map.of("ApplyOn", "PublishedVersions")));
        template.resourceCountIs("AWS::Lambda::Version", 1);
    }

    @Test
    void importJobPropertiesAndDefaultRoleAreScopedToTheSource() {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        Bucket bucket = new Bucket(stack, "Data");
        DatasetImportJob job = DatasetImportJob.Builder.create(stack, "Import")
                .dataset(dataset)
                .dataSource(DataSource.fromBucket(bucket, "imports/"))
                .importMode(ImportMode.INCREMENTAL)
                .publishAttributionMetricsToS3(true)
                .jobNamePrefix("nightly")
                .timeout(Duration.minutes(20))
                .waitForCompletion(false)
                .tags(Map.of("team", "ml", "cost-center", "42"))
                .build();

        Template template = Template.fromStack(stack);
        template.hasResource("Custom::PersonalizeDatasetImportJob", Map.of(
                "Properties", Map.of(
                        "JobType", "IMPORT",
                        "DatasetArn", TestApps.getAtt(dataset, "DatasetArn"),
                        "RoleArn", TestApps.getAtt(job.getRole(), "Arn"),
                        "DataLocation", Map.of("Fn::Join", List.of("", List.of("s3://",
                                Map.of("Ref", TestApps.logicalId(bucket)), "/imports/"))),
                        "ImportMode", "INCREMENTAL",
                        "PublishAttributionMetricsToS3", "true",
                        "JobNamePrefix", "nightly",
                        "Wait", "false",
                        "TimeoutSeconds", "1200",
                        "Tags", List.of(Map.of("Key", "cost-center", "Value", "42"), Map.of("Key", "team", "Value", "ml")))));
        // the shared role's and the bucket's policies come before the handler, and every job after the handler
        template.hasResource("AWS::Lambda::Function", Map.of(
                "Properties", Match.objectLike(Map.of("Handler", HANDLER)),
                "DependsOn", Match.arrayWith(List.of(Match.stringLikeRegexp("DataPolicy.*"),
                        Match.stringLikeRegexp(".*DefaultJobRoleDefaultPolicy.*"),
                        TestApps.logicalId(job.getRole())))));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(job.getRole()))),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Action", "s3:GetObject",
                        "Resource", Map.of("Fn::Join", List.of("", List.of(TestApps.getAtt(bucket, "Arn"),
                                "/imports/*"))))))))));
        assertThat(stack.resolve(job.getJobArn())).isEqualTo(TestApps.getAtt(job.getNode().findChild("Resource"),
                "JobArn"));
    }

    @Test
    void handlerMayCreateAndDescribeOnlyTheStacksDatasetsAndJobsAndPassOnlyJobRolesToPersonalize() {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        Role role = Role.Builder.create(stack, "JobRole")
                .assumedBy(PersonalizeServiceRole.servicePrincipal(stack)).build();
        dataset.addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri("s3://shared-data/imports/")).role(role).jobNamePrefix("daily").build());
        dataset.addExportJob("Export", DatasetExportJobOptions.builder()
                .bucket(Bucket.fromBucketName(stack, "Out", "exports-bucket")).prefix("out/").role(role)
                .jobNamePrefix("weekly").build());

        Map<String, Object> importJobs = jobPattern("dataset-import-job/daily-*");
        Map<String, Object> exportJobs = jobPattern("dataset-export-job/weekly-*");
        // the dataset by its formatted ARN: its custom resource's attribute here would be a dependency cycle
        Map<String, Object> datasetArn = jobPattern("dataset/" + dataset.getDatasetGroup().getDatasetGroupName()
                + "/INTERACTIONS");
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", List.of(
                        Match.objectLike(Map.of("Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"))),
                        Match.objectLike(Map.of("Action", List.of("personalize:CreateSchema",
                                "personalize:DescribeSchema", "personalize:DeleteSchema"))),
                        Match.objectLike(Map.of("Action", "personalize:CreateDataset")),
                        Match.objectLike(Map.of("Action", List.of("personalize:DescribeDataset",
                                "personalize:UpdateDataset", "personalize:DeleteDataset"))),
                        Match.objectLike(Map.of("Action", "cloudformation:DescribeStacks")),
                        Map.of("Action", "personalize:CreateDatasetImportJob", "Effect", "Allow",
                                "Resource", List.of(datasetArn, importJobs)),
                        Map.of("Action", "personalize:TagResource", "Effect", "Allow",
                                "Resource", List.of(importJobs, exportJobs)),
                        Map.of("Action", "personalize:DescribeDatasetImportJob", "Effect", "Allow",
                                "Resource", List.of(importJobs)),
                        Map.of("Action", "iam:PassRole", "Effect", "Allow",
                                "Resource", List.of(TestApps.getAtt(role, "Arn")),
                                "Condition", Map.of("StringEquals",
                                        Map.of("iam:PassedToService", "personalize.amazonaws.com"))),
                        // a rollback that restores this policy must still stop a long wait's poller
                        Match.objectLike(Map.of("Action", "states:StopExecution")),
                        Map.of("Action", "personalize:CreateDatasetExportJob", "Effect", "Allow",
                                "Resource", List.of(datasetArn, exportJobs)),
                        Map.of("Action", "personalize:DescribeDatasetExportJob", "Effect", "Allow",
                                "Resource", List.of(exportJobs))))));
    }

    @Test
    void jobsFollowTheirDatasetWhileTheHandlerPolicyNamesNoCustomResource() {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        Bucket bucket = new Bucket(stack, "Data");
        DatasetImportJob load = dataset.addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/")).build());
        DatasetExportJob export = dataset.addExportJob("Export", DatasetExportJobOptions.builder()
                .bucket(bucket).prefix("exports/").build());

        // Template.fromStack refuses a dependency cycle, e.g. the dataset's attribute in the handler's policy
        Template template = Template.fromStack(stack);
        for (DatasetJobBase job : List.of(load, export)) {
            template.hasResourceProperties(job instanceof DatasetImportJob ? DatasetImportJob.RESOURCE_TYPE
                    : DatasetExportJob.RESOURCE_TYPE, Match.objectLike(Map.of(
                            "DatasetArn", TestApps.getAtt(dataset, "DatasetArn"))));
        }
        String handlerPolicy = String.valueOf(template.findResources("AWS::IAM::Policy", Map.of(
                "Properties", Match.objectLike(Map.of("Roles", List.of(Map.of("Ref",
                        TestApps.logicalId(DatasetJobProvider.of(stack).getHandler().getRole()))))))));
        assertThat(handlerPolicy).contains("personalize:CreateDataset", "personalize:CreateDatasetImportJob",
                "personalize:CreateDatasetExportJob").doesNotContain(TestApps.logicalId(dataset));
    }

    private static Map<String, Object> jobPattern(String resource) {
        return TestApps.personalizeArn(resource);
    }

    @Test
    void exportJobUsesOutputKeyAndReadsAnEncryptedGroup() {
        Stack stack = TestApps.stack();
        Key groupKey = new Key(stack, "GroupKey");
        Dataset dataset = interactions(stack, DatasetGroup.Builder.create(stack, "Group").encryptionKey(groupKey).build());
        Key outputKey = new Key(stack, "OutputKey");
        Bucket bucket = new Bucket(stack, "Exports");
        DatasetExportJob job = dataset.addExportJob("Export", DatasetExportJobOptions.builder()
                .bucket(bucket).prefix("exports/").outputKey(outputKey).ingestionMode(IngestionMode.ALL).build());

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("Custom::PersonalizeDatasetExportJob", Map.of(
                "JobType", "EXPORT",
                "OutputPath", Map.of("Fn::Join", List.of("", List.of("s3://", Map.of("Ref", TestApps.logicalId(bucket)),
                        "/exports/"))),
                "KmsKeyArn", TestApps.getAtt(outputKey, "Arn"),
                "IngestionMode", "ALL",
                "JobNamePrefix", Match.stringLikeRegexp("^Stack[0-9A-F]{8}-InteractionsExport[0-9A-F]{8}$")));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(job.getRole()))),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Action", List.of("kms:GenerateDataKey", "kms:Decrypt"),
                                "Resource", TestApps.getAtt(outputKey, "Arn"))),
                        Match.objectLike(Map.of("Action", List.of("kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"),
                                "Resource", TestApps.getAtt(groupKey, "Arn"))))))));
    }

    @Test
    void exportDefaultsToPutIngestionAndCanBeOrderedAfterAnImport() {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        Bucket bucket = new Bucket(stack, "Data");
        DatasetImportJob load = dataset.addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/")).build());
        DatasetExportJob export = dataset.addExportJob("Export", DatasetExportJobOptions.builder()
                .bucket(bucket).prefix("exports/").build());
        export.getNode().addDependency(load);

        Template template = Template.fromStack(stack);
        template.hasResource("Custom::PersonalizeDatasetExportJob", Map.of(
                "Properties", Match.objectLike(Map.of("IngestionMode", "PUT", "KmsKeyArn", Match.absent())),
                "DependsOn", Match.arrayWith(List.of(TestApps.logicalId(load.getNode().findChild("Resource"))))));
    }

    @Test
    void tagsOfAScopeReachTheJobs() {
        Stack stack = TestApps.stack();
        interactions(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri("s3://shared-data/imports/")).tags(Map.of("own", "yes")).build());
        Tags.of(stack).add("project", "recs");

        Template.fromStack(stack).hasResourceProperties("Custom::PersonalizeDatasetImportJob", Map.of(
                "Tags", List.of(Map.of("Key", "own", "Value", "yes"), Map.of("Key", "project", "Value", "recs"))));
    }

    @Test
    void jobsWithoutARoleShareOneRoleWhoseStatementsGrowWithEachLocation() {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        Bucket bucket = new Bucket(stack, "Data");
        DatasetImportJob first = dataset.addImportJob("First", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/a/")).build());
        DatasetImportJob second = dataset.addImportJob("Second", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/b/")).build());
        dataset.addImportJob("Again", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/a/")).build());

        assertThat(second.getRole()).isSameAs(first.getRole());
        Map<String, Object> bucketArn = TestApps.getAtt(bucket, "Arn");
        List<Object> objects = List.of(
                Map.of("Fn::Join", List.of("", List.of(bucketArn, "/imports/a/*"))),
                Map.of("Fn::Join", List.of("", List.of(bucketArn, "/imports/b/*"))));
        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(first.getRole()))),
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:GetObject", "Effect", "Allow", "Resource", objects),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow", "Resource", bucketArn,
                                "Condition", Map.of("StringLike", Map.of("s3:prefix",
                                        List.of("imports/a/*", "imports/b/*"))))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "PolicyDocument", Map.of("Statement", List.of(
                        Match.objectLike(Map.of("Action", "s3:GetObject", "Resource", objects)),
                        Match.objectLike(Map.of("Action", "s3:ListBucket", "Condition", Match.objectLike(Map.of(
                                "StringLike", Map.of("s3:prefix", List.of("imports/a/*", "imports/b/*"))))))))));
        template.resourceCountIs("AWS::IAM::Role", 5); // shared job role, handler, 2 framework roles, waiter
    }

    @Test
    void aJobWithItsOwnRoleWaitsForThatRolesPolicy() {
        Stack stack = TestApps.stack();
        Role role = Role.Builder.create(stack, "JobRole")
                .assumedBy(PersonalizeServiceRole.servicePrincipal(stack)).build();
        Bucket bucket = new Bucket(stack, "Data");
        role.addToPrincipalPolicy(software.amazon.awscdk.services.iam.PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject")).resources(List.of(bucket.arnForObjects("*"))).build());
        DatasetImportJob job = interactions(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/")).role(role).build());

        Template.fromStack(stack).hasResource("Custom::PersonalizeDatasetImportJob", Map.of(
                "DependsOn", Match.arrayWith(List.of(Match.stringLikeRegexp("JobRoleDefaultPolicy.*"),
                        TestApps.logicalId(role)))));
        assertThat(job.getRole()).isSameAs(role);
    }
}
