package io.github.personalizecdk.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.personalizecdk.examples.ExamplesApp;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** The example stacks, synthesized once per JVM and shared by the tests. */
final class Templates {
    private static final ObjectMapper PRETTY = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static Map<String, Template> examples;

    private Templates() {
    }

    /** @return stack name to template of every example stack */
    static synchronized Map<String, Template> examples() {
        if (examples == null) {
            examples = synthExamples();
        }
        return examples;
    }

    static Map<String, Template> synthExamples() {
        App app = CdkContext.app().build();
        Map<String, Template> templates = new LinkedHashMap<>();
        for (Stack stack : ExamplesApp.build(app)) {
            templates.put(stack.getStackName(), Template.fromStack(stack));
        }
        return templates;
    }

    /** @return the template as pretty JSON with sorted keys and a final newline */
    static String toJson(Template template) {
        try {
            return PRETTY.writeValueAsString(template.toJSON()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
