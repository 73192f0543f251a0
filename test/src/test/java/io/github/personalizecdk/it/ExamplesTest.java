package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.contract.NameRules;
import io.github.personalizecdk.contract.SchemaResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What the example apps promise: the walkthrough's data model, kept on delete and replacement (but cleaned up
 * when the first create fails), a working KMS setup, and a template CloudFormation can order.
 */
class ExamplesTest {
    private static final Map<String, Object> RETAINED = Map.of("DeletionPolicy", "RetainExceptOnCreate",
            "UpdateReplacePolicy", "Retain");

    @Test
    void ecommerceExampleHasDomainGroupThreeSchemasAndThreeRetainedDatasets() {
        Template template = Templates.examples().get("PersonalizeEcommerceExample");
        template.resourceCountIs("AWS::Personalize::DatasetGroup", 1);
        template.resourceCountIs("AWS::Personalize::Schema", 0);
        template.resourceCountIs(SchemaResource.TYPE, 3);
        template.resourceCountIs("AWS::Personalize::Dataset", 0);
        template.resourceCountIs(DatasetResource.TYPE, 3);
        template.hasResourceProperties("AWS::Personalize::DatasetGroup", Map.of("Domain", "ECOMMERCE"));
        for (String type : List.of("INTERACTIONS", "ITEMS", "USERS")) {
            template.hasResource(DatasetResource.TYPE, Map.of(
                    "Properties", Match.objectLike(Map.of(
                            DatasetResource.DATASET_TYPE, type,
                            DatasetResource.DATASET_GROUP_ARN, Map.of("Fn::GetAtt",
                                    List.of(Match.stringLikeRegexp("Group.*"), "DatasetGroupArn")),
                            DatasetResource.SCHEMA_ARN, Map.of("Fn::GetAtt",
                                    List.of(Match.stringLikeRegexp(".*Schema.*"), SchemaResource.ATT_SCHEMA_ARN)),
                            DatasetResource.SCHEMA_DEFINITION, Match.stringLikeRegexp("^\\{\"type\":\"record\".*"))),
                    "DeletionPolicy", "RetainExceptOnCreate",
                    "UpdateReplacePolicy", "Retain"));
        }
        template.allResources(SchemaResource.TYPE, Match.objectLike(Map.of(
                "Properties", Match.objectLike(Map.of(SchemaResource.DOMAIN, "ECOMMERCE",
                        SchemaResource.DEFINITION, Match.stringLikeRegexp("^\\{\"type\":\"record\".*"))),
                "DeletionPolicy", "RetainExceptOnCreate", "UpdateReplacePolicy", "Retain")));
        template.allResources(DatasetResource.TYPE, Match.objectLike(RETAINED));
        template.allResources("AWS::Personalize::DatasetGroup", Match.objectLike(RETAINED));
    }

    @Test
    void generatedNamesEndInTheHashOfTheirCreateOnlyInputsAndFitPersonalizesRule() {
        for (Template template : Templates.examples().values()) {
            List<String> names = new ArrayList<>();
            template.findResources("AWS::Personalize::DatasetGroup").values()
                    .forEach(r -> names.add(property(r, "Name")));
            template.findResources(SchemaResource.TYPE).values()
                    .forEach(r -> names.add(property(r, SchemaResource.SCHEMA_NAME)));
            template.findResources(DatasetResource.TYPE).values()
                    .forEach(r -> names.add(property(r, DatasetResource.DATASET_NAME)));
            assertThat(names).isNotEmpty().doesNotHaveDuplicates().allSatisfy(name -> assertThat(name)
                    .hasSizeLessThanOrEqualTo(NameRules.MAX_LENGTH)
                    .matches(NameRules.PATTERN)
                    .matches(".*-[0-9A-F]{8}-[0-9a-f]{8}"));
        }
    }

