package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** What the example apps promise: the walkthrough's data model, kept on delete, and a working KMS setup. */
class ExamplesTest {
    private static final Map<String, Object> RETAINED = Map.of("DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain");

    @Test
    void ecommerceExampleHasDomainGroupThreeSchemasAndThreeRetainedDatasets() {
        Template template = Templates.examples().get("PersonalizeEcommerceExample");
        template.resourceCountIs("AWS::Personalize::DatasetGroup", 1);
        template.resourceCountIs("AWS::Personalize::Schema", 3);
        template.resourceCountIs("AWS::Personalize::Dataset", 3);
        template.hasResourceProperties("AWS::Personalize::DatasetGroup", Map.of("Domain", "ECOMMERCE"));
        for (String type : List.of("Interactions", "Items", "Users")) {
            template.hasResource("AWS::Personalize::Dataset", Map.of(
                    "Properties", Map.of("DatasetType", type), "DeletionPolicy", "Retain",
                    "UpdateReplacePolicy", "Retain"));
        }
        template.allResources("AWS::Personalize::Schema", Match.objectLike(Map.of(
                "Properties", Map.of("Domain", "ECOMMERCE"), "DeletionPolicy", "Retain")));
        template.allResources("AWS::Personalize::Dataset", Match.objectLike(RETAINED));
        template.allResources("AWS::Personalize::DatasetGroup", Match.objectLike(RETAINED));
    }

    @Test
    void encryptedExampleGrantsPersonalizeTheKeyInRoleAndKeyPolicy() {
        Template template = Templates.examples().get("PersonalizeEncryptedCustomExample");
        template.hasResourceProperties("AWS::Personalize::DatasetGroup", Map.of(
                "Domain", Match.absent(),
                "KmsKeyArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("DataKey.*"), "Arn")),
                "RoleArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("GroupEncryptionRole.*"), "Arn"))));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", List.of(
                Map.of("Action", List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants"),
                        "Effect", "Allow",
                        "Resource", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("DataKey.*"), "Arn")))))));
        List<String> keyActions = List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants",
                "kms:CreateGrant");
        template.hasResourceProperties("AWS::KMS::Key", Map.of(
                "EnableKeyRotation", true,
                "KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Action", keyActions,
                                "Principal", Map.of("Service", "personalize.amazonaws.com"),
                                "Condition", Match.objectLike(Map.of(
                                        "StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")))))),
                        Match.objectLike(Map.of("Action", keyActions,
                                "Principal", Map.of("AWS", Map.of("Fn::GetAtt",
                                        List.of(Match.stringLikeRegexp("GroupEncryptionRole.*"), "Arn"))))))))));
        template.allResources("AWS::Personalize::Dataset", Match.objectLike(RETAINED));
    }

    @Test
    void exampleBucketsAreTlsOnlyPrivateAndAccessLogged() {
        Map<String, Object> blockAll = Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                "IgnorePublicAcls", true, "RestrictPublicBuckets", true);
        for (Template template : Templates.examples().values()) {
            template.allResourcesProperties("AWS::S3::Bucket",
                    Match.objectLike(Map.of("PublicAccessBlockConfiguration", blockAll)));
            Map<String, Map<String, Object>> buckets = template.findResources("AWS::S3::Bucket");
            Map<String, Map<String, Object>> logged = template.findResources("AWS::S3::Bucket",
                    Map.of("Properties", Map.of("LoggingConfiguration", Map.of(
                            "DestinationBucketName", Map.of("Ref", Match.stringLikeRegexp("AccessLogs.*"))))));
            assertThat(logged).hasSize(buckets.size() - 1);
            assertThat(template.findResources("AWS::S3::BucketPolicy")).hasSize(buckets.size());
            template.allResourcesProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of(
                    "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny", "Action", "s3:*",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))),
                            "Version", "2012-10-17"))));
        }
    }

    @Test
    void examplesRunImportsPerDatasetThenAnIncrementalOneAndAnEncryptedExportThroughOneHandler() {
        Template ecommerce = Templates.examples().get("PersonalizeEcommerceExample");
        ecommerce.resourceCountIs("Custom::PersonalizeDatasetImportJob", 4);
        for (String type : List.of("Interactions", "Items", "Users")) {
            ecommerce.hasResourceProperties("Custom::PersonalizeDatasetImportJob", Map.of(
                    "ImportMode", "FULL",
                    "DatasetArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Group" + type + ".*"),
                            "DatasetArn"))));
        }
        Map<String, Map<String, Object>> full = ecommerce.findResources("Custom::PersonalizeDatasetImportJob",
                Map.of("Properties", Map.of("ImportMode", "FULL", "DataLocation", Match.objectLike(Map.of("Fn::Join",
                        List.of("", Match.arrayWith(List.of("/imports/interactions/")))))) ));
        assertThat(full).hasSize(1);
        ecommerce.hasResource("Custom::PersonalizeDatasetImportJob", Map.of(
                "Properties", Match.objectLike(Map.of("ImportMode", "INCREMENTAL")),
                "DependsOn", Match.arrayWith(List.of(full.keySet().iterator().next()))));

        Template encrypted = Templates.examples().get("PersonalizeEncryptedCustomExample");
        encrypted.resourceCountIs("Custom::PersonalizeDatasetExportJob", 1);
        encrypted.hasResourceProperties("Custom::PersonalizeDatasetExportJob", Map.of(
                "IngestionMode", "ALL",
                "KmsKeyArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("ExportKey.*"), "Arn"))));

        for (Template template : Templates.examples().values()) {
            assertThat(template.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of(
                    "Runtime", "java25")))).hasSize(1);
            template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
        }
    }
}
