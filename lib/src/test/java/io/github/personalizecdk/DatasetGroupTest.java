package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.User;
import software.amazon.awscdk.services.kms.Key;

class DatasetGroupTest {
    private static final Map<String, Object> SOURCE_ARN = Map.of("Fn::Join", List.of("", List.of(
            "arn:", Map.of("Ref", "AWS::Partition"), ":personalize:", Map.of("Ref", "AWS::Region"), ":",
            Map.of("Ref", "AWS::AccountId"), ":*")));
    private static final Map<String, Object> CONFUSED_DEPUTY = Map.of(
            "StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")),
            "ArnLike", Map.of("aws:SourceArn", SOURCE_ARN));
    private static final List<String> KEY_POLICY_ACTIONS = List.of(
            "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants", "kms:CreateGrant");

    @Test
    void defaultsToCustomGroupWithGeneratedNameRetainedOnDelete() {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");

        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::Personalize::DatasetGroup", 1);
        template.hasResource("AWS::Personalize::DatasetGroup", Map.of(
                "Properties", Map.of("Name", group.getDatasetGroupName(),
                        "Domain", Match.absent(), "KmsKeyArn", Match.absent(), "RoleArn", Match.absent()),
                "DeletionPolicy", "RetainExceptOnCreate",
                "UpdateReplacePolicy", "Retain"));
        template.resourceCountIs("AWS::IAM::Role", 0);
        assertThat(group.getDatasetGroupName()).matches("Stack-Group-[0-9A-F]{8}-[0-9a-f]{8}");
        assertThat(stack.resolve(group.getDatasetGroupArn())).isEqualTo(TestApps.getAtt(group, "DatasetGroupArn"));
        assertThat(group.getDomain()).isNull();
        assertThat(group.isDomainKnown()).isTrue();
    }

    @Test
    void generatedNameFitsTheLimitForDeepPaths() {
        Stack stack = TestApps.stack();
        String longId = "A".repeat(200);
        DatasetGroup group = new DatasetGroup(stack, longId);
        assertThat(group.getDatasetGroupName()).hasSizeLessThanOrEqualTo(63).matches("[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
    }

    @Test
    void domainNameAndRemovalPolicyGoToTheTemplate() {
        Stack stack = TestApps.stack();
        DatasetGroup.Builder.create(stack, "Group")
                .datasetGroupName("retail-group")
                .domain(Domain.VIDEO_ON_DEMAND)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        Template.fromStack(stack).hasResource("AWS::Personalize::DatasetGroup", Map.of(
                "Properties", Map.of("Name", "retail-group", "Domain", "VIDEO_ON_DEMAND"),
                "DeletionPolicy", "Delete"));
    }

    @Test
    void encryptionKeyCreatesRoleAndGrantsKeyUseInRoleAndKeyPolicy() {
        Stack stack = TestApps.stack();
        Key key = new Key(stack, "Key");
        DatasetGroup group = DatasetGroup.Builder.create(stack, "Group").encryptionKey(key).build();
        Map<String, Object> keyArn = TestApps.getAtt(key, "Arn");
        Map<String, Object> roleArn = TestApps.getAtt(group.getEncryptionRole(), "Arn");

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::Personalize::DatasetGroup", Map.of(
                "KmsKeyArn", keyArn,
                "RoleArn", roleArn));
        template.hasResourceProperties("AWS::IAM::Role", Map.of(
                "AssumeRolePolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", "sts:AssumeRole",
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "personalize.amazonaws.com"),
                        "Condition", CONFUSED_DEPUTY)))));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants"),
                        "Effect", "Allow",
                        "Resource", keyArn)))));
        template.hasResourceProperties("AWS::KMS::Key", Map.of(
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Sid", "AllowPersonalizeServiceToUseKey",
                                "Action", KEY_POLICY_ACTIONS,
                                "Effect", "Allow",
                                "Principal", Map.of("Service", "personalize.amazonaws.com"),
                                "Resource", "*",
                                "Condition", CONFUSED_DEPUTY),
                        Map.of("Sid", "AllowPersonalizeRoleToUseKey",
                                "Action", KEY_POLICY_ACTIONS,
                                "Effect", "Allow",
                                "Principal", Map.of("AWS", roleArn),
                                "Resource", "*"))))));
        String roleId = TestApps.logicalId(group.getEncryptionRole());
        template.hasResource("AWS::Personalize::DatasetGroup", Map.of("DependsOn", Match.arrayWith(List.of(
                Match.stringLikeRegexp("GroupEncryptionRoleDefaultPolicy.*"), roleId))));
        // a kept group keeps needing its role: both follow the group's removal policy
        Map<String, Object> retainedExceptOnCreate = Map.of("DeletionPolicy", "RetainExceptOnCreate",
                "UpdateReplacePolicy", "Retain");
        template.hasResource("AWS::IAM::Role", retainedExceptOnCreate);
        template.hasResource("AWS::IAM::Policy", retainedExceptOnCreate);
        assertThat(group.getEncryptionKey()).isSameAs(key);
        assertThat(group.getEncryptionRole()).isNotNull();
    }

    @Test
    void givenEncryptionRoleIsUsedAndGranted() {
        Stack stack = TestApps.stack();
        Key key = new Key(stack, "Key");
        Role role = Role.Builder.create(stack, "MyRole")
                .assumedBy(new ServicePrincipal("personalize.amazonaws.com")).build();
        DatasetGroup.Builder.create(stack, "Group").encryptionKey(key).encryptionRole(role).build();
        Map<String, Object> keyArn = TestApps.getAtt(key, "Arn");

        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::IAM::Role", 1);
        template.hasResourceProperties("AWS::Personalize::DatasetGroup", Map.of(
                "RoleArn", TestApps.getAtt(role, "Arn")));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(role))),
                "PolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants"),
                        "Effect", "Allow",
                        "Resource", keyArn)))));
    }

    @Test
    void importedKeyWarnsWithTheStatementToAddToTheKeyPolicy() {
        Stack stack = TestApps.stack();
        String keyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        DatasetGroup.Builder.create(stack, "Group")
                .encryptionKey(Key.fromKeyArn(stack, "Key", keyArn)).build();

        Template.fromStack(stack).hasResourceProperties("AWS::Personalize::DatasetGroup", Map.of("KmsKeyArn", keyArn));
        Annotations.fromStack(stack).hasWarning("/Stack/Group", Match.stringLikeRegexp(
                "KMS key " + keyArn + " is not owned by this app, so its key policy cannot be updated: add the "
                        + "statements in key-policy.1234abcd-12ab-34cd-56ef-1234567890ab.json \\(next to the "
                        + "template\\) to its key policy; in it, replace .*"));
    }

    @Test
    void importByArnParsesTheName() {
        Stack stack = TestApps.stack();
        IDatasetGroup group = DatasetGroup.fromDatasetGroupArn(stack, "Imported",
                "arn:aws-cn:personalize:cn-north-1:123456789012:dataset-group/shop_1");
        assertThat(group.getDatasetGroupName()).isEqualTo("shop_1");
        assertThat(group.getDatasetGroupArn())
                .isEqualTo("arn:aws-cn:personalize:cn-north-1:123456789012:dataset-group/shop_1");
        assertThat(group.isDomainKnown()).isFalse();

        IDatasetGroup typed = DatasetGroup.fromDatasetGroupAttributes(stack, "Typed", DatasetGroupAttributes.builder()
                .datasetGroupArn("arn:aws:personalize:us-east-1:123456789012:dataset-group/g")
                .domain(Domain.ECOMMERCE).build());
        assertThat(typed.isDomainKnown()).isTrue();
        assertThat(typed.getDomain()).isEqualTo(Domain.ECOMMERCE);
    }

    @Test
    void grantReadScopesToTheGroupArn() {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");
        User user = new User(stack, "Reader");
        group.grantRead(user);
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", List.of(Map.of(
                        "Action", "personalize:DescribeDatasetGroup",
                        "Effect", "Allow",
                        "Resource", TestApps.getAtt(group, "DatasetGroupArn"))))));
    }
}
