package io.github.personalizecdk.handler.internal;

import static io.github.personalizecdk.contract.SchemaResource.DEFINITION;
import static io.github.personalizecdk.contract.SchemaResource.DOMAIN;
import static io.github.personalizecdk.contract.SchemaResource.SCHEMA_NAME;
import static io.github.personalizecdk.handler.internal.Properties.optional;
import static io.github.personalizecdk.handler.internal.Properties.required;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * A schema as the custom resource's properties describe it. Two definitions are the same when they are the same
 * JSON (object keys in any order, any whitespace between tokens), not when their text is.
 *
 * @param definition the Avro JSON
 * @param domain     ECOMMERCE or VIDEO_ON_DEMAND, or null for a custom schema
 */
public record SchemaSpec(String name, String definition, String domain) {
    /** What Personalize names a schema: {@code …:schema/<name>}. */
    static final Pattern SCHEMA_ARN = Pattern.compile("arn:[^:]+:personalize:[^:]*:[^:]*:schema/[^/]+");
    /** An ARN's partition, region and account: {@code arn:<partition>:<service>:<region>:<account>:…}. */
    private static final Pattern ANY_ARN = Pattern.compile("arn:([^:]+):[^:]+:([^:]*):([^:]*):.+");

    public SchemaSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(definition, "definition");
    }

    /** Reads the resource properties; a missing required property fails with its name. */
    public static SchemaSpec parse(Map<String, Object> properties) {
        Objects.requireNonNull(properties, "ResourceProperties");
        return new SchemaSpec(required(properties, SCHEMA_NAME), required(properties, DEFINITION),
                optional(properties, DOMAIN));
    }

    /**
     * @param arn an ARN of the account, region and partition the handler works in, e.g. the event's ServiceToken
     * @return the ARN Personalize gives this schema there: {@code arn:<partition>:personalize:<region>:<account>:
     *         schema/<name>}
     * @throws IllegalArgumentException when {@code arn} is not an ARN
     */
    public String schemaArn(String arn) {
        var m = ANY_ARN.matcher(Objects.requireNonNull(arn, "arn"));
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ARN: " + arn);
        }
        return "arn:" + m.group(1) + ":personalize:" + m.group(2) + ":" + m.group(3) + ":schema/" + name;
    }

    /** @return whether both are the same schema: same name, same domain, same definition as JSON */
    public boolean sameSchema(SchemaSpec other) {
        return name.equals(other.name) && differences(other.definition, other.domain).isEmpty();
    }

    /**
     * @param existingDefinition the definition of a schema Personalize has
     * @param existingDomain     its domain, or null for a custom schema
     * @return what differs between that schema and this one, each naming the key, field or domain and both sides;
     *         empty when they are the same
     */
    public List<String> differences(String existingDefinition, String existingDomain) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(domain, existingDomain)) {
            out.add("the existing schema has " + domainText(existingDomain) + ", this one " + domainText(domain));
        }
        JsonNode existing = parseOrNull(existingDefinition);
        JsonNode requested = parseOrNull(definition);
        if (existing == null || requested == null) {
            if (!Objects.equals(existingDefinition, definition)) {
                out.add("the definitions differ (" + (existing == null ? "the existing" : "this") + " one is not "
                        + "JSON): existing " + existingDefinition + ", this one " + definition);
            }
            return out;
        }
        if (existing.equals(requested)) {
            return out;
        }
        if (!existing.isObject() || !requested.isObject()) {
            out.add("the definitions differ: existing " + compact(existing) + ", this one " + compact(requested));
            return out;
        }
        Map<String, JsonNode> before = existing.asObject();
        Map<String, JsonNode> after = requested.asObject();
        Set<String> keys = new LinkedHashSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            if (key.equals("fields") && fieldsByName(before.get(key)) != null && fieldsByName(after.get(key)) != null) {
                fieldDifferences(before.get(key), after.get(key), out);
            } else if (!Objects.equals(before.get(key), after.get(key))) {
                out.add("\"" + key + "\" is " + text(before.get(key)) + " in the existing schema, "
                        + text(after.get(key)) + " in this one");
            }
        }
        return out;
    }

    private static void fieldDifferences(JsonNode before, JsonNode after, List<String> out) {
        Map<String, JsonNode> existing = fieldsByName(before);
        Map<String, JsonNode> requested = fieldsByName(after);
        int count = out.size();
        existing.forEach((name, field) -> {
            if (!requested.containsKey(name)) {
                out.add("field " + name + " is only in the existing schema");
            } else if (!field.equals(requested.get(name))) {
                out.add("field " + name + " is " + compact(field) + " in the existing schema, "
                        + compact(requested.get(name)) + " in this one");
            }
        });
        requested.keySet().stream().filter(name -> !existing.containsKey(name))
                .forEach(name -> out.add("field " + name + " is only in this one"));
        if (out.size() == count && !before.equals(after)) {
            out.add("the fields are in another order: existing " + String.join(", ", existing.keySet())
                    + "; this one " + String.join(", ", requested.keySet()));
        }
    }

    /** @return the fields of an Avro record by name, in order, or null when they are not named objects */
    private static Map<String, JsonNode> fieldsByName(JsonNode fields) {
        if (fields == null || !fields.isArray()) {
            return null;
        }
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode field : fields.asArray()) {
            JsonNode name = field.isObject() ? field.asObject().get("name") : null;
            if (name == null || !name.isString() || out.put(name.asString(), field) != null) {
                return null;
            }
        }
        return out;
    }

    private static JsonNode parseOrNull(String json) {
        try {
            return json == null ? null : JsonNode.parser().parse(json);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode value) {
        return value == null ? "absent" : compact(value);
    }

    /** @return the JSON without whitespace between tokens, as the construct renders definitions */
    static String compact(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(JsonNode value, StringBuilder out) {
        if (value.isObject()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : value.asObject().entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                Properties.escapeJson(e.getKey(), out.append('"')).append('"');
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value.isArray()) {
            out.append('[');
            boolean first = true;
            for (JsonNode element : value.asArray()) {
                out.append(first ? "" : ",");
                first = false;
                write(element, out);
            }
            out.append(']');
        } else if (value.isString()) {
            Properties.escapeJson(value.asString(), out.append('"')).append('"');
        } else if (value.isNumber()) {
            out.append(value.asNumber());
        } else if (value.isBoolean()) {
            out.append(value.asBoolean());
        } else {
            out.append("null");
        }
    }

    private static String domainText(String domain) {
        return domain == null ? "no domain (custom)" : "domain " + domain;
    }

    /** @return whether the physical id names a schema (not, e.g., the framework's marker of a failed create) */
    static boolean isSchemaArn(String physicalId) {
        return physicalId != null && SCHEMA_ARN.matcher(physicalId).matches();
    }
}
