package io.github.personalizecdk.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Personalize's schema-replacement rules, one case per rule and per accepted change. */
class SchemaEvolutionTest {
    static final String ITEM_ID = "{\"name\":\"ITEM_ID\",\"type\":\"string\"}";
    static final String PRICE = "{\"name\":\"PRICE\",\"type\":\"float\"}";
    static final String GENRES = "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}";
    static final String DESCRIPTION = "{\"name\":\"DESCRIPTION\",\"type\":[\"null\",\"string\"],\"textual\":true}";
    static final String BRAND = "{\"name\":\"BRAND\",\"type\":[\"string\",\"null\"]}";
    static final String CURRENT = schema(ITEM_ID, PRICE, GENRES, DESCRIPTION, BRAND);

    static String schema(String... fields) {
        return "{\"type\":\"record\",\"name\":\"Items\",\"namespace\":\"com.amazonaws.personalize.schema\","
                + "\"fields\":[" + String.join(",", fields) + "],\"version\":\"1.0\"}";
    }

    /** CURRENT with one field replaced (or removed, when {@code by} is null) and fields appended. */
    static String changed(String field, String by, String... added) {
        List<String> fields = new ArrayList<>(List.of(ITEM_ID, PRICE, GENRES, DESCRIPTION, BRAND));
        int at = fields.indexOf(field);
        if (by == null) {
            fields.remove(at);
        } else {
            fields.set(at, by);
        }
        fields.addAll(List.of(added));
        return schema(fields.toArray(String[]::new));
    }