    @Test
    void everyExampleTemplateCanBeOrderedByCloudFormation() {
        // Template.fromStack refuses a template whose Ref, Fn::GetAtt and DependsOn edges form a cycle, such as
        // a dataset custom resource named in the policy of the handler that serves it
        assertThat(Templates.examples()).hasSize(2);
        Map<String, Object> a = Map.of("Type", "Custom::A", "Properties", Map.of("X",
                Map.of("Fn::GetAtt", List.of("B", "Arn"))));
        Map<String, Object> b = Map.of("Type", "Custom::B", "DependsOn", List.of("A"));
        assertThatThrownBy(() -> Template.fromJSON(Map.of("Resources", Map.of("A", a, "B", b))))
                .hasMessageContaining("dependency cycle");
    }

    @SuppressWarnings("unchecked")
    private static String property(Map<String, Object> resource, String name) {
        return (String) ((Map<String, Object>) resource.get("Properties")).get(name);
    }

    @Test
    void encryptedExampleGrantsPersonalizeTheKeyInRoleAndKeyPolicy() {
        Template template = Templates.examples().get("PersonalizeEncryptedCustomExample");
        template.hasResourceProperties("AWS::Personalize::DatasetGroup", Map.of(
                "Domain", Match.absent(),
                "KmsKeyArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("DataKey.*"), "Arn")),
                "RoleArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("GroupEncryptionRole.*"), "Arn"))));
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement", List.of(
                // cdk.json's @aws-cdk/aws-iam:minimizePolicies sorts the actions
                Map.of("Action", List.of("kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:ListGrants"),
                        "Effect", "Allow",
                        "Resource", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("DataKey.*"), "Arn")))))));
        List<String> keyActions = List.of("kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey",
                "kms:ListGrants");
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
        template.allResources(DatasetResource.TYPE, Match.objectLike(RETAINED));
        template.allResources(SchemaResource.TYPE, Match.objectLike(RETAINED));
        // the created encryption role and its policy follow the group: a kept group keeps needing them
        assertThat(template.findResources("AWS::IAM::Role", Map.of("Properties", Match.objectLike(Map.of(
                "Description", Match.stringLikeRegexp("Lets Amazon Personalize use the KMS key.*"))),
                "DeletionPolicy", "RetainExceptOnCreate", "UpdateReplacePolicy", "Retain"))).hasSize(1);
        assertThat(template.findResources("AWS::IAM::Policy", Map.of("Properties", Match.objectLike(Map.of(
                "PolicyName", Match.stringLikeRegexp("GroupEncryptionRoleDefaultPolicy.*"))),
                "DeletionPolicy", "RetainExceptOnCreate", "UpdateReplacePolicy", "Retain"))).hasSize(1);
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
        encrypted.resourceCountIs("Custom::PersonalizeDatasetImportJob", 1);
        Map<String, Map<String, Object>> encryptedImport = encrypted.findResources("Custom::PersonalizeDatasetImportJob");
        encrypted.hasResource("Custom::PersonalizeDatasetExportJob", Map.of(
                "Properties", Match.anyValue(),
                "DependsOn", Match.arrayWith(List.of(encryptedImport.keySet().iterator().next()))));
        encrypted.hasResourceProperties("Custom::PersonalizeDatasetExportJob", Map.of(
                "IngestionMode", "ALL",
                "KmsKeyArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("ExportKey.*"), "Arn"))));

        for (Template template : Templates.examples().values()) {
            assertThat(template.findResources("AWS::Lambda::Function", Map.of("Properties", Map.of(
                    "Runtime", "java25")))).hasSize(1);
            template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
        }
    }

    @Test
    void sampleDataIsDeployedToTheImportBucketWithoutPruningExports() {
        Map<String, String> buckets = Map.of("PersonalizeEcommerceExample", "DataBucket.*",
                "PersonalizeEncryptedCustomExample", "ExportBucket.*");
        buckets.forEach((stack, bucket) -> {
            Template template = Templates.examples().get(stack);
            template.resourceCountIs("Custom::CDKBucketDeployment", 1);
            template.hasResourceProperties("Custom::CDKBucketDeployment", Match.objectLike(Map.of(
                    "DestinationBucketName", Map.of("Ref", Match.stringLikeRegexp(bucket)),
                    "Prune", false)));
        });
    }
}
