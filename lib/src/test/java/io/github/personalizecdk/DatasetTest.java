package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.contract.DatasetResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.iam.User;

class DatasetTest {
    private static final String COMPACT_INTERACTIONS = "{\"type\":\"record\",\"name\":\"Interactions\","
            + "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
            + "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
            + "{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}],"
            + "\"version\":\"1.0\"}";

    @Test
    void addDatasetRendersTheCustomResourceServedByTheStacksHandlerAndRetainsExceptOnCreate() {
        Stack stack = TestApps.stack();
        DatasetGroup group = DatasetGroup.Builder.create(stack, "Group").domain(Domain.ECOMMERCE).build();
        Schema schema = Schema.Builder.create(stack, "Schema")
                .domain(Domain.ECOMMERCE).definition(TestApps.interactions()).build();
        Dataset dataset = group.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());

        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::Personalize::Dataset", 0);
        template.resourceCountIs(DatasetResource.TYPE, 1);
        template.hasResource(DatasetResource.TYPE, Map.of(
                "Properties", Map.of(
                        "ServiceToken", TestApps.getAtt(DatasetJobProvider.of(stack).getProvider().getNode()
                                .findChild("framework-onEvent"), "Arn"),
                        "ServiceTimeout", "3420",
                        DatasetResource.DATASET_NAME, dataset.getDatasetName(),
                        DatasetResource.DATASET_TYPE, "INTERACTIONS",
                        DatasetResource.DATASET_GROUP_ARN, TestApps.getAtt(group, "DatasetGroupArn"),
                        DatasetResource.SCHEMA_ARN, TestApps.getAtt(schema, "SchemaArn"),
                        DatasetResource.SCHEMA_DEFINITION, COMPACT_INTERACTIONS),
                "DeletionPolicy", "RetainExceptOnCreate",
                "UpdateReplacePolicy", "Retain"));
        assertThat(dataset.getNode().getPath()).isEqualTo("Stack/Group/Interactions");
        assertThat(dataset.getResource().getNode().getId()).isEqualTo("Resource");
        assertThat(dataset.getDatasetName()).matches("Stack-Group-Interactions-[0-9A-F]{8}-[0-9a-f]{8}");
        assertThat(dataset.getDatasetGroup()).isSameAs(group);
        assertThat(dataset.getSchema()).isSameAs(schema);
        assertThat(stack.resolve(dataset.getDatasetArn())).isEqualTo(TestApps.getAtt(dataset, "DatasetArn"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DatasetType.class)
    void everyTypeIsCreatedInTheApiSpelling(DatasetType type) {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");
        Schema schema = Schema.Builder.create(stack, "Schema").definition(schemaFor(type)).build();
        Dataset dataset = group.addDataset("Dataset", DatasetOptions.builder().datasetType(type).schema(schema).build());

        Template.fromStack(stack).hasResourceProperties(DatasetResource.TYPE, Map.of(
                DatasetResource.DATASET_TYPE, type.name(),
                DatasetResource.DATASET_NAME, dataset.getDatasetName()));
        assertThat(dataset.getDatasetType()).isEqualTo(type);
    }

    @Test
    void actionsAndActionInteractionsShareACustomGroupWithTheirImports() {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");
        for (DatasetType type : List.of(DatasetType.ACTIONS, DatasetType.ACTION_INTERACTIONS)) {
            Schema schema = Schema.Builder.create(stack, type.name() + "Schema").definition(schemaFor(type)).build();
            group.addDataset(type.name(), DatasetOptions.builder().datasetType(type).schema(schema).build())
                    .addImportJob("Import", DatasetImportJobOptions.builder()
                            .dataSource(DataSource.fromUri("s3://shared-data/" + type.name().toLowerCase() + "/"))
                            .build());
        }

        Template template = Template.fromStack(stack);
        template.resourceCountIs(DatasetResource.TYPE, 2);
        template.resourceCountIs(DatasetImportJob.RESOURCE_TYPE, 2);
        template.resourceCountIs("AWS::Lambda::Function", 4); // one handler for datasets and jobs, the framework's 3
    }

    @Test
    void builderTakesNameAndRemovalPolicy() {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");
        Schema users = Schema.Builder.create(stack, "Users").definition(TestApps.users(2)).build();
        Schema items = Schema.Builder.create(stack, "Items").definition(SchemaDefinition.fromFields("Items",
                SchemaField.of("ITEM_ID", FieldType.STRING),
                SchemaField.of("DESCRIPTION", FieldType.STRING).textual())).build();
        Dataset.Builder.create(stack, "UsersDataset").datasetGroup(group).datasetType(DatasetType.USERS)
                .schema(users).datasetName("users").removalPolicy(RemovalPolicy.DESTROY).build();
        Dataset.Builder.create(stack, "ItemsDataset").datasetGroup(group).datasetType(DatasetType.ITEMS)
                .schema(items).datasetName("items").removalPolicy(RemovalPolicy.RETAIN).build();

        Template template = Template.fromStack(stack);
        template.resourceCountIs(DatasetResource.TYPE, 2);
        template.hasResource(DatasetResource.TYPE, Map.of(
                "Properties", Match.objectLike(Map.of("DatasetName", "users", "DatasetType", "USERS")),
                "DeletionPolicy", "Delete", "UpdateReplacePolicy", "Delete"));
        template.hasResource(DatasetResource.TYPE, Map.of(
                "Properties", Match.objectLike(Map.of("DatasetName", "items", "DatasetType", "ITEMS")),
                "DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
    }

    @Test
    void importedGroupAndSchemaPassTheirArnsThroughWithoutDefinition() {
        Stack stack = TestApps.stack();
        String groupArn = "arn:aws:personalize:us-east-1:123456789012:dataset-group/shop";
        String schemaArn = "arn:aws:personalize:us-east-1:123456789012:schema/clicks";
        Dataset.Builder.create(stack, "Interactions")
                .datasetGroup(DatasetGroup.fromDatasetGroupArn(stack, "Group", groupArn))
                .datasetType(DatasetType.INTERACTIONS)
                .schema(Schema.fromSchemaArn(stack, "Schema", schemaArn))
                .build();

        Template.fromStack(stack).hasResourceProperties(DatasetResource.TYPE, Map.of(
                "DatasetGroupArn", groupArn, "SchemaArn", schemaArn, "DatasetType", "INTERACTIONS",
                "SchemaDefinition", Match.absent()));
    }

    @Test
    void importedSchemaWithDefinitionPassesItCompact() {
        Stack stack = TestApps.stack();
        ISchema schema = Schema.fromSchemaAttributes(stack, "Schema", SchemaAttributes.builder()
                .schemaArn("arn:aws:personalize:us-east-1:123456789012:schema/clicks")
                .definition(TestApps.interactions())
                .build());
        new DatasetGroup(stack, "Group").addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());

        Template.fromStack(stack).hasResourceProperties(DatasetResource.TYPE, Map.of(
                "SchemaDefinition", COMPACT_INTERACTIONS));
    }

    @Test
    void handlerMayCreateDescribeUpdateAndDeleteOnlyTheStacksDatasetsInAllGenerationsOfTheirGroup() {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");
        Schema interactions = Schema.Builder.create(stack, "Interactions").definition(TestApps.interactions()).build();
        Schema users = Schema.Builder.create(stack, "Users").definition(TestApps.users(1)).build();
        group.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(interactions).build());
        group.addDataset("Users", DatasetOptions.builder().datasetType(DatasetType.USERS).schema(users).build());

        // a generated group name with its hash as '*': the dataset of a replaced group can still be deleted
        String name = group.getDatasetGroupName().substring(0, group.getDatasetGroupName().length() - 8) + "*";
        assertThat(name).matches("Stack-Group-[0-9A-F]{8}-\\*");
        Map<String, Object> interactionsArn = TestApps.personalizeArn("dataset/" + name + "/INTERACTIONS");
        Map<String, Object> usersArn = TestApps.personalizeArn("dataset/" + name + "/USERS");
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(DatasetJobProvider.of(stack).getHandler().getRole()))),
                "PolicyDocument", Map.of("Statement", List.of(
                        Match.objectLike(Map.of("Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"))),
                        Match.objectLike(Map.of("Action", List.of("personalize:CreateSchema",
                                "personalize:DescribeSchema", "personalize:DeleteSchema"))),
                        Map.of("Action", "personalize:CreateDataset", "Effect", "Allow",
                                "Resource", List.of(interactionsArn, usersArn,
                                        TestApps.personalizeArn("dataset-group/" + name))),
                        Map.of("Action", List.of("personalize:DescribeDataset", "personalize:UpdateDataset",
                                        "personalize:DeleteDataset"), "Effect", "Allow",
                                "Resource", List.of(interactionsArn, usersArn)),
                        // the rollback of a schema change is told from a change by the stack's own status
                        Map.of("Action", "cloudformation:DescribeStacks", "Effect", "Allow",
                                "Resource", List.of(Map.of("Ref", "AWS::StackId")))))));
    }

    @Test
    void anExplicitGroupNameGivesTheHandlerExactlyThatGroupsDatasets() {
        Stack stack = TestApps.stack();
        DatasetGroup group = DatasetGroup.Builder.create(stack, "Group").datasetGroupName("shop").build();
        Schema users = Schema.Builder.create(stack, "Users").definition(TestApps.users(1)).build();
        group.addDataset("Users", DatasetOptions.builder().datasetType(DatasetType.USERS).schema(users).build());

        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(
                        Map.of("Action", "personalize:CreateDataset", "Effect", "Allow",
                                "Resource", List.of(TestApps.personalizeArn("dataset/shop/USERS"),
                                        TestApps.personalizeArn("dataset-group/shop"))))))));
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

    @Test
    void grantsOnAnOwnDatasetNameItsArnWithoutDependingOnIt() {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");
        Dataset users = group.addDataset("Users", DatasetOptions.builder().datasetType(DatasetType.USERS)
                .schema(Schema.Builder.create(stack, "Schema").definition(TestApps.users(1)).build()).build());
        User user = new User(stack, "Writer");
        users.grantPutRecords(user);

        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Users", List.of(Map.of("Ref", TestApps.logicalId(user))),
                "PolicyDocument", Map.of("Statement", List.of(Map.of("Action", "personalize:PutUsers",
                        "Effect", "Allow",
                        "Resource", TestApps.personalizeArn("dataset/" + group.getDatasetGroupName() + "/USERS"))))));
    }

    static SchemaDefinition schemaFor(DatasetType type) {
        return switch (type) {
            case INTERACTIONS -> TestApps.interactions();
            case USERS -> TestApps.users(1);
            case ITEMS -> SchemaDefinition.fromFields("Items", SchemaField.of("ITEM_ID", FieldType.STRING),
                    SchemaField.of("GENRE", FieldType.STRING).categorical());
            case ACTIONS -> SchemaDefinition.fromFields("Actions", SchemaField.of("ACTION_ID", FieldType.STRING),
                    SchemaField.of("VALUE", FieldType.FLOAT).nullable());
            case ACTION_INTERACTIONS -> SchemaDefinition.fromFields("ActionInteractions",
                    SchemaField.of("USER_ID", FieldType.STRING), SchemaField.of("ACTION_ID", FieldType.STRING),
                    SchemaField.of("EVENT_TYPE", FieldType.STRING), SchemaField.of("TIMESTAMP", FieldType.LONG));
        };
    }
}
