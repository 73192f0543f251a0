package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.contract.SchemaResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

class SchemaTest {
    private static final String COMPACT_INTERACTIONS = "{\"type\":\"record\",\"name\":\"Interactions\","
            + "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
            + "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
            + "{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}],"
            + "\"version\":\"1.0\"}";

    @Test
    void jsonDefinitionIsCompactedAndRetainedByDefault() {
        Stack stack = TestApps.stack();
        Schema schema = Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build();

        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::Personalize::Schema", 0);
        template.hasResource(SchemaResource.TYPE, Map.of(
                "Properties", Map.of(
                        "ServiceToken", TestApps.getAtt(DatasetJobProvider.of(stack).getProvider().getNode()
                                .findChild("framework-onEvent"), "Arn"),
                        "ServiceTimeout", "3420",
                        SchemaResource.SCHEMA_NAME, schema.getSchemaName(),
                        SchemaResource.DEFINITION, COMPACT_INTERACTIONS,
                        SchemaResource.DOMAIN, Match.absent()),
                "DeletionPolicy", "RetainExceptOnCreate",
                "UpdateReplacePolicy", "Retain"));
        assertThat(schema.getSchemaName()).matches("Stack-Schema-[0-9A-F]{8}-[0-9a-f]{8}");
        assertThat(schema.getDefinition().getJson()).isEqualTo(COMPACT_INTERACTIONS);
        assertThat(stack.resolve(schema.getSchemaArn()))
                .isEqualTo(TestApps.getAtt(schema, SchemaResource.ATT_SCHEMA_ARN));
        assertThat(schema.getNode().getDefaultChild()).isSameAs(schema.getResource());
    }

    @Test
    void fileDefinitionIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("interactions.json");
        Files.writeString(file, TestApps.INTERACTIONS_JSON);
        Stack stack = TestApps.stack();
        Schema.Builder.create(stack, "Schema")
                .schemaName("interactions-v1")
                .domain(Domain.ECOMMERCE)
                .removalPolicy(RemovalPolicy.DESTROY)
                .definition(SchemaDefinition.fromFile(file))
                .build();

        Template.fromStack(stack).hasResource(SchemaResource.TYPE, Map.of(
                "Properties", Match.objectLike(Map.of(SchemaResource.SCHEMA_NAME, "interactions-v1",
                        SchemaResource.DEFINITION, COMPACT_INTERACTIONS, SchemaResource.DOMAIN, "ECOMMERCE")),
                "DeletionPolicy", "Delete",
                "UpdateReplacePolicy", "Delete"));
    }

    @Test
    void handlerMayCreateDescribeAndDeleteOnlyTheStacksSchemasByNameOrGenerationsOfTheGeneratedName() {
        Stack stack = TestApps.stack();
        Schema generated = Schema.Builder.create(stack, "Interactions").definition(TestApps.interactions()).build();
        Schema.Builder.create(stack, "Users").schemaName("users-v1").definition(TestApps.users(1)).build();

        // the schema's ARN from its name: the custom resource's attribute here would be a dependency cycle; a
        // generated name with its hash as '*', so that a replaced schema can still be deleted
        String generations = generated.getSchemaName().substring(0, generated.getSchemaName().length() - 8) + "*";
        assertThat(generations).matches("Stack-Interactions-[0-9A-F]{8}-\\*");
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Policy", Map.of(
                "Roles", List.of(Map.of("Ref", TestApps.logicalId(DatasetJobProvider.of(stack).getHandler().getRole()))),
                "PolicyDocument", Map.of("Statement", List.of(
                        Match.objectLike(Map.of("Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"))),
                        Map.of("Action", List.of("personalize:CreateSchema", "personalize:DescribeSchema",
                                        "personalize:DeleteSchema"), "Effect", "Allow",
                                "Resource", List.of(TestApps.personalizeArn("schema/" + generations),
                                        TestApps.personalizeArn("schema/users-v1")))))));
    }

    @Test
    void typedFieldsProduceAvroWithFlagsAndNullableUnions() {
        SchemaDefinition definition = SchemaDefinition.fromFields("Items",
                SchemaField.of("ITEM_ID", FieldType.STRING),
                SchemaField.of("GENRES", FieldType.STRING).categorical().nullable(),
                SchemaField.of("DESCRIPTION", FieldType.STRING).textual(),
                SchemaField.of("PRICE", FieldType.FLOAT),
                SchemaField.of("YEAR", FieldType.INT).nullable());

        assertThat(definition.getJson()).isEqualTo("{\"type\":\"record\",\"name\":\"Items\","
                + "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
                + "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                + "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"default\":null,\"categorical\":true},"
                + "{\"name\":\"DESCRIPTION\",\"type\":\"string\",\"textual\":true},"
                + "{\"name\":\"PRICE\",\"type\":\"float\"},"
                + "{\"name\":\"YEAR\",\"type\":[\"null\",\"int\"],\"default\":null}],\"version\":\"1.0\"}");
    }

    @Test
    void definitionAtTheLengthLimitIsAccepted() {
        String json = TestApps.definitionOfLength(Schema.MAX_DEFINITION_LENGTH);
        Schema schema = Schema.Builder.create(TestApps.stack(), "Schema")
                .definition(SchemaDefinition.fromJson(json)).build();
        assertThat(schema.getDefinition().getJson()).isEqualTo(json).hasSize(Schema.MAX_DEFINITION_LENGTH);
    }

    @Test
    void importByArnLeavesDefinitionUnknown() {
        Stack stack = TestApps.stack();
        ISchema schema = Schema.fromSchemaArn(stack, "Imported",
                "arn:aws-us-gov:personalize:us-gov-west-1:123456789012:schema/clicks");
        assertThat(schema.getSchemaName()).isEqualTo("clicks");
        assertThat(schema.getDefinition()).isNull();
        assertThat(schema.getDomain()).isNull();
    }
}
