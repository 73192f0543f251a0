package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketAttributes;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;

class PersonalizeServiceRoleTest {
    private static final Map<String, Object> SERVICE = Map.of("Service", "personalize.amazonaws.com");
    private static final Map<String, Object> SOURCE_ARN = Map.of("Fn::Join", List.of("", List.of(
            "arn:", Map.of("Ref", "AWS::Partition"), ":personalize:", Map.of("Ref", "AWS::Region"), ":",
            Map.of("Ref", "AWS::AccountId"), ":*")));
    private static final Map<String, Object> SOURCE_ACCOUNT =
            Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId"));
    private static final Map<String, Object> DEPUTY = Map.of(
            "StringEquals", SOURCE_ACCOUNT, "ArnLike", Map.of("aws:SourceArn", SOURCE_ARN));
    private static final Map<String, Object> S3_VIA = Map.of("StringEquals", Map.of("kms:ViaService",
            Map.of("Fn::Join", List.of("", List.of("s3.", Map.of("Ref", "AWS::Region"), ".",
                    Map.of("Ref", "AWS::URLSuffix"))))));

    private static Map<String, Object> objects(IBucket bucket, String pattern) {
        return Map.of("Fn::Join", List.of("", List.of(TestApps.getAtt(bucket, "Arn"), "/" + pattern)));
    }

    private static Map<String, Object> prefixCondition(String prefix) {
        return Map.of("StringLike", Map.of("s3:prefix", prefix + "*"));
    }

    @Test
    void roleTrustsOnlyPersonalizeForThisAccount() {
        Stack stack = TestApps.stack();
        new PersonalizeServiceRole(stack, "Access");
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Role", Map.of(
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", "sts:AssumeRole", "Effect", "Allow", "Principal", SERVICE, "Condition", DEPUTY)))));
    }

