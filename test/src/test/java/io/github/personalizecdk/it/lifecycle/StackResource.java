package io.github.personalizecdk.it.lifecycle;

import java.util.Map;

/**
 * A resource as the stack knows it after an operation.
 *
 * @param properties the resolved properties it was last created or updated with
 * @param attributes what {@code Fn::GetAtt} returns (a custom resource's Data)
 */
public record StackResource(String logicalId, String type, String physicalId, Map<String, Object> properties,
        Map<String, Object> attributes, String deletionPolicy, String updateReplacePolicy) {

    StackResource with(String newPhysicalId, Map<String, Object> newAttributes) {
        return new StackResource(logicalId, type, newPhysicalId, properties, newAttributes, deletionPolicy,
                updateReplacePolicy);
    }

    StackResource withPolicies(String deletion, String updateReplace) {
        return new StackResource(logicalId, type, physicalId, properties, attributes, deletion, updateReplace);
    }

    /** Retain and Snapshot keep the resource; RetainExceptOnCreate too, unless its own first create rolls back. */
    boolean keptOnDelete(boolean rollingBackItsCreate) {
        return switch (deletionPolicy) {
            case "Retain", "Snapshot" -> true;
            case "RetainExceptOnCreate" -> !rollingBackItsCreate;
            default -> false;
        };
    }

    boolean keptOnReplace() {
        return updateReplacePolicy.equals("Retain") || updateReplacePolicy.equals("Snapshot");
    }
}
