package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Every AWS::Personalize::* resource of every example against CloudFormation's registry schema
 * (required and unknown properties, enums, patterns, lengths of literal strings).
 */
class CloudFormationSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void examplePersonalizeResourcesSatisfyTheRegistrySchemas() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Template> example : Templates.examples().entrySet()) {
            JsonNode resources = JSON.valueToTree(example.getValue().toJSON()).path("Resources");
            for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> resource = it.next();
                String type = resource.getValue().path("Type").asText();
                if (!type.startsWith("AWS::Personalize::")) {
                    continue;
                }
                JsonNode schema = registrySchema(type);
                check(example.getKey() + "/" + resource.getKey(), schema,
                        resource.getValue().path("Properties"), problems);
                checked++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).as("Personalize resources checked").isEqualTo(10);
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
