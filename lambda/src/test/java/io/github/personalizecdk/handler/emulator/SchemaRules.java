package io.github.personalizecdk.handler.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.contract.FieldNameRules;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Personalize's checks of a schema's Avro JSON (primitive field types, unique alphanumeric field names) and its rules for replacing a dataset's schema (UpdateDataset):
 * only Items and Users datasets; every field of the current schema kept with the same type (a nullability union
 * included) and the same categorical and textual attributes; every new field allows null.
 */
final class SchemaRules {

    static final int MAX_SCHEMA_LENGTH = 20_000;
    static final List<String> UPDATABLE_TYPES = List.of("ITEMS", "USERS");
    static final List<String> PRIMITIVES = List.of("string", "int", "long", "float", "double", "boolean");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One field of a parsed schema; {@code type} is the set of the union's members (one for a plain type). */
    record Field(String name, JsonNode typeNode, Set<String> type, boolean categorical, boolean textual) {

        boolean nullable() {
            return type.contains("null");
        }
    }

    private SchemaRules() {
    }

    /**
     * The fields of an Avro record schema, in order, or an exception whose message says what is wrong.
     *
     * @throws IllegalArgumentException when the text is not a JSON Avro record with a fields list
     */
    static Map<String, Field> parse(String schema) {
        JsonNode root;
        try {
            root = JSON.readTree(schema);
        } catch (IOException e) {
            throw new IllegalArgumentException("the schema is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the schema must be a JSON object");
        }
        if (!"record".equals(root.path("type").asText(null))) {
            throw new IllegalArgumentException("the schema must have \"type\": \"record\"");
        }
        JsonNode fields = root.get("fields");
        if (fields == null || !fields.isArray()) {
            throw new IllegalArgumentException("the schema must have a \"fields\" list");
        }
        Map<String, Field> out = new LinkedHashMap<>();
        for (JsonNode f : fields) {
            String name = f.path("name").asText(null);
            JsonNode type = f.get("type");
            if (!f.isObject() || name == null || name.isEmpty() || type == null) {
                throw new IllegalArgumentException("every field needs a \"name\" and a \"type\": " + f);
            }
            if (out.containsKey(name)) {
                throw new IllegalArgumentException("field " + name + " is declared twice");
            }
            Set<String> members = members(type);
            Set<String> nonNull = new TreeSet<>(members);
            nonNull.remove("null");
            // "Amazon Personalize schemas don't support complex types such as arrays and maps" (formatting
            // requirements); a field is one primitive type, or its union with null (Schema data types)
            if (nonNull.size() != 1 || !PRIMITIVES.contains(nonNull.iterator().next())) {
                throw new IllegalArgumentException("field " + name + " has type " + type + "; supported: "
                        + String.join(", ", PRIMITIVES) + ", or a union of null and one of them");
            }
            String normalized = FieldNameRules.normalize(name);
            String earlier = normalized(out, normalized);
            if (earlier != null) {
                throw new IllegalArgumentException("fields " + earlier + " and " + name + " do not have unique "
                        + "alphanumeric names");
            }
            out.put(name, new Field(name, type, members, f.path("categorical").asBoolean(false),
                    f.path("textual").asBoolean(false)));
        }
        return out;
    }

    /**
     * Why Personalize refuses to replace a dataset's schema, or null when the replacement is allowed.
     *
     * @param datasetType the dataset's type in API form, e.g. {@code ITEMS}
     */
    static String replacementViolation(String datasetType, Map<String, Field> current, Map<String, Field> next) {
        if (!UPDATABLE_TYPES.contains(datasetType)) {
            return "Schema updates are supported only for Items and Users datasets, not for " + datasetType
                    + " datasets";
        }
        for (Field old : current.values()) {
            Field now = next.get(old.name());
            if (now == null) {
                return "The new schema must contain every field of the current schema: field " + old.name()
                        + " is missing";
            }
            if (!old.type().equals(now.type())) {
                return "Field " + old.name() + " must keep its type " + old.typeNode() + " but the new schema"
                        + " declares " + now.typeNode();
            }
            if (old.categorical() != now.categorical()) {
                return "Field " + old.name() + " must keep \"categorical\": " + old.categorical();
            }
            if (old.textual() != now.textual()) {
                return "Field " + old.name() + " must keep \"textual\": " + old.textual();
            }
        }
        for (Field added : next.values()) {
            if (!current.containsKey(added.name()) && !added.nullable()) {
                return "New field " + added.name() + " must allow null values (a union with \"null\", e.g."
                        + " [\"null\", \"string\"]) but its type is " + added.typeNode();
            }
        }
        return null;
    }

    /** @return the field whose name is {@code normalized} once compared as Personalize compares names, or null */
    private static String normalized(Map<String, Field> fields, String normalized) {
        return fields.keySet().stream().filter(n -> FieldNameRules.normalize(n).equals(normalized)).findFirst()
                .orElse(null);
    }

    private static Set<String> members(JsonNode type) {
        Set<String> out = new TreeSet<>();
        if (type.isArray()) {
            type.forEach(m -> out.add(member(m)));
        } else {
            out.add(member(type));
        }
        return out;
    }

    private static String member(JsonNode m) {
        if (m.isObject() && m.path("type").isTextual()) {
            return m.path("type").asText(); // {"type": "string"} names the same type as "string"
        }
        return m.isTextual() ? m.asText() : m.toString();
    }
}
