package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;

/**
 * The schema rules of Personalize's developer guide (formatting requirements, required fields and reserved
 * keywords per dataset type and domain, metadata limits), each with a bad input and its exact message, and inputs
 * at the edge of each rule that pass.
 */
class SchemaRulesTest {
    private static final String SCHEMA = "Schema 'Stack/Schema': ";
    private static final String DATASET = "Dataset 'Stack/Dataset': ";
    private static final String USER_ITEM_TIME = "{\"name\":\"USER_ID\",\"type\":\"string\"},"
            + "{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}";
    private static final String VOD_ITEMS_REQUIRED =
            "required: ITEM_ID (string), GENRES (categorical string), CREATION_TIMESTAMP (long)";

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSchemas")
    void badSchemaFailsAtSynthWithAnExactMessage(String description, Consumer<Stack> build, String message) {
        assertThatThrownBy(() -> build.accept(TestApps.stack()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> badSchemas() {
        return Stream.of(
                // formatting requirements
                bad("field declared twice in JSON", s -> schema(s, null, record("Users",
                                "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"USER_ID\",\"type\":\"string\"}")),
                        SCHEMA + "definition (JSON string): field USER_ID is declared more than once; allowed: each "
                                + "field name once"),
                bad("field declared twice with fromFields", s -> schema(s, null, SchemaDefinition.fromFields("Users",
                                SchemaField.of("USER_ID", FieldType.STRING), SchemaField.of("AGE", FieldType.INT),
                                SchemaField.of("AGE", FieldType.LONG))),
                        SCHEMA + "definition (fields) declares field AGE more than once; allowed: each field name once"),
                bad("field declared twice in a nested record", s -> schema(s, null, record("Users",
                                "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ADDRESS\",\"type\":"
                                        + "{\"type\":\"record\",\"name\":\"Address\",\"fields\":["
                                        + "{\"name\":\"CITY\",\"type\":\"string\"},"
                                        + "{\"name\":\"CITY\",\"type\":\"string\"}]}}")),
                        SCHEMA + "definition (JSON string) is not a valid Avro schema: Duplicate field CITY in record "
                                + "Address: CITY type:STRING pos:1 and CITY type:STRING pos:0.; expected an Avro record "
                                + "schema as JSON"),
                bad("names equal once '_' is removed", s -> schema(s, null, record("Items",
                                "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"GENRES_FIELD_1\",\"type\":\"string\",\"categorical\":true},"
                                        + "{\"name\":\"GENRESFIELD1\",\"type\":\"string\",\"categorical\":true}")),
                        SCHEMA + "definition (JSON string): fields GENRES_FIELD_1 and GENRESFIELD1 have the same "
                                + "alphanumeric name GENRESFIELD1; allowed: field names that differ in their letters "
                                + "and digits, ignoring case and other characters"),
                bad("names equal ignoring case", s -> schema(s, null, record("Users",
                                "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"Age\",\"type\":\"int\"},"
                                        + "{\"name\":\"AGE\",\"type\":\"int\"}")),
                        SCHEMA + "definition (JSON string): fields Age and AGE have the same alphanumeric name AGE; "
                                + "allowed: field names that differ in their letters and digits, ignoring case and "
                                + "other characters"),
                bad("fromFields name that Avro refuses", s -> schema(s, null, SchemaDefinition.fromFields("Users",
                                SchemaField.of("USER_ID", FieldType.STRING), SchemaField.of("AGE-GROUP", FieldType.INT))),
                        SCHEMA + "definition (fields) is not a valid Avro schema: Illegal character in: AGE-GROUP; "
                                + "expected a record name and field names of letters, digits and '_', not starting "
                                + "with a digit"),
                bad("imported schema with a field declared twice", s -> Dataset.Builder.create(s, "Dataset")
                                .datasetGroup(new DatasetGroup(s, "Group")).datasetType(DatasetType.USERS)
                                .schema(imported(s, record("Users", "{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"AGE\",\"type\":\"int\"},{\"name\":\"AGE\",\"type\":\"int\"}")))
                                .build(),
                        DATASET + "field AGE is declared more than once; allowed: each field name once"),
                // reserved keywords of custom groups
                bad("categorical EVENT_TYPE", s -> dataset(s, null, DatasetType.INTERACTIONS, record("Interactions",
                                USER_ITEM_TIME + ",{\"name\":\"EVENT_TYPE\",\"type\":\"string\",\"categorical\":true}")),
                        DATASET + "reserved field EVENT_TYPE is categorical for datasetType INTERACTIONS; allowed: "
                                + "string without \"categorical\": true"),
                bad("categorical IMPRESSION", s -> dataset(s, null, DatasetType.INTERACTIONS, record("Interactions",
                                USER_ITEM_TIME + ",{\"name\":\"IMPRESSION\",\"type\":[\"null\",\"string\"],"
                                        + "\"categorical\":true}")),
                        DATASET + "reserved field IMPRESSION is categorical for datasetType INTERACTIONS; allowed: "
                                + "string without \"categorical\": true"),
                bad("EVENT_ATTRIBUTION_SOURCE as int", s -> dataset(s, null, DatasetType.INTERACTIONS,
                                record("Interactions", USER_ITEM_TIME
                                        + ",{\"name\":\"EVENT_ATTRIBUTION_SOURCE\",\"type\":\"int\"}")),
                        DATASET + "reserved field EVENT_ATTRIBUTION_SOURCE has type int for datasetType INTERACTIONS; "
                                + "allowed: string"),
                bad("interactions with 6 metadata fields", s -> dataset(s, null, DatasetType.INTERACTIONS,
                                record("Interactions", USER_ITEM_TIME + ",{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
                                        + "{\"name\":\"IMPRESSION\",\"type\":[\"null\",\"string\"]},"
                                        + metadata("LOCATION", "DEVICE", "OS", "APP", "PAGE", "CAMPAIGN"))),
                        DATASET + "schema has 6 metadata fields besides the required and reserved ones for datasetType "
                                + "INTERACTIONS (LOCATION, DEVICE, OS, APP, PAGE, CAMPAIGN); allowed: at most 5"),
                bad("items whose only other field is reserved", s -> dataset(s, null, DatasetType.ITEMS,
                                record("Items", "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"CREATION_TIMESTAMP\",\"type\":\"long\"}")),
                        DATASET + "schema has 0 metadata fields besides ITEM_ID and the reserved CREATION_TIMESTAMP for "
                                + "datasetType ITEMS; allowed: 1 to 100 (reserved keywords are not metadata)"),
                bad("actions whose only other field is reserved", s -> dataset(s, null, DatasetType.ACTIONS,
                                record("Actions", "{\"name\":\"ACTION_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"EXPIRATION_TIMESTAMP\",\"type\":[\"null\",\"long\"]}")),
                        DATASET + "schema has 0 metadata fields besides ACTION_ID and the reserved EXPIRATION_TIMESTAMP "
                                + "for datasetType ACTIONS; allowed: at least 1 (reserved keywords are not metadata)"),
                bad("actions REPEAT_FREQUENCY as int", s -> dataset(s, null, DatasetType.ACTIONS,
                                record("Actions", "{\"name\":\"ACTION_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"REPEAT_FREQUENCY\",\"type\":\"int\"},"
                                        + metadata("CHANNEL"))),
                        DATASET + "reserved field REPEAT_FREQUENCY has type int for datasetType ACTIONS; allowed: long"),
                bad("categorical actions TYPE", s -> dataset(s, null, DatasetType.ACTIONS,
                                record("Actions", "{\"name\":\"ACTION_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"TYPE\",\"type\":\"string\",\"categorical\":true},"
                                        + metadata("CHANNEL"))),
                        DATASET + "reserved field TYPE is categorical for datasetType ACTIONS; allowed: string without "
                                + "\"categorical\": true"),
                bad("categorical EVENT_TYPE of action interactions", s -> dataset(s, null,
                                DatasetType.ACTION_INTERACTIONS, record("ActionInteractions",
                                        "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ACTION_ID\",\"type\":"
                                                + "\"string\"},{\"name\":\"EVENT_TYPE\",\"type\":\"string\","
                                                + "\"categorical\":true},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}")),
                        DATASET + "reserved field EVENT_TYPE is categorical for datasetType ACTION_INTERACTIONS; "
                                + "allowed: string without \"categorical\": true"),
                // record name
                bad("Users record for an INTERACTIONS dataset", s -> dataset(s, null, DatasetType.INTERACTIONS,
                                record("Users", USER_ITEM_TIME)),
                        DATASET + "schema record name \"Users\" does not match datasetType INTERACTIONS; expected "
                                + "\"Interactions\" (the record's \"name\" must match the dataset type)"),
                bad("record named for no dataset type", s -> dataset(s, null, DatasetType.ITEMS,
                                record("Catalog", "{\"name\":\"ITEM_ID\",\"type\":\"string\"}," + metadata("GENRE"))),
                        DATASET + "schema record name \"Catalog\" does not match datasetType ITEMS; expected \"Items\" "
                                + "(the record's \"name\" must match the dataset type)"),
                // VIDEO_ON_DEMAND
                bad("VIDEO_ON_DEMAND items without GENRES", s -> dataset(s, Domain.VIDEO_ON_DEMAND, DatasetType.ITEMS,
                                record("Items", "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"CREATION_TIMESTAMP\",\"type\":\"long\"}")),
                        DATASET + "schema lacks required field GENRES for datasetType ITEMS in domain VIDEO_ON_DEMAND; "
                                + VOD_ITEMS_REQUIRED),
                bad("VIDEO_ON_DEMAND items without CREATION_TIMESTAMP", s -> dataset(s, Domain.VIDEO_ON_DEMAND,
                                DatasetType.ITEMS, record("Items", "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"GENRES\",\"type\":\"string\",\"categorical\":true}")),
                        DATASET + "schema lacks required field CREATION_TIMESTAMP for datasetType ITEMS in domain "
                                + "VIDEO_ON_DEMAND; " + VOD_ITEMS_REQUIRED),
                bad("VIDEO_ON_DEMAND GENRES not categorical", s -> dataset(s, Domain.VIDEO_ON_DEMAND, DatasetType.ITEMS,
                                vodItems("{\"name\":\"GENRES\",\"type\":\"string\"}")),
                        DATASET + "schema field GENRES has type string for datasetType ITEMS in domain VIDEO_ON_DEMAND; "
                                + "required: GENRES (categorical string)"),
                bad("VIDEO_ON_DEMAND GENRE_L2 not categorical", s -> dataset(s, Domain.VIDEO_ON_DEMAND,
                                DatasetType.ITEMS, vodItems(GENRES + ",{\"name\":\"GENRE_L2\",\"type\":[\"null\","
                                        + "\"string\"]}")),
                        DATASET + "reserved field GENRE_L2 is not categorical for datasetType ITEMS in domain "
                                + "VIDEO_ON_DEMAND; allowed: categorical string"),
                bad("VIDEO_ON_DEMAND DURATION as string", s -> dataset(s, Domain.VIDEO_ON_DEMAND, DatasetType.ITEMS,
                                vodItems(GENRES + ",{\"name\":\"DURATION\",\"type\":\"string\"}")),
                        DATASET + "reserved field DURATION has type string for datasetType ITEMS in domain "
                                + "VIDEO_ON_DEMAND; allowed: float"),
                bad("VIDEO_ON_DEMAND PRODUCT_DESCRIPTION not textual", s -> dataset(s, Domain.VIDEO_ON_DEMAND,
                                DatasetType.ITEMS, vodItems(GENRES + ",{\"name\":\"PRODUCT_DESCRIPTION\",\"type\":"
                                        + "[\"null\",\"string\"]}")),
                        DATASET + "reserved field PRODUCT_DESCRIPTION is not textual for datasetType ITEMS in domain "
                                + "VIDEO_ON_DEMAND; allowed: textual string"),
                bad("VIDEO_ON_DEMAND SUBSCRIPTION_MODEL not categorical", s -> dataset(s, Domain.VIDEO_ON_DEMAND,
                                DatasetType.USERS, record("Users", "{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"SUBSCRIPTION_MODEL\",\"type\":[\"null\",\"string\"]},"
                                        + metadata("AGE_BAND"))),
                        DATASET + "reserved field SUBSCRIPTION_MODEL is not categorical for datasetType USERS in domain "
                                + "VIDEO_ON_DEMAND; allowed: categorical string"),
                bad("VIDEO_ON_DEMAND interactions without EVENT_TYPE", s -> dataset(s, Domain.VIDEO_ON_DEMAND,
                                DatasetType.INTERACTIONS, record("Interactions", USER_ITEM_TIME)),
                        DATASET + "schema lacks required field EVENT_TYPE for datasetType INTERACTIONS in domain "
                                + "VIDEO_ON_DEMAND; required: USER_ID (string), ITEM_ID (string), TIMESTAMP (long), "
                                + "EVENT_TYPE (string)"),
                // ECOMMERCE
                bad("ECOMMERCE CATEGORY_L2 not categorical", s -> dataset(s, Domain.ECOMMERCE, DatasetType.ITEMS,
                                record("Items", ECOMMERCE_ITEMS + ",{\"name\":\"CATEGORY_L2\",\"type\":[\"null\","
                                        + "\"string\"]}")),
                        DATASET + "reserved field CATEGORY_L2 is not categorical for datasetType ITEMS in domain "
                                + "ECOMMERCE; allowed: categorical string"),
                bad("ECOMMERCE AGE_GROUP as int", s -> dataset(s, Domain.ECOMMERCE, DatasetType.ITEMS,
                                record("Items", ECOMMERCE_ITEMS + ",{\"name\":\"AGE_GROUP\",\"type\":\"int\"}")),
                        DATASET + "reserved field AGE_GROUP has type int for datasetType ITEMS in domain ECOMMERCE; "
                                + "allowed: categorical string"));
    }

    private static final String GENRES = "{\"name\":\"GENRES\",\"type\":\"string\",\"categorical\":true}";
    private static final String ECOMMERCE_ITEMS = "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
            + "{\"name\":\"PRICE\",\"type\":\"float\"},"
            + "{\"name\":\"CATEGORY_L1\",\"type\":\"string\",\"categorical\":true}";

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodSchemas")
    void schemaAtTheEdgeOfARulePasses(String description, Consumer<Stack> build) {
        assertThatCode(() -> build.accept(TestApps.stack())).doesNotThrowAnyException();
    }

    static Stream<Arguments> goodSchemas() {
        return Stream.of(
                Arguments.of("interactions with 5 metadata fields and every reserved keyword",
                        (Consumer<Stack>) s -> dataset(s, null, DatasetType.INTERACTIONS, record("Interactions",
                                USER_ITEM_TIME + ",{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
                                        + "{\"name\":\"EVENT_VALUE\",\"type\":[\"null\",\"float\"]},"
                                        + "{\"name\":\"IMPRESSION\",\"type\":[\"null\",\"string\"]},"
                                        + "{\"name\":\"RECOMMENDATION_ID\",\"type\":[\"null\",\"string\"]},"
                                        + "{\"name\":\"EVENT_ATTRIBUTION_SOURCE\",\"type\":[\"null\",\"string\"]},"
                                        + metadata("LOCATION", "DEVICE", "OS", "APP", "PAGE")))),
                Arguments.of("record name in the API's spelling of the type",
                        (Consumer<Stack>) s -> dataset(s, null, DatasetType.ACTION_INTERACTIONS,
                                record("ACTION_INTERACTIONS", "{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"ACTION_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},"
                                        + "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}"))),
                Arguments.of("VIDEO_ON_DEMAND items with the reserved keywords as documented",
                        (Consumer<Stack>) s -> dataset(s, Domain.VIDEO_ON_DEMAND, DatasetType.ITEMS, vodItems(GENRES
                                + ",{\"name\":\"GENRE_L2\",\"type\":[\"null\",\"string\"],\"categorical\":true},"
                                + "{\"name\":\"PRODUCT_DESCRIPTION\",\"type\":[\"null\",\"string\"],\"textual\":true},"
                                + "{\"name\":\"DURATION\",\"type\":\"float\"}"))),
                Arguments.of("items with one metadata field besides a reserved one",
                        (Consumer<Stack>) s -> dataset(s, null, DatasetType.ITEMS, record("Items",
                                "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"CREATION_TIMESTAMP\",\"type\":\"long\"}," + metadata("GENRE")))));
    }

    private static String metadata(String... names) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            out.append(out.length() == 0 ? "" : ",").append("{\"name\":\"").append(name)
                    .append("\",\"type\":\"string\",\"categorical\":true}");
        }
        return out.toString();
    }

    private static SchemaDefinition vodItems(String more) {
        return record("Items", "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                + "{\"name\":\"CREATION_TIMESTAMP\",\"type\":\"long\"}," + more);
    }

    private static SchemaDefinition record(String name, String fields) {
        return SchemaDefinition.fromJson("{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[" + fields + "]}");
    }

    private static Schema schema(Stack s, Domain domain, SchemaDefinition definition) {
        return Schema.Builder.create(s, "Schema").domain(domain).definition(definition).build();
    }

    private static ISchema imported(Stack s, SchemaDefinition definition) {
        return Schema.fromSchemaAttributes(s, "Imported", SchemaAttributes.builder()
                .schemaArn("arn:aws:personalize:us-east-1:123456789012:schema/users").definition(definition).build());
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
