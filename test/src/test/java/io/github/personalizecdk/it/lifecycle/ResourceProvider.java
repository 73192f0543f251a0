package io.github.personalizecdk.it.lifecycle;

import java.util.Map;

/** What CloudFormation does for the resource types one provider serves. */
interface ResourceProvider {

    /**
     * @param physicalId    the current one (null for Create)
     * @param oldProperties the previous properties (Update only)
     */
    record Request(String logicalId, String type, String physicalId, Map<String, Object> properties,
            Map<String, Object> oldProperties) {
    }

    /** @param attributes what Fn::GetAtt reads */
    record Outcome(String physicalId, Map<String, Object> attributes) {
    }

    /** A failed operation, with the reason CloudFormation shows and the physical id if one came into being. */
    class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String physicalId;

        Failure(String reason, String physicalId) {
            super(reason, null, false, false);
            this.physicalId = physicalId;
        }
    }

    Outcome create(Request request);

    /** In place, unless a custom resource answers with a new physical id (a replacement). */
    Outcome update(Request request);

    void delete(Request request);

    /** @return whether the change needs a new resource (a create-only property changed) */
    default boolean needsReplacement(String type, Map<String, Object> before, Map<String, Object> after) {
        return false;
    }

    /** @return whether a replacement deletes the old resource first ({@code delete_then_create}) */
    default boolean deletesBeforeReplacing(String type) {
        return false;
    }
}
