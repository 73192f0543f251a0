package io.github.personalizecdk.handler.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Custom-resource events as CloudFormation sends them through the Provider framework, for the handler tests. */
public final class CloudFormationEvents {
    public static final String STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/Shop/guid";
    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private CloudFormationEvents() {
    }

    /** @return a Create (or any request type's base) event with a fresh request id */
    public static Map<String, Object> event(String resourceType, String logicalId, String requestType,
            Map<String, Object> props) {
        Map<String, Object> e = new HashMap<>();
        e.put("RequestType", requestType);
        e.put("RequestId", "req-" + REQUESTS.incrementAndGet() + "-" + System.nanoTime());
        e.put("LogicalResourceId", logicalId);
        e.put("StackId", STACK_ID);
        e.put("ResourceType", resourceType);
        e.put("ResourceProperties", props);
        return e;
    }

    public static Map<String, Object> update(String resourceType, String logicalId, String physicalId,
            Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> e = event(resourceType, logicalId, "Update", after);
        e.put("PhysicalResourceId", physicalId);
        e.put("OldResourceProperties", before);
        return e;
    }

    public static Map<String, Object> delete(String resourceType, String logicalId, String physicalId,
            Map<String, Object> props) {
        Map<String, Object> e = event(resourceType, logicalId, "Delete", props);
        e.put("PhysicalResourceId", physicalId);
        return e;
    }
}
