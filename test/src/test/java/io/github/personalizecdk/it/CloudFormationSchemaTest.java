package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.contract.SchemaResource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Every AWS::Personalize::* resource of every example against CloudFormation's registry schema
 * (required and unknown properties, enums, patterns, lengths of literal strings), every dataset custom
 * resource against the registry's AWS::Personalize::Dataset constraints on its name and ARNs, and every schema
 * custom resource against the registry's AWS::Personalize::Schema constraints on its name, definition and domain:
 * the handler passes them to CreateDataset and CreateSchema, whose limits they share.
 */
class CloudFormationSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Custom resource property to the AWS::Personalize::Dataset property whose constraints it shares. */
    private static final Map<String, String> DATASET_PROPERTIES = datasetProperties();
    /** Schema custom resource property to the AWS::Personalize::Schema property whose constraints it shares. */
    private static final Map<String, String> SCHEMA_PROPERTIES = schemaProperties();
    /**
     * The registry's DatasetType enum is Interactions, Items, Users (what CloudFormation's own type creates); the
     * API takes all five types, case-insensitively, and the custom resource sends the API's upper-case form.
     */
    private static final List<String> API_DATASET_TYPES = Arrays.stream(DatasetType.values()).map(Enum::name)
            .toList();

    private static Map<String, String> datasetProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(DatasetResource.DATASET_NAME, "Name");
        m.put(DatasetResource.DATASET_GROUP_ARN, "DatasetGroupArn");
        m.put(DatasetResource.SCHEMA_ARN, "SchemaArn");
        return m;
    }

    private static Map<String, String> schemaProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SchemaResource.SCHEMA_NAME, "Name");
        m.put(SchemaResource.DEFINITION, "Schema");
        m.put(SchemaResource.DOMAIN, "Domain");
        return m;
    }

    @Test
    void examplePersonalizeResourcesSatisfyTheRegistrySchemas() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Template> example : Templates.examples().entrySet()) {
            JsonNode resources = JSON.valueToTree(example.getValue().toJSON()).path("Resources");
            for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> resource = it.next();
                String type = resource.getValue().path("Type").asText();
                String where = example.getKey() + "/" + resource.getKey();
                if (type.equals(DatasetResource.TYPE)) {
                    checkDataset(where, registrySchema("AWS::Personalize::Dataset"),
                            resource.getValue().path("Properties"), problems);
                    checked++;
                    continue;
                }
                if (type.equals(SchemaResource.TYPE)) {
                    checkSchema(where, registrySchema("AWS::Personalize::Schema"),
                            resource.getValue().path("Properties"), problems);
                    checked++;
                    continue;
                }
                if (!type.startsWith("AWS::Personalize::")) {
                    continue;
                }
                JsonNode schema = registrySchema(type);
                check(where, schema, resource.getValue().path("Properties"), problems);
                checked++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).as("Personalize resources checked (groups, schema and dataset custom resources)")
                .isEqualTo(10);
    }

    /**
     * The schema custom resource's properties that CreateSchema receives, under the registry's rules for the
     * properties they map to (required, pattern, lengths, the Domain enum), and nothing else.
     */
    private static void checkSchema(String where, JsonNode registry, JsonNode properties, List<String> problems) {
        ObjectNode mapped = JSON.createObjectNode();
        SCHEMA_PROPERTIES.forEach((custom, native_) -> {
            if (properties.has(custom)) {
                mapped.set(native_, properties.get(custom));
            }
        });
        check(where, registry, mapped, problems);
        JsonNode definition = properties.path(SchemaResource.DEFINITION);
        if (definition.isTextual()) {
            try {
                if (!JSON.readTree(definition.asText()).path("type").asText().equals("record")) {
                    problems.add(where + ": " + SchemaResource.DEFINITION + " is not an Avro record");
                }
            } catch (IOException e) {
                problems.add(where + ": " + SchemaResource.DEFINITION + " is not JSON: " + e.getMessage());
            }
        } else {
            problems.add(where + ": " + SchemaResource.DEFINITION + " is not a string");
        }
        Set<String> known = new HashSet<>(SCHEMA_PROPERTIES.keySet());
        known.addAll(List.of("ServiceToken", "ServiceTimeout"));
        properties.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problems.add(where + ": unknown property " + name);
            }
        });
    }

    /** The dataset custom resource's properties that CreateDataset receives, under the registry's rules. */
    private static void checkDataset(String where, JsonNode registry, JsonNode properties, List<String> problems) {
        ObjectNode mapped = JSON.createObjectNode();
        DATASET_PROPERTIES.forEach((custom, native_) -> {
            if (!properties.has(custom)) {
                problems.add(where + ": missing required " + custom);
            } else {
                mapped.set(native_, properties.get(custom));
            }
        });
        ObjectNode rules = JSON.createObjectNode();
        ObjectNode ruleProperties = rules.putObject("properties");
        DATASET_PROPERTIES.values().forEach(p -> ruleProperties.set(p, registry.path("properties").path(p)));
        check(where, rules, mapped, problems);

        String type = properties.path(DatasetResource.DATASET_TYPE).asText(null);
        if (!API_DATASET_TYPES.contains(type)) {
            problems.add(where + ": " + DatasetResource.DATASET_TYPE + " " + type + " not in " + API_DATASET_TYPES);
        }
        JsonNode definition = properties.path(DatasetResource.SCHEMA_DEFINITION);
        if (!definition.isMissingNode() && !definition.isTextual()) {
            problems.add(where + ": " + DatasetResource.SCHEMA_DEFINITION + " is not a string");
        }
        Set<String> known = new HashSet<>(DATASET_PROPERTIES.keySet());
        known.addAll(List.of(DatasetResource.DATASET_TYPE, DatasetResource.SCHEMA_DEFINITION, "ServiceToken",
                "ServiceTimeout"));
        properties.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                problems.add(where + ": unknown property " + name);
            }
        });
    }

    private static JsonNode registrySchema(String type) throws IOException {
        String file = "/cfn-schemas/" + type.substring("AWS::Personalize::".length()).toLowerCase() + ".json";
        try (InputStream in = CloudFormationSchemaTest.class.getResourceAsStream(file)) {
            assertThat(in).as("registry schema %s", file).isNotNull();
            return JSON.readTree(in);
        }
    }

    private static void check(String where, JsonNode schema, JsonNode properties, List<String> problems) {
        for (JsonNode required : schema.path("required")) {
            if (!properties.has(required.asText())) {
                problems.add(where + ": missing required " + required.asText());
            }
        }
        JsonNode defined = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            JsonNode rule = defined.path(property.getKey());
            if (rule.isMissingNode()) {
                problems.add(where + ": unknown property " + property.getKey());
                continue;
            }
            JsonNode value = property.getValue();
            if (!value.isTextual()) {
                continue; // intrinsic functions resolve at deploy time
            }
            String text = value.asText();
            if (rule.has("maxLength") && text.length() > rule.get("maxLength").asInt()) {
                problems.add(where + ": " + property.getKey() + " longer than " + rule.get("maxLength"));
            }
            if (rule.has("minLength") && text.length() < rule.get("minLength").asInt()) {
                problems.add(where + ": " + property.getKey() + " shorter than " + rule.get("minLength"));
            }
            if (rule.has("pattern") && !Pattern.compile(rule.get("pattern").asText()).matcher(text).find()) {
                problems.add(where + ": " + property.getKey() + " does not match " + rule.get("pattern"));
            }
            if (rule.has("enum")) {
                boolean listed = false;
                for (JsonNode allowed : rule.get("enum")) {
                    listed |= allowed.asText().equals(text);
                }
                if (!listed) {
                    problems.add(where + ": " + property.getKey() + " " + text + " not in " + rule.get("enum"));
                }
            }
        }
    }
}