    static Stream<Arguments> refused() {
        String wayOut = "create a new dataset by giving this dataset another name in another dataset group "
                + "(a group holds one ITEMS dataset)";
        String attributes = "; a schema replacement must keep the categorical and textual attributes of every field "
                + "(Personalize rule); ";
        return Stream.of(
                Arguments.of("a removed field", changed(PRICE, null),
                        List.of("field PRICE was removed; a schema replacement must keep every field of the current "
                                + "schema (Personalize rule); keep PRICE, or " + wayOut)),
                Arguments.of("a changed type", changed(PRICE, "{\"name\":\"PRICE\",\"type\":\"string\"}"),
                        List.of("field PRICE changed type from float to string; a schema replacement must keep the "
                                + "type of every field (Personalize rule); keep PRICE as \"float\", and add the new "
                                + "values as a new nullable field, or " + wayOut)),
                Arguments.of("a nullable field made required",
                        changed(GENRES, "{\"name\":\"GENRES\",\"type\":\"string\",\"categorical\":true}"),
                        List.of("field GENRES changed from nullable to not nullable; a schema replacement must keep "
                                + "whether every field allows null (Personalize rule); declare GENRES as "
                                + "[\"null\",\"string\"] as before")),
                Arguments.of("a required field made nullable",
                        changed(PRICE, "{\"name\":\"PRICE\",\"type\":[\"null\",\"float\"]}"),
                        List.of("field PRICE changed from not nullable to nullable; a schema replacement must keep "
                                + "whether every field allows null (Personalize rule); declare PRICE as \"float\" "
                                + "as before")),
                Arguments.of("a lost categorical attribute",
                        changed(GENRES, "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"]}"),
                        List.of("field GENRES lost its categorical attribute" + attributes
                                + "keep \"categorical\": true on GENRES")),
                Arguments.of("a gained categorical attribute",
                        changed(BRAND, "{\"name\":\"BRAND\",\"type\":[\"null\",\"string\"],\"categorical\":true}"),
                        List.of("field BRAND gained the categorical attribute" + attributes + "leave BRAND without "
                                + "\"categorical\": true, and add a new nullable categorical field instead")),
                Arguments.of("a lost textual attribute",
                        changed(DESCRIPTION, "{\"name\":\"DESCRIPTION\",\"type\":[\"null\",\"string\"]}"),
                        List.of("field DESCRIPTION lost its textual attribute" + attributes
                                + "keep \"textual\": true on DESCRIPTION")),
                Arguments.of("a new required field",
                        changed(BRAND, BRAND, "{\"name\":\"COLOR\",\"type\":\"string\"}"),
                        List.of("new field COLOR is not nullable; new fields must allow null: declare it as "
                                + "[\"null\",\"string\"]")),
                Arguments.of("a renamed field (names are case-sensitive)",
                        changed(PRICE, "{\"name\":\"price\",\"type\":\"float\"}"),
                        List.of("field PRICE was removed; a schema replacement must keep every field of the current "
                                + "schema (Personalize rule); keep PRICE, or " + wayOut,
                                "new field price is not nullable; new fields must allow null: declare it as "
                                        + "[\"null\",\"float\"]")),
                Arguments.of("several changes at once",
                        schema(ITEM_ID, "{\"name\":\"PRICE\",\"type\":{\"type\":\"double\"}}", GENRES, DESCRIPTION,
                                "{\"name\":\"SIZE\",\"type\":\"int\"}"),
                        List.of("field PRICE changed type from float to double; a schema replacement must keep the "
                                        + "type of every field (Personalize rule); keep PRICE as \"float\", and add "
                                        + "the new values as a new nullable field, or " + wayOut,
                                "field BRAND was removed; a schema replacement must keep every field of the current "
                                        + "schema (Personalize rule); keep BRAND, or " + wayOut,
                                "new field SIZE is not nullable; new fields must allow null: declare it as "
                                        + "[\"null\",\"int\"]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void eachBrokenRuleIsNamedWithTheFieldAndTheWayOut(String change, String newSchema, List<String> expected) {
        assertThat(SchemaEvolution.violations("ITEMS", CURRENT, newSchema)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"INTERACTIONS", "ACTIONS", "ACTION_INTERACTIONS", "Interactions"})
    void onlyItemsAndUsersDatasetsChangeSchema(String datasetType) {
        String type = datasetType.toUpperCase(Locale.ROOT);
        assertThat(SchemaEvolution.violations(datasetType, CURRENT,
                changed(BRAND, BRAND, "{\"name\":\"COLOR\",\"type\":[\"null\",\"string\"]}")))
                .containsExactly(type + " datasets cannot change schema (Personalize replaces schemas of ITEMS and "
                        + "USERS datasets only); keep the current schema, or create a new dataset by giving this "
                        + "dataset another name in another dataset group (a group holds one " + type + " dataset)");
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("the same schema", "ITEMS", CURRENT),
                Arguments.of("a new nullable field", "ITEMS",
                        changed(BRAND, BRAND, "{\"name\":\"COLOR\",\"type\":[\"null\",\"string\"]}")),
                Arguments.of("a new nullable field, null last, categorical", "ITEMS", changed(BRAND, BRAND,
                        "{\"name\":\"COLOR\",\"type\":[\"string\",\"null\"],\"categorical\":true}")),
                Arguments.of("a new nullable field in a USERS dataset", "users",
                        changed(BRAND, BRAND, "{\"name\":\"AGE\",\"type\":[\"null\",\"int\"]}")),
                Arguments.of("fields in another order", "ITEMS", schema(BRAND, DESCRIPTION, GENRES, PRICE, ITEM_ID)),
                Arguments.of("the union written the other way round", "ITEMS", changed(GENRES,
                        "{\"name\":\"GENRES\",\"type\":[\"string\",\"null\"],\"categorical\":true}")),
                Arguments.of("a type written as an object", "ITEMS",
                        changed(PRICE, "{\"name\":\"PRICE\",\"type\":{\"type\":\"float\"}}")),
                Arguments.of("an explicit false attribute", "ITEMS",
                        changed(BRAND, "{\"name\":\"BRAND\",\"type\":[\"string\",\"null\"],\"textual\":false}")),
                Arguments.of("another record name and version", "ITEMS", CURRENT.replace("\"Items\"", "\"Products\"")
                        .replace("1.0", "2.0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void changesPersonalizeAcceptsPass(String change, String datasetType, String newSchema) {
        assertThat(SchemaEvolution.violations(datasetType, CURRENT, newSchema)).isEmpty();
    }

    @Test
    void theRefusalNamesTheDatasetFirstAndListsEveryViolation() {
        assertThat(SchemaEvolution.refusal("dataset Items (arn:aws:personalize:us-east-1:1:dataset/shop/ITEMS)",
                "arn:aws:personalize:us-east-1:1:schema/items-2", List.of("first; with detail", "second")))
                .isEqualTo("dataset Items (arn:aws:personalize:us-east-1:1:dataset/shop/ITEMS) cannot take schema "
                        + "arn:aws:personalize:us-east-1:1:schema/items-2: the change breaks Personalize's "
                        + "schema-replacement rules: (1) first; with detail; (2) second");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "[1, 2]", "{\"type\":\"record\"}", "{\"fields\":[{\"type\":\"string\"}]}",
            "{\"fields\":[{\"name\":\"A\"}]}"})
    void schemasThatAreNotAvroRecordsAreReported(String schema) {
        assertThatThrownBy(() -> SchemaEvolution.violations("ITEMS", CURRENT, schema))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
