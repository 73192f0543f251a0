package io.github.personalizecdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/** Fresh, environment-agnostic stacks for tests; all share one jsii runtime per JVM. */
final class TestApps {
    static final String INTERACTIONS_JSON = """
            {"type": "record", "name": "Interactions", "namespace": "com.amazonaws.personalize.schema",
             "fields": [
               {"name": "USER_ID", "type": "string"},
               {"name": "ITEM_ID", "type": "string"},
               {"name": "EVENT_TYPE", "type": "string"},
               {"name": "TIMESTAMP", "type": "long"}
             ], "version": "1.0"}
            """;

    private TestApps() {
    }

    /** @return the logical id of a construct's primary resource (or of the resource itself) */
    static String logicalId(IConstruct construct) {
        IConstruct element = construct;
        while (!(element instanceof CfnElement)) {
            element = element.getNode().getDefaultChild(); // a Dataset's is a CustomResource, whose is a CfnResource
        }
        return Stack.of(construct).getLogicalId((CfnElement) element);
    }

    /** The template form of {@code arn:<partition>:personalize:<region>:<account>:<resource>} of an agnostic stack. */
    static Map<String, Object> personalizeArn(String resource) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":personalize:",
                Map.of("Ref", "AWS::Region"), ":", Map.of("Ref", "AWS::AccountId"), ":" + resource)));
    }

    static Map<String, Object> getAtt(IConstruct construct, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId(construct), attribute));
    }

    static Stack stack() {
        return new Stack(new App(), "Stack");
    }

    static SchemaDefinition interactions() {
        return SchemaDefinition.fromJson(INTERACTIONS_JSON);
    }

    static SchemaDefinition users(int metadataFields) {
        SchemaField[] fields = new SchemaField[metadataFields + 1];
        fields[0] = SchemaField.of("USER_ID", FieldType.STRING);
        for (int i = 1; i <= metadataFields; i++) {
            fields[i] = SchemaField.of("ATTRIBUTE_" + i, FieldType.STRING).categorical().nullable();
        }
        return SchemaDefinition.fromFields("Users", fields);
    }

    /** @return compact schema JSON of exactly {@code length} characters */
    static String definitionOfLength(int length) {
        String head = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},"
                + "{\"name\":\"";
        String tail = "\",\"type\":\"int\"}]}";
        return head + "P".repeat(length - head.length() - tail.length()) + tail;
    }

    static SchemaDefinition fields(String json) {
        return SchemaDefinition.fromJson("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + json + "]}");
    }
}
