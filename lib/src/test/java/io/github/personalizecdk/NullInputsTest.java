package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;

/**
 * Null where a value is required (props, options, definitions, fields, imported ARNs) and unreadable schema files:
 * each fails with the construct path, the property and the expected form, never a bare NullPointerException.
 */
class NullInputsTest {
    private static final String SCHEMA = "Schema 'Stack/Schema': ";
    private static final String DATASET = "Dataset 'Stack/Dataset': ";

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullInputs")
    void nullInputFailsWithThePathAndAnExactMessage(String description, Consumer<Stack> build, String message) {
        assertThatThrownBy(() -> build.accept(TestApps.stack()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> nullInputs() {
        return Stream.of(
                bad("null JSON", s -> schema(s, null, SchemaDefinition.fromJson(null)),
                        SCHEMA + "definition (JSON string) is null; expected Avro schema JSON text"),
                bad("null file", s -> schema(s, null, SchemaDefinition.fromFile(null)),
                        SCHEMA + "definition (file) is null; expected the path of an Avro schema JSON file"),
                bad("missing file", s -> schema(s, null, SchemaDefinition.fromFile(Path.of("no-such-dir/users.json"))),
                        SCHEMA + "definition (file no-such-dir/users.json) cannot be read (NoSuchFileException: "
                                + "no-such-dir/users.json); expected a readable UTF-8 file"),
                bad("null record name", s -> schema(s, null, SchemaDefinition.fromFields(null,
                                SchemaField.of("USER_ID", FieldType.STRING))),
                        SCHEMA + "definition (fields) has a null recordName; expected the dataset type's record name, "
                                + "e.g. \"Interactions\""),
                bad("null field list", s -> schema(s, null, SchemaDefinition.fromFields("Users", (SchemaField[]) null)),
                        SCHEMA + "definition (fields) has a null list of fields; expected SchemaField.of(..) values"),
                bad("null field", s -> schema(s, null, SchemaDefinition.fromFields("Users",
                                SchemaField.of("USER_ID", FieldType.STRING), null)),
                        SCHEMA + "definition (fields) has a null field 2 of 2; expected SchemaField.of(name, type)"),
                bad("null field name", s -> schema(s, null, SchemaDefinition.fromFields("Users",
                                SchemaField.of(null, FieldType.STRING))),
                        SCHEMA + "definition (fields) has a null name in field 1 of 1; expected a name such as USER_ID"),
                bad("null field type", s -> schema(s, null, SchemaDefinition.fromFields("Users",
                                SchemaField.of("USER_ID", FieldType.STRING), SchemaField.of("AGE", null))),
                        SCHEMA + "definition (fields) has a null type in field 2 of 2 (AGE); expected one of STRING, "
                                + "INT, LONG, FLOAT, DOUBLE, BOOLEAN"),
                bad("null schema props", s -> new Schema(s, "Schema", null),
                        SCHEMA + "props is required; expected SchemaProps.builder().definition(..).build()"),
                bad("null dataset props", s -> new Dataset(s, "Dataset", null),
                        DATASET + "props is required; expected DatasetProps.builder()...build()"),
                bad("null imported dataset ARN", s -> Dataset.fromDatasetArn(s, "Dataset", null),
                        DATASET + "datasetArn is required; expected arn:<partition>:personalize:<region>:<account>:"
                                + "dataset/<group name>/<TYPE>"),
                bad("null imported schema ARN", s -> Schema.fromSchemaArn(s, "Schema", null),
                        SCHEMA + "schemaArn is required; expected arn:<partition>:personalize:<region>:<account>:"
                                + "schema/<name>"),
                bad("null import job options", s -> new DatasetImportJob(s, "Import",
                                DatasetImportJobProps.of(dataset(s, null, DatasetType.INTERACTIONS,
                                        TestApps.interactions()), null)),
                        "DatasetImportJob 'Stack/Import': options is required; expected "
                                + "DatasetImportJobOptions.builder()...build()"),
                bad("null export job options", s -> new DatasetExportJob(s, "Export",
                                DatasetExportJobProps.of(dataset(s, null, DatasetType.INTERACTIONS,
                                        TestApps.interactions()), null)),
                        "DatasetExportJob 'Stack/Export': options is required; expected "
                                + "DatasetExportJobOptions.builder()...build()"),
                bad("imported schema with a null definition", s -> Dataset.Builder.create(s, "Dataset")
                                .datasetGroup(new DatasetGroup(s, "Group")).datasetType(DatasetType.USERS)
                                .schema(imported(s, SchemaDefinition.fromJson(null))).build(),
                        DATASET + "schema 'Stack/Imported' definition (JSON string) is null; expected Avro schema "
                                + "JSON text"),
                bad("null options of addImportJob", s -> dataset(s, null, DatasetType.INTERACTIONS,
                                TestApps.interactions()).addImportJob("Import", null),
                        "DatasetImportJob 'Stack/Dataset/Import': options is required; expected "
                                + "DatasetImportJobOptions.builder()...build()"),
                bad("null imported dataset attributes", s -> Dataset.fromDatasetAttributes(s, "Dataset", null),
                        DATASET + "attrs is required; expected DatasetAttributes.builder().datasetArn(..).build()"),
                bad("null imported schema attributes", s -> Schema.fromSchemaAttributes(s, "Schema", null),
                        SCHEMA + "attrs is required; expected SchemaAttributes.builder().schemaArn(..).build()"),
                bad("null dataset group props", s -> new DatasetGroup(s, "Group", null),
                        "DatasetGroup 'Stack/Group': props is required; expected DatasetGroupProps.builder()...build(), "
                                + "or new DatasetGroup(scope, id) for the defaults"),
                bad("null service role props", s -> new PersonalizeServiceRole(s, "Access", null),
                        "PersonalizeServiceRole 'Stack/Access': props is required; expected "
                                + "PersonalizeServiceRoleProps.builder()...build()"));
    }

    private static ISchema imported(Stack s, SchemaDefinition definition) {
        return Schema.fromSchemaAttributes(s, "Imported", SchemaAttributes.builder()
                .schemaArn("arn:aws:personalize:us-east-1:123456789012:schema/users").definition(definition).build());
    }

    private static Schema schema(Stack s, Domain domain, SchemaDefinition definition) {
        return Schema.Builder.create(s, "Schema").domain(domain).definition(definition).build();
    }

    private static Dataset dataset(Stack s, Domain domain, DatasetType type, SchemaDefinition definition) {
        DatasetGroup group = DatasetGroup.Builder.create(s, "Group").domain(domain).build();
        return Dataset.Builder.create(s, "Dataset").datasetGroup(group).datasetType(type)
                .schema(schema(s, domain, definition)).build();
    }

    private static Arguments bad(String description, Consumer<Stack> build, String message) {
        return Arguments.of(description, build, message);
    }
}