    @Test
    void importWithPrefixGrantsGetObjectUnderPrefixAndListBucketLimitedToIt() {
        Stack stack = TestApps.stack();
        Bucket bucket = new Bucket(stack, "Data");
        PersonalizeServiceRole access = new PersonalizeServiceRole(stack, "Access");
        AccessGrant grant = access.grantImportFrom(bucket, "imports/");

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(access.getRole()))),
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:GetObject", "Effect", "Allow", "Resource", objects(bucket, "imports/*")),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow",
                                "Resource", TestApps.getAtt(bucket, "Arn"),
                                "Condition", prefixCondition("imports/"))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", TestApps.logicalId(bucket)),
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:GetObject", "Effect", "Allow", "Principal", SERVICE,
                                "Resource", objects(bucket, "imports/*"), "Condition", DEPUTY),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow", "Principal", SERVICE,
                                "Resource", TestApps.getAtt(bucket, "Arn"),
                                "Condition", Map.of("StringEquals", SOURCE_ACCOUNT,
                                        "ArnLike", Map.of("aws:SourceArn", SOURCE_ARN),
                                        "StringLike", Map.of("s3:prefix", "imports/*")))))));
        assertThat(grant.isBucketPolicyApplied()).isTrue();
        assertThat(grant.getKeyPolicyStatements()).isEmpty();
        assertThat(grant.getRoleStatements()).hasSize(2);
    }

    @Test
    void importWithoutPrefixCoversTheWholeBucketWithoutPrefixCondition() {
        Stack stack = TestApps.stack();
        Bucket bucket = new Bucket(stack, "Data");
        new PersonalizeServiceRole(stack, "Access").grantImportFrom(bucket, null);

        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:GetObject", "Effect", "Allow", "Resource", objects(bucket, "*")),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow",
                                "Resource", TestApps.getAtt(bucket, "Arn"))))));
    }

    @Test
    void importOfOneObjectKeyIsScopedToThatKey() {
        Stack stack = TestApps.stack();
        Bucket bucket = new Bucket(stack, "Data");
        new PersonalizeServiceRole(stack, "Access").grantImportFrom(bucket, "imports/interactions.csv");

        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:GetObject", "Effect", "Allow",
                                "Resource", objects(bucket, "imports/interactions.csv*")),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow",
                                "Resource", TestApps.getAtt(bucket, "Arn"),
                                "Condition", prefixCondition("imports/interactions.csv"))))));
    }

    @Test
    void exportGrantsPutObjectAndListBucket() {
        Stack stack = TestApps.stack();
        Bucket bucket = new Bucket(stack, "Data");
        new PersonalizeServiceRole(stack, "Access").grantExportTo(bucket, "exports/", null);

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "s3:PutObject", "Effect", "Allow", "Resource", objects(bucket, "exports/*")),
                        Map.of("Action", "s3:ListBucket", "Effect", "Allow",
                                "Resource", TestApps.getAtt(bucket, "Arn"),
                                "Condition", prefixCondition("exports/"))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Action", "s3:PutObject", "Effect", "Allow", "Principal", SERVICE,
                                "Resource", objects(bucket, "exports/*"), "Condition", DEPUTY))))));
    }

    @Test
    void sseKmsBucketImportGrantsDecryptThroughS3OnTheBucketKey() {
        Stack stack = TestApps.stack();
        Key key = new Key(stack, "BucketKey");
        Bucket bucket = Bucket.Builder.create(stack, "Data").encryption(BucketEncryption.KMS).encryptionKey(key).build();
        PersonalizeServiceRole access = new PersonalizeServiceRole(stack, "Access");
        AccessGrant grant = access.grantImportFrom(bucket, "imports/");

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Action", "kms:Decrypt", "Effect", "Allow",
                                "Resource", TestApps.getAtt(key, "Arn"), "Condition", S3_VIA))))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of(
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Action", "kms:Decrypt", "Effect", "Allow", "Principal", SERVICE, "Resource", "*",
                                "Condition", DEPUTY),
                        Map.of("Action", "kms:Decrypt", "Effect", "Allow",
                                "Principal", Map.of("AWS", TestApps.getAtt(access.getRole(), "Arn")),
                                "Resource", "*", "Condition", S3_VIA))))));
        assertThat(grant.isKeyPolicyApplied()).isTrue();
        assertThat(grant.getKeyPolicyStatements()).hasSize(2);
    }

    @Test
    void exportOutputKeyGetsGenerateDataKeyAndDecrypt() {
        Stack stack = TestApps.stack();
        Key outputKey = new Key(stack, "OutputKey");
        Bucket bucket = new Bucket(stack, "Data");
        new PersonalizeServiceRole(stack, "Access").grantExportTo(bucket, "exports/", outputKey);

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Action", List.of("kms:GenerateDataKey", "kms:Decrypt"), "Effect", "Allow",
                                "Resource", TestApps.getAtt(outputKey, "Arn"), "Condition", S3_VIA))))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of(
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Action", List.of("kms:GenerateDataKey", "kms:Decrypt"), "Effect", "Allow",
                                "Principal", SERVICE, "Resource", "*", "Condition", DEPUTY))))));
    }

    @Test
    void encryptedDatasetGroupKeyGetsDecryptAndGenerateDataKeyWithoutPlaintext() {
        Stack stack = TestApps.stack();
        Key groupKey = new Key(stack, "GroupKey");
        DatasetGroup group = DatasetGroup.Builder.create(stack, "Group").encryptionKey(groupKey).build();
        PersonalizeServiceRole access = new PersonalizeServiceRole(stack, "Access");
        access.grantDatasetGroupKey(group);
        List<String> actions = List.of("kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext");

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(access.getRole()))),
                "PolicyDocument", Map.of("Statement", List.of(Map.of("Action", actions, "Effect", "Allow",
                        "Resource", TestApps.getAtt(groupKey, "Arn"))))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of(
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Action", actions, "Effect", "Allow", "Principal", SERVICE, "Resource", "*",
                                "Condition", DEPUTY),
                        Map.of("Action", actions, "Effect", "Allow", "Resource", "*",
                                "Principal", Map.of("AWS", TestApps.getAtt(access.getRole(), "Arn"))))))));
        assertThat(access.grantDatasetGroupKey(new DatasetGroup(stack, "Plain")).getRoleStatements()).isEmpty();
    }

    @Test
    void importedBucketWarnsAndWritesTheBucketPolicyNextToTheTemplate() throws Exception {
        Path outdir = Files.createTempDirectory("cdk-out");
        App app = App.Builder.create().outdir(outdir.toString()).build();
        Stack stack = new Stack(app, "Stack");
        IBucket bucket = Bucket.fromBucketName(stack, "Shared", "shared-data");
        PersonalizeServiceRole access = new PersonalizeServiceRole(stack, "Access");
        AccessGrant grant = access.grantImportFrom(bucket, "imports/");
        app.synth();

        String expected = "{\"Statement\":["
                + "{\"Action\":\"s3:GetObject\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":"
                + "\"arn:${AWS::Partition}:personalize:${AWS::Region}:${AWS::AccountId}:*\"},"
                + "\"StringEquals\":{\"aws:SourceAccount\":\"${AWS::AccountId}\"}},\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"personalize.amazonaws.com\"},"
                + "\"Resource\":\"arn:${AWS::Partition}:s3:::shared-data/imports/*\"},"
                + "{\"Action\":\"s3:ListBucket\",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":"
                + "\"arn:${AWS::Partition}:personalize:${AWS::Region}:${AWS::AccountId}:*\"},"
                + "\"StringEquals\":{\"aws:SourceAccount\":\"${AWS::AccountId}\"},"
                + "\"StringLike\":{\"s3:prefix\":\"imports/*\"}},\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"personalize.amazonaws.com\"},"
                + "\"Resource\":\"arn:${AWS::Partition}:s3:::shared-data\"}],\"Version\":\"2012-10-17\"}";
        assertThat(grant.isBucketPolicyApplied()).isFalse();
        assertThat(grant.getBucketPolicyJson()).isEqualTo(expected);
        String file = "bucket-policy.shared-data.json";
        assertThat(outdir.resolve(file)).hasContent(expected);
        Annotations.fromStack(stack).hasWarning("/Stack/Access", Match.stringLikeRegexp(
                "bucket 'shared-data' is not owned by this app, so Personalize's statements cannot be attached to its "
                        + "policy: apply the bucket policy in " + file.replace(".", "\\.") + " \\(next to the "
                        + "template\\).*"));
        Template.fromStack(stack).resourceCountIs("AWS::S3::BucketPolicy", 0);
    }

    @Test
    void importedKeyOfImportedBucketIsReportedToo() {
        Stack stack = TestApps.stack();
        IBucket bucket = Bucket.fromBucketAttributes(stack, "Shared", BucketAttributes.builder()
                .bucketName("shared-data")
                .encryptionKey(Key.fromKeyArn(stack, "SharedKey",
                        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
                .build());
        AccessGrant grant = new PersonalizeServiceRole(stack, "Access").grantImportFrom(bucket, "imports/");

        assertThat(grant.isKeyPolicyApplied()).isFalse();
        assertThat(grant.getKeyPolicyJson()).contains("\"Action\":\"kms:Decrypt\"", "personalize.amazonaws.com",
                "\"kms:ViaService\":\"s3.${AWS::Region}.${AWS::URLSuffix}\"");
        Annotations.fromStack(stack).hasWarning("/Stack/Access", Match.stringLikeRegexp(
                "KMS key arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab is not owned "
                        + "by this app, so its key policy cannot be updated: add the statements in "
                        + "key-policy\\.1234abcd-12ab-34cd-56ef-1234567890ab\\.json.*"));
    }

    /** The template leaves the partition to CloudFormation; the owner's JSON fills it in from the region. */
    @Test
    void otherPartitionsGetTheirOwnArns() {
        Stack stack = new Stack(new App(), "Stack", StackProps.builder()
                .env(Environment.builder().account("123456789012").region("cn-north-1").build()).build());
        IBucket bucket = Bucket.fromBucketName(stack, "Shared", "shared-data");
        AccessGrant grant = new PersonalizeServiceRole(stack, "Access").grantExportTo(bucket, "exports/", null);

        assertThat(grant.getBucketPolicyJson()).contains(
                "\"aws:SourceArn\":\"arn:aws-cn:personalize:cn-north-1:123456789012:*\"",
                "\"aws:SourceAccount\":\"123456789012\"",
                "\"Resource\":\"arn:aws-cn:s3:::shared-data/exports/*\"",
                "\"Resource\":\"arn:aws-cn:s3:::shared-data\"");
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Role", Map.of(
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", "sts:AssumeRole", "Effect", "Allow", "Principal", SERVICE,
                        "Condition", Map.of(
                                "StringEquals", Map.of("aws:SourceAccount", "123456789012"),
                                "ArnLike", Map.of("aws:SourceArn", Map.of("Fn::Join", List.of("", List.of("arn:",
                                        Map.of("Ref", "AWS::Partition"),
                                        ":personalize:cn-north-1:123456789012:*"))))))))));
    }

    @Test
    void givenRoleReceivesTheGrants() {
        Stack stack = TestApps.stack();
        software.amazon.awscdk.services.iam.Role mine = software.amazon.awscdk.services.iam.Role.Builder
                .create(stack, "Mine").assumedBy(PersonalizeServiceRole.servicePrincipal(stack)).build();
        PersonalizeServiceRole access = PersonalizeServiceRole.Builder.create(stack, "Access").role(mine).build();
        access.grantImportFrom(new Bucket(stack, "Data"), "imports/");

        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::IAM::Role", 1);
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("Roles", List.of(Map.of("Ref", TestApps.logicalId(mine)))));
        assertThat(access.getRoleArn()).isEqualTo(mine.getRoleArn());
    }
}
