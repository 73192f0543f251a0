package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.contract.JobNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;

/** What the handler, the job roles, the buckets and the keys are allowed, asserted on the synthesized templates. */
class AccessTest {
    private static Dataset interactions(Stack stack) {
        Schema schema = Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build();
        return new DatasetGroup(stack, "Group").addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());
    }

    /** @return the job-name patterns the handler of the stack may create jobs under, as regular expressions */
    @SuppressWarnings("unchecked")
    private static List<Pattern> handlerJobPatterns(Stack stack, String action) {
        Template template = Template.fromStack(stack);
        List<Pattern> patterns = new ArrayList<>();
        for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
            Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policy.get("Properties"))
                    .get("PolicyDocument");
            for (Map<String, Object> statement : (List<Map<String, Object>>) document.get("Statement")) {
                Object actions = statement.get("Action");
                if (!(action.equals(actions) || actions instanceof List<?> list && list.contains(action))) {
                    continue;
                }
                for (Object resource : (List<Object>) statement.get("Resource")) {
                    String arn = String.valueOf(((List<Object>) ((List<Object>) ((Map<String, Object>) resource)
                            .get("Fn::Join")).get(1)).get(6));
                    if (!arn.contains("-job/")) {
                        continue; // the dataset
                    }
                    String name = arn.substring(arn.indexOf('/') + 1);
                    patterns.add(Pattern.compile(Pattern.quote(name).replace("*", "\\E.*\\Q")));
                }
            }
        }
        return patterns;
    }

    private static String defaultJobName(Stack stack, String requestId) {
        Map<String, Map<String, Object>> jobs = Template.fromStack(stack).findResources(DatasetImportJob.RESOURCE_TYPE);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) jobs.values().iterator().next().get("Properties");
        return JobNames.name(String.valueOf(properties.get("JobNamePrefix")), requestId);
    }

    @Test
    void stacksWhoseNamesShareTheirStartNeverMayStartEachOthersJobs() {
        App app = new App();
        List<Stack> stacks = List.of(new Stack(app, "RecommendationsPipeline-Prod"),
                new Stack(app, "RecommendationsPipeline-Dev"));
        for (Stack stack : stacks) {
            interactions(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                    .dataSource(DataSource.fromBucket(new Bucket(stack, "Data"), "imports/")).build());
        }
        String prodJob = defaultJobName(stacks.get(0), "request-1");
        String devJob = defaultJobName(stacks.get(1), "request-1");
        List<Pattern> prod = handlerJobPatterns(stacks.get(0), "personalize:CreateDatasetImportJob");
        List<Pattern> dev = handlerJobPatterns(stacks.get(1), "personalize:CreateDatasetImportJob");

        assertThat(prod).hasSize(1).allMatch(p -> p.matcher(prodJob).matches() && !p.matcher(devJob).matches());
        assertThat(dev).hasSize(1).allMatch(p -> p.matcher(devJob).matches() && !p.matcher(prodJob).matches());
        assertThat(prodJob).matches("^Recommendati[0-9A-F]{8}-Import[0-9A-F]{8}-[0-9a-f]{16}$");
    }

    @Test
    void tagResourceIsAllowedOnJobsOnly() {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        Bucket bucket = new Bucket(stack, "Data");
        dataset.addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/")).build());
        dataset.addExportJob("Export", DatasetExportJobOptions.builder().bucket(bucket).prefix("exports/").build());

        Template template = Template.fromStack(stack);
        String stackPart = DatasetJobProvider.of(stack).getJobNamePrefix();
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Map.of("Action", "personalize:TagResource", "Effect", "Allow",
                        "Resource", List.of(TestApps.personalizeArn("dataset-import-job/" + stackPart + "-*"),
                                TestApps.personalizeArn("dataset-export-job/" + stackPart + "-*"))))))));
        assertThat(String.valueOf(template.findResources("AWS::IAM::Policy"))).doesNotContain(
                "personalize:CreateDatasetImportJob, personalize:TagResource",
                "personalize:CreateDatasetExportJob, personalize:TagResource");
    }

    private static final String SOURCE_ARN = "arn:${AWS::Partition}:personalize:${AWS::Region}:${AWS::AccountId}:*";
    private static final String DEPUTY = "\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"" + SOURCE_ARN + "\"},"
            + "\"StringEquals\":{\"aws:SourceAccount\":\"${AWS::AccountId}\"}";
    private static final String PERSONALIZE = "\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
            + "\"personalize.amazonaws.com\"}";

    private static List<Path> policyFiles(Path outdir, String kind) throws IOException {
        try (Stream<Path> files = Files.list(outdir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(kind)).sorted().toList();
        }
    }

    private static List<String> warnings(Stack stack, String id) {
        List<String> out = new ArrayList<>();
        for (SynthesisMessage message : Annotations.fromStack(stack).findWarning("*", Match.anyValue())) {
            String text = String.valueOf(message.getEntry().getData());
            if (text.contains("[ack: " + id + "]")) {
                out.add(message.getId() + " :: " + text);
            }
        }
        return out;
    }

    private static DatasetImportJob importFrom(Dataset dataset, String id, DataSource source) {
        return dataset.addImportJob(id, DatasetImportJobOptions.builder().dataSource(source).build());
    }

    @Test
    void anUnownedBucketGetsOneCompleteFileForEveryJobOnItAndOneWarning() throws IOException {
        Path outdir = Files.createTempDirectory("cdk-out");
        App app = App.Builder.create().outdir(outdir.toString()).build();
        Stack stack = new Stack(app, "Stack");
        Dataset dataset = interactions(stack);
        DatasetImportJob first = importFrom(dataset, "ImportA", DataSource.fromUri("s3://shared-data/imports/a/"));
        importFrom(dataset, "ImportB", DataSource.fromUri("s3://shared-data/imports/b/"));
        dataset.addExportJob("Export", DatasetExportJobOptions.builder()
                .bucket(Bucket.fromBucketName(stack, "Out", "shared-data")).prefix("exports/").build());
        app.synth();

        String expected = "{\"Statement\":["
                + "{\"Action\":\"s3:GetObject\"," + DEPUTY + "}," + PERSONALIZE + ",\"Resource\":["
                + "\"arn:${AWS::Partition}:s3:::shared-data/imports/a/*\","
                + "\"arn:${AWS::Partition}:s3:::shared-data/imports/b/*\"]},"
                + "{\"Action\":\"s3:ListBucket\"," + DEPUTY + ",\"StringLike\":{\"s3:prefix\":["
                + "\"imports/a/*\",\"imports/b/*\",\"exports/*\"]}}," + PERSONALIZE
                + ",\"Resource\":\"arn:${AWS::Partition}:s3:::shared-data\"},"
                + "{\"Action\":\"s3:PutObject\"," + DEPUTY + "}," + PERSONALIZE
                + ",\"Resource\":\"arn:${AWS::Partition}:s3:::shared-data/exports/*\"}"
                + "],\"Version\":\"2012-10-17\"}";
        assertThat(policyFiles(outdir, "bucket-policy")).containsExactly(outdir.resolve("bucket-policy.shared-data.json"));
        assertThat(outdir.resolve("bucket-policy.shared-data.json")).hasContent(expected);
        assertThat(warnings(stack, "personalize-cdk:bucketPolicyNotAttached")).containsExactly(
                "/Stack/PersonalizeCdkJobProvider/DefaultJobRole :: bucket 'shared-data' is not owned by this app, so "
                        + "Personalize's statements cannot be attached to its policy: apply the bucket policy in "
                        + "bucket-policy.shared-data.json (next to the template), which holds what every import and "
                        + "export of the app needs on the bucket; in it, replace ${AWS::Partition} with the partition "
                        + "(aws, aws-cn or aws-us-gov), ${AWS::Region} with the stack's region, ${AWS::AccountId} with "
                        + "the account ID the stack deploys to [ack: personalize-cdk:bucketPolicyNotAttached]");
        // the role has the same: both import folders, the export folder, and one ListBucket for all three
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(first.getRole()))),
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:GetObject", "Effect", "Allow", "Resource", List.of(
                                s3Arn("shared-data/imports/a/*"), s3Arn("shared-data/imports/b/*"))),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow", "Resource", s3Arn("shared-data"),
                                "Condition", Map.of("StringLike", Map.of("s3:prefix",
                                        List.of("imports/a/*", "imports/b/*", "exports/*")))),
                        Map.of("Action", "s3:PutObject", "Effect", "Allow",
                                "Resource", s3Arn("shared-data/exports/*"))))));
    }

    private static Map<String, Object> s3Arn(String resource) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":s3:::" + resource)));
    }

    @Test
    void oneUnownedBucketUsedByTwoStacksAndTwoRolesStillGetsOneFile() throws IOException {
        Path outdir = Files.createTempDirectory("cdk-out");
        App app = App.Builder.create().outdir(outdir.toString()).build();
        Stack one = new Stack(app, "One");
        Stack two = new Stack(app, "Two");
        new PersonalizeServiceRole(one, "Access").grantImportFrom(Bucket.fromBucketName(one, "B", "shared-data"),
                "one/");
        new PersonalizeServiceRole(two, "Access").grantExportTo(Bucket.fromBucketName(two, "B", "shared-data"),
                "two/", null);
        app.synth();

        assertThat(policyFiles(outdir, "bucket-policy")).hasSize(1);
        assertThat(Files.readString(outdir.resolve("bucket-policy.shared-data.json"))).contains(
                "\"arn:${AWS::Partition}:s3:::shared-data/one/*\"", "\"arn:${AWS::Partition}:s3:::shared-data/two/*\"",
                "\"s3:PutObject\"", "\"s3:GetObject\"");
        assertThat(warnings(one, "personalize-cdk:bucketPolicyNotAttached")).hasSize(1);
        assertThat(warnings(two, "personalize-cdk:bucketPolicyNotAttached")).isEmpty();
    }

    @Test
    void oneBucketThroughTwoBucketObjectsKeepsListBucketForBothPrefixes() {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        DatasetImportJob job = importFrom(dataset, "ImportA", DataSource.fromUri("s3://shared-data/a/"));
        importFrom(dataset, "ImportB", DataSource.fromUri("s3://shared-data/b/"));

        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(job.getRole()))),
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:GetObject", "Effect", "Allow",
                                "Resource", List.of(s3Arn("shared-data/a/*"), s3Arn("shared-data/b/*"))),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow", "Resource", s3Arn("shared-data"),
                                "Condition", Map.of("StringLike", Map.of("s3:prefix", List.of("a/*", "b/*"))))))));
    }

    @Test
    void wholeBucketImportsReadTheBucketsRoot() throws IOException {
        Path outdir = Files.createTempDirectory("cdk-out");
        App app = App.Builder.create().outdir(outdir.toString()).build();
        Stack stack = new Stack(app, "Stack");
        Dataset dataset = interactions(stack);
        Bucket owned = new Bucket(stack, "Data");
        DatasetImportJob fromBucket = importFrom(dataset, "Owned", DataSource.fromBucket(owned, null));
        importFrom(dataset, "Shared", DataSource.fromUri("s3://shared-data/"));
        app.synth();

        Template template = Template.fromStack(stack);
        template.hasResourceProperties(DatasetImportJob.RESOURCE_TYPE, Map.of("DataLocation",
                Map.of("Fn::Join", List.of("", List.of("s3://", Map.of("Ref", TestApps.logicalId(owned)), "/")))));
        template.hasResourceProperties(DatasetImportJob.RESOURCE_TYPE, Map.of("DataLocation", "s3://shared-data/"));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(fromBucket.getRole()))),
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:GetObject", "Effect", "Allow", "Resource", Map.of("Fn::Join",
                                List.of("", List.of(TestApps.getAtt(owned, "Arn"), "/*")))),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow", "Resource", TestApps.getAtt(owned, "Arn")),
                        Map.of("Action", "s3:GetObject", "Effect", "Allow", "Resource", s3Arn("shared-data/*")),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow", "Resource", s3Arn("shared-data"))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Action", "s3:ListBucket",
                        "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")),
                                "ArnLike", Map.of("aws:SourceArn", TestApps.personalizeArn("*"))))))))));
        assertThat(Files.readString(outdir.resolve("bucket-policy.shared-data.json"))).contains(
                "\"Action\":\"s3:ListBucket\"," + DEPUTY + "}," + PERSONALIZE
                        + ",\"Resource\":\"arn:${AWS::Partition}:s3:::shared-data\"}");
    }

    @Test
    void aJobWithItsOwnRoleGetsTheBucketAndKeyStatementsAndTheWarning() throws IOException {
        Path outdir = Files.createTempDirectory("cdk-out");
        App app = App.Builder.create().outdir(outdir.toString()).build();
        Stack stack = new Stack(app, "Stack");
        Dataset dataset = interactions(stack);
        Role mine = Role.Builder.create(stack, "Mine").assumedBy(PersonalizeServiceRole.servicePrincipal(stack)).build();
        Key key = new Key(stack, "DataKey");
        Bucket owned = Bucket.Builder.create(stack, "Data").encryption(BucketEncryption.KMS).encryptionKey(key).build();
        dataset.addImportJob("Owned", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(owned, "imports/")).role(mine).build());
        dataset.addImportJob("Shared", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri("s3://shared-data/imports/")).role(mine).build());
        app.synth();

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", TestApps.logicalId(owned)),
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Action", "s3:GetObject",
                                "Principal", Map.of("Service", "personalize.amazonaws.com"),
                                "Resource", Map.of("Fn::Join", List.of("", List.of(TestApps.getAtt(owned, "Arn"),
                                        "/imports/*"))))))))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Action", "kms:Decrypt",
                        "Principal", Map.of("Service", "personalize.amazonaws.com"))),
                Match.objectLike(Map.of("Action", "kms:Decrypt",
                        "Principal", Map.of("AWS", TestApps.getAtt(mine, "Arn")))))))));
        // the role's own policy stays the caller's
        assertThat(template.findResources("AWS::IAM::Policy", Map.of("Properties", Match.objectLike(Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(mine)))))))).isEmpty();
        assertThat(warnings(stack, "personalize-cdk:bucketPolicyNotAttached")).singleElement().asString()
                .startsWith("/Stack/Group/Interactions/Shared :: bucket 'shared-data' is not owned by this app");
        assertThat(outdir.resolve("bucket-policy.shared-data.json")).content()
                .contains("\"arn:${AWS::Partition}:s3:::shared-data/imports/*\"");
    }

    @Test
    void anUnownedKeyGetsOneFileWithResolvedValuesAndAWarningWithoutIntrinsics() throws IOException {
        Path outdir = Files.createTempDirectory("cdk-out");
        App app = App.Builder.create().outdir(outdir.toString()).build();
        Stack stack = new Stack(app, "Stack", StackProps.builder()
                .env(Environment.builder().account("111111111111").region("eu-west-1").build()).build());
        String keyArn = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        IKey shared = Key.fromKeyArn(stack, "SharedKey", keyArn);
        DatasetGroup group = DatasetGroup.Builder.create(stack, "Group").encryptionKey(shared).build();
        Schema schema = Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build();
        Dataset dataset = group.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());
        DatasetExportJob export = dataset.addExportJob("Export", DatasetExportJobOptions.builder()
                .bucket(new Bucket(stack, "Exports")).prefix("exports/").outputKey(shared).build());
        app.synth();

        assertThat(policyFiles(outdir, "key-policy")).containsExactly(
                outdir.resolve("key-policy.1234abcd-12ab-34cd-56ef-1234567890ab.json"));
        String file = Files.readString(outdir.resolve("key-policy.1234abcd-12ab-34cd-56ef-1234567890ab.json"));
        String jobRole = "${" + TestApps.logicalId(export.getRole()) + ".Arn}";
        String groupRole = "${" + TestApps.logicalId(group.getEncryptionRole()) + ".Arn}";
        assertThat(file).contains(
                "\"kms:ViaService\":\"s3.eu-west-1.amazonaws.com\"",
                "\"aws:SourceArn\":\"arn:aws:personalize:eu-west-1:111111111111:*\"",
                "\"aws:SourceAccount\":\"111111111111\"",
                "\"Principal\":{\"AWS\":\"" + jobRole + "\"}",
                "\"Principal\":{\"AWS\":\"" + groupRole + "\"}",
                "\"Sid\":\"AllowPersonalizeServiceToUseKey\"",
                "\"kms:GenerateDataKeyWithoutPlaintext\"", "\"kms:GenerateDataKey\"", "\"kms:CreateGrant\"")
                .doesNotContain("Fn::", "AWS::Region", "AWS::Partition", "AWS::AccountId", "AWS::URLSuffix");
        List<String> warnings = warnings(stack, "personalize-cdk:keyPolicyNotUpdated");
        assertThat(warnings).containsExactly("/Stack/Group :: KMS key " + keyArn + " is not owned by this app, so "
                + "its key policy cannot be updated: add the statements in "
                + "key-policy.1234abcd-12ab-34cd-56ef-1234567890ab.json (next to the template) to its key policy; "
                + "in it, replace " + groupRole + " with the ARN of role 'Stack/Group/EncryptionRole' once deployed, "
                + jobRole + " with the ARN of role 'Stack/PersonalizeCdkJobProvider/DefaultJobRole/Role' once deployed "
                + "[ack: personalize-cdk:keyPolicyNotUpdated]");
    }

    @Test
    void anAliasThisAppCreatesStandsForItsKey() {
        Stack stack = TestApps.stack();
        Key key = new Key(stack, "GroupKey");
        DatasetGroup group = DatasetGroup.Builder.create(stack, "Group")
                .encryptionKey(Alias.Builder.create(stack, "Alias").aliasName("alias/personalize").targetKey(key).build())
                .build();

        assertThat(group.getEncryptionKey()).isSameAs(key);
        Template.fromStack(stack).hasResourceProperties("AWS::Personalize::DatasetGroup", Map.of(
                "KmsKeyArn", TestApps.getAtt(key, "Arn")));
    }

    @Test
    void aJobInsideAGrantedFolderAddsNothingToTheBucketPolicy() {
        Stack stack = TestApps.stack();
        Bucket bucket = new Bucket(stack, "Data");
        PersonalizeServiceRole access = new PersonalizeServiceRole(stack, "Access");
        access.grantImportFrom(bucket, "imports/");
        interactions(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/interactions/")).role(access.getRole()).build());

        Template.fromStack(stack).hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of(
                "Statement", List.of(
                        Match.objectLike(Map.of("Action", "s3:GetObject", "Resource", Map.of("Fn::Join", List.of("",
                                List.of(TestApps.getAtt(bucket, "Arn"), "/imports/*"))))),
                        Match.objectLike(Map.of("Action", "s3:ListBucket", "Condition", Match.objectLike(Map.of(
                                "StringLike", Map.of("s3:prefix", "imports/*")))))))));
    }

    @Test
    void anEncryptionRoleInAnotherStackWorksWhenTheKeyIsThereToo() {
        App app = new App();
        Stack shared = new Stack(app, "Shared");
        Stack group = new Stack(app, "Personalize");
        Key key = new Key(shared, "Key");
        Role role = Role.Builder.create(shared, "Role").assumedBy(PersonalizeServiceRole.servicePrincipal(shared))
                .build();
        DatasetGroup.Builder.create(group, "Group").encryptionKey(key).encryptionRole(role).build();

        // a dependency cycle between the stacks would fail here
        Template.fromStack(group).resourceCountIs("AWS::Personalize::DatasetGroup", 1);
        Template.fromStack(shared).hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Sid", "AllowPersonalizeRoleToUseKey",
                        "Principal", Map.of("AWS", TestApps.getAtt(role, "Arn")))))))));
    }
}
