package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.User;

class DatasetTest {
    @Test
    void addDatasetWiresGroupSchemaAndCloudFormationTypeAndRetains() {
        Stack stack = TestApps.stack();
        DatasetGroup group = DatasetGroup.Builder.create(stack, "Group").domain(Domain.ECOMMERCE).build();
        Schema schema = Schema.Builder.create(stack, "Schema")
                .domain(Domain.ECOMMERCE).definition(TestApps.interactions()).build();
        Dataset dataset = group.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());

        Template.fromStack(stack).hasResource("AWS::Personalize::Dataset", Map.of(
                "Properties", Map.of(
                        "Name", dataset.getDatasetName(),
                        "DatasetType", "Interactions",
                        "DatasetGroupArn", TestApps.getAtt(group, "DatasetGroupArn"),
                        "SchemaArn", TestApps.getAtt(schema, "SchemaArn")),
                "DeletionPolicy", "Retain",
                "UpdateReplacePolicy", "Retain"));
        assertThat(dataset.getNode().getPath()).isEqualTo("Stack/Group/Interactions");
        assertThat(dataset.getDatasetName()).matches("Stack-Group-Interactions-[0-9A-F]{8}");
        assertThat(dataset.getDatasetGroup()).isSameAs(group);
        assertThat(dataset.getSchema()).isSameAs(schema);
        assertThat(stack.resolve(dataset.getDatasetArn())).isEqualTo(TestApps.getAtt(dataset, "DatasetArn"));
    }

    @Test
    void builderTakesNameRemovalPolicyAndEachCloudFormationType() {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");
        Schema users = Schema.Builder.create(stack, "Users").definition(TestApps.users(2)).build();
        Schema items = Schema.Builder.create(stack, "Items").definition(SchemaDefinition.fromFields("Items",
                SchemaField.of("ITEM_ID", FieldType.STRING),
                SchemaField.of("DESCRIPTION", FieldType.STRING).textual())).build();
        Dataset.Builder.create(stack, "UsersDataset").datasetGroup(group).datasetType(DatasetType.USERS)
                .schema(users).datasetName("users").removalPolicy(RemovalPolicy.DESTROY).build();
        Dataset.Builder.create(stack, "ItemsDataset").datasetGroup(group).datasetType(DatasetType.ITEMS)
                .schema(items).datasetName("items").build();

        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::Personalize::Dataset", 2);
        template.hasResource("AWS::Personalize::Dataset", Map.of(
                "Properties", Map.of("Name", "users", "DatasetType", "Users"), "DeletionPolicy", "Delete"));
        template.hasResource("AWS::Personalize::Dataset", Map.of(
                "Properties", Map.of("Name", "items", "DatasetType", "Items"), "DeletionPolicy", "Retain"));
    }

    @Test
    void importedGroupAndSchemaPassTheirArnsThrough() {
        Stack stack = TestApps.stack();
        String groupArn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop";
        String schemaArn = "arn:aws:personalize:us-east-1:123456789012:schema/clicks";
        Dataset.Builder.create(stack, "Interactions")
                .datasetGroup(DatasetGroup.fromDatasetGroupArn(stack, "Group", groupArn))
                .datasetType(DatasetType.INTERACTIONS)
                .schema(Schema.fromSchemaArn(stack, "Schema", schemaArn))
                .build();

        Template.fromStack(stack).hasResourceProperties("AWS::Personalize::Dataset", Map.of(
                "DatasetGroupArn", groupArn, "SchemaArn", schemaArn, "DatasetType", "Interactions"));
    }

    @Test
    void importByArnReadsTheType() {
        Stack stack = TestApps.stack();
        IDataset dataset = Dataset.fromDatasetArn(stack, "Items",
                "arn:aws:personalize:eu-west-1:123456789012:dataset/shop/ITEMS");
        assertThat(dataset.getDatasetType()).isEqualTo(DatasetType.ITEMS);
        assertThat(dataset.getDatasetGroup()).isNull();
    }

    @Test
    void grantsAreScopedToTheDatasetArn() {
        Stack stack = TestApps.stack();
        String arn = "arn:aws:personalize:eu-west-1:123456789012:dataset/shop/ITEMS";
        IDataset items = Dataset.fromDatasetArn(stack, "Items", arn);
        User user = new User(stack, "Writer");
        items.grantPutRecords(user);
        items.grantRead(user);

        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "personalize:PutItems", "Effect", "Allow", "Resource", arn),
                        Map.of("Action", "personalize:DescribeDataset", "Effect", "Allow", "Resource", arn)))));
    }
}
