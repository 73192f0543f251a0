package io.github.personalizecdk.handler.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Personalize's rules for replacing a dataset's schema in place ({@code UpdateDataset}), checked from the current
 * and the new Avro JSON before any call: only ITEMS and USERS datasets change schema; every current field stays,
 * with the same name (case-sensitive), base type, nullability and categorical/textual attributes; every new field
 * allows null.
 *
 * <p>Types are read in the forms Personalize accepts: {@code "string"}, {@code ["null", "string"]} (either order)
 * and {@code {"type": ...}}. The JSON is read with the SDK's own parser, so the handler needs no JSON library.
 */
public final class SchemaEvolution {
    /** Dataset types whose schema Personalize replaces. */
    static final List<String> REPLACEABLE = List.of("ITEMS", "USERS");

    private SchemaEvolution() {
    }

    /** A field as a schema declares it: its base type, whether it allows null, and its attributes. */
    record Field(String name, String type, boolean nullable, boolean categorical, boolean textual) {
        /** @return the type as the schema would declare it, e.g. {@code ["null","string"]} */
        String declared() {
            return nullable ? "[\"null\",\"" + type + "\"]" : "\"" + type + "\"";
        }
    }

    /**
     * @param datasetType the API form (INTERACTIONS, ITEMS, USERS, ACTIONS, ACTION_INTERACTIONS), any case
     * @return one message per broken rule, each naming the field, the rule and what to do instead; empty when
     *         Personalize's rules allow the replacement
     * @throws IllegalArgumentException when either schema is not an Avro record schema with fields
     */
    public static List<String> violations(String datasetType, String currentSchema, String newSchema) {
        String type = Objects.requireNonNull(datasetType, "datasetType").toUpperCase(Locale.ROOT);
        Map<String, Field> current = fields(currentSchema);
        Map<String, Field> next = fields(newSchema);
        if (!REPLACEABLE.contains(type)) {
            return List.of(type + " datasets cannot change schema (Personalize replaces schemas of ITEMS and USERS "
                    + "datasets only); keep the current schema, or " + newDataset(type));
        }
        List<String> out = new ArrayList<>();
        for (Field old : current.values()) {
            Field now = next.get(old.name());
            if (now == null) {
                out.add("field " + old.name() + " was removed; a schema replacement must keep every field of the "
                        + "current schema (Personalize rule); keep " + old.name() + ", or " + newDataset(type));
                continue;
            }
            if (!now.type().equals(old.type())) {
                out.add("field " + old.name() + " changed type from " + old.type() + " to " + now.type()
                        + "; a schema replacement must keep the type of every field (Personalize rule); keep "
                        + old.name() + " as " + old.declared() + ", and add the new values as a new nullable field, "
                        + "or " + newDataset(type));
            }
            if (now.nullable() != old.nullable()) {
                out.add("field " + old.name() + " changed from " + nullability(old) + " to " + nullability(now)
                        + "; a schema replacement must keep whether every field allows null (Personalize rule); "
                        + "declare " + old.name() + " as " + old.declared() + " as before");
            }
            attribute(out, "categorical", old.name(), old.categorical(), now.categorical());
            attribute(out, "textual", old.name(), old.textual(), now.textual());
        }
        for (Field added : next.values()) {
            if (!current.containsKey(added.name()) && !added.nullable()) {
                out.add("new field " + added.name() + " is not nullable; new fields must allow null: declare it as "
                        + "[\"null\",\"" + added.type() + "\"]");
            }
        }
        return List.copyOf(out);
    }

    /** @return the message of a refused schema change: the dataset first, then every violation */
    public static String refusal(String dataset, String schemaArn, List<String> violations) {
        StringBuilder out = new StringBuilder(dataset).append(" cannot take schema ").append(schemaArn)
                .append(": the change breaks Personalize's schema-replacement rules");
        for (int i = 0; i < violations.size(); i++) {
            out.append(i == 0 ? ": " : " ").append('(').append(i + 1).append(") ").append(violations.get(i));
            if (i < violations.size() - 1) {
                out.append(';');
            }
        }
        return out.toString();
    }

    private static void attribute(List<String> out, String attribute, String field, boolean before, boolean after) {
        if (before == after) {
            return;
        }
        String rule = "; a schema replacement must keep the categorical and textual attributes of every field "
                + "(Personalize rule); ";
        out.add(before
                ? "field " + field + " lost its " + attribute + " attribute" + rule + "keep \"" + attribute
                        + "\": true on " + field
                : "field " + field + " gained the " + attribute + " attribute" + rule + "leave " + field + " without \""
                        + attribute + "\": true, and add a new nullable " + attribute + " field instead");
    }

    private static String nullability(Field field) {
        return field.nullable() ? "nullable" : "not nullable";
    }

    private static String newDataset(String type) {
        return "create a new dataset by giving this dataset another name in another dataset group (a group holds one "
                + type + " dataset)";
    }

    /**
     * @return the record's fields by name, in schema order
     * @throws IllegalArgumentException when the text is not an Avro record schema with named, typed fields
     */
    static Map<String, Field> fields(String schema) {
        JsonNode root;
        try {
            root = JsonNode.parser().parse(Objects.requireNonNull(schema, "schema"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema is not JSON: " + e.getMessage(), e);
        }
        List<JsonNode> fields = Optional.of(root).filter(JsonNode::isObject).flatMap(r -> r.field("fields"))
                .filter(JsonNode::isArray).map(JsonNode::asArray)
                .orElseThrow(() -> new IllegalArgumentException("schema is not an Avro record with fields"));
        Map<String, Field> out = new LinkedHashMap<>();
        for (JsonNode field : fields) {
            if (!field.isObject()) {
                throw new IllegalArgumentException("schema has a field that is not an object: " + field);
            }
            String name = field.field("name").filter(JsonNode::isString).map(JsonNode::asString)
                    .orElseThrow(() -> new IllegalArgumentException("schema has a field without name: " + field));
            JsonNode type = field.field("type")
                    .orElseThrow(() -> new IllegalArgumentException("field " + name + " has no type"));
            List<String> types = new ArrayList<>();
            collectTypes(type, types);
            boolean nullable = types.remove("null");
            out.put(name, new Field(name, types.stream().collect(Collectors.joining("|")), nullable,
                    flag(field, "categorical"), flag(field, "textual")));
        }
        return out;
    }

    /** Flattens {@code "string"}, {@code ["null","string"]} and {@code {"type": ...}} to type names. */
    private static void collectTypes(JsonNode type, List<String> out) {
        if (type.isString()) {
            out.add(type.asString());
        } else if (type.isArray()) {
            type.asArray().forEach(t -> collectTypes(t, out));
        } else if (type.isObject() && type.field("type").isPresent()) {
            collectTypes(type.field("type").get(), out);
        } else {
            out.add(type.toString());
        }
    }

    private static boolean flag(JsonNode field, String attribute) {
        return field.field(attribute).map(v -> v.isBoolean() ? v.asBoolean() : "true".equals(v.text()))
                .orElse(false);
    }
}
