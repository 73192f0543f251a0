package io.github.personalizecdk.it.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Custom resources as CloudFormation and aws-cdk's Provider framework serve them (custom-resources
 * provider-framework/runtime: framework.ts, cfn-response.ts, waiter-state-machine.ts): CloudFormation
 * passes every scalar property as a string; the framework calls the user's onEvent, merges its answer into
 * the event, then calls isComplete at once and again after each query interval (the waiter's
 * {@code totalTimeout / queryInterval} retries) until it answers complete, and merges Data. A throw answers
 * FAILED; a failed Create without physical id gets the framework's marker, and the Delete that follows for
 * that marker is answered without calling the user. Each request is an {@link Operation} on the simulator's clock,
 * so requests for several resources wait at once, each on its own schedule. The user function is called in-process through a JSON
 * round trip, as Lambda would. One function serves onEvent and isComplete, as this library's Provider does.
 */
final class ProviderFramework implements ResourceProvider {
    static final String CREATE_FAILED_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnaryOperator<Map<String, Object>> userFunction;
    private final Duration queryInterval;
    private final long maxAttempts;
    private final CloudFormationSimulator stack;

    ProviderFramework(UnaryOperator<Map<String, Object>> userFunction, Duration queryInterval, Duration totalTimeout,
            CloudFormationSimulator stack) {
        this.userFunction = userFunction;
        this.queryInterval = queryInterval;
        this.maxAttempts = totalTimeout.toSeconds() / queryInterval.toSeconds();
        this.stack = stack;
    }

    @Override
    public Operation create(Request r) {
        return send("Create", r);
    }

    @Override
    public Operation update(Request r) {
        return send("Update", r);
    }

    @Override
    public Operation delete(Request r) {
        return send("Delete", r);
    }

    private Operation send(String requestType, Request r) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("RequestType", requestType);
        event.put("ServiceToken", String.valueOf(r.properties().get("ServiceToken")));
        event.put("ResponseURL", "https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/...");
        event.put("StackId", stack.stackId());
        event.put("RequestId", stack.uuid());
        event.put("LogicalResourceId", r.logicalId());
        if (!requestType.equals("Create")) {
            event.put("PhysicalResourceId", r.physicalId());
        }
        event.put("ResourceType", r.type());
        event.put("ResourceProperties", stringified(r.properties()));
        if (requestType.equals("Update")) {
            event.put("OldResourceProperties", stringified(r.oldProperties()));
        }
        if (requestType.equals("Delete") && CREATE_FAILED_MARKER.equals(r.physicalId())) {
            // answered SUCCESS by the framework's safeHandler
            return Operation.instant(() -> new Outcome(r.physicalId(), Map.of()));
        }
        return new Waiter(event);
    }

    /**
     * One request through the framework: framework.ts onEvent in the first step, then the waiter state machine's
     * isComplete calls, the first at once and one every query interval after, until the SUCCESS response.
     */
    private final class Waiter implements Operation {
        private final Map<String, Object> request;
        private Map<String, Object> event;
        private long attempt;
        private Outcome outcome;

        Waiter(Map<String, Object> request) {
            this.request = request;
        }

        @Override
        public Outcome outcome() {
            return outcome;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Duration step() {
            try {
                if (event == null) {
                    event = onEvent(request);
                }
                Map<String, Object> response = isComplete(event, attempt++);
                if (response == null) {
                    return queryInterval;
                }
                Map<String, Object> data = (Map<String, Object>) response.getOrDefault("Data", Map.of());
                if (json(Map.of("PhysicalResourceId", response.get("PhysicalResourceId"), "Data", data)).length()
                        > 4096) {
                    throw new FrameworkError("Response object is too long.", request);
                }
                outcome = new Outcome((String) response.get("PhysicalResourceId"), data);
                return null;
            } catch (FrameworkError e) {
                Object physicalId = e.event.get("PhysicalResourceId");
                String requestType = (String) request.get("RequestType");
                throw new Failure("Received response status [FAILED] from custom resource. Message returned: "
                        + e.getMessage() + " (RequestId: " + request.get("RequestId") + ")", physicalId != null
                        ? (String) physicalId : requestType.equals("Create") ? CREATE_FAILED_MARKER : null);
            }
        }
    }

    /** framework.ts onEvent: calls the user's onEvent; returns the event the waiter passes to isComplete. */
    private Map<String, Object> onEvent(Map<String, Object> request) {
        Map<String, Object> result = invoke(request);
        String physicalId = (String) result.getOrDefault("PhysicalResourceId", request.get(
                request.get("RequestType").equals("Create") ? "RequestId" : "PhysicalResourceId"));
        if (request.get("RequestType").equals("Delete") && !physicalId.equals(request.get("PhysicalResourceId"))) {
            throw new FrameworkError("Error: DELETE: cannot change the physical resource ID from \""
                    + request.get("PhysicalResourceId") + "\" to \"" + physicalId + "\" during deletion", request);
        }
        Map<String, Object> event = new LinkedHashMap<>(request);
        event.putAll(result);
        event.put("PhysicalResourceId", physicalId);
        return event;
    }

    /** One isComplete call of the waiter: the SUCCESS response when complete, else null (retry after an interval). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> isComplete(Map<String, Object> event, long attempt) {
        Map<String, Object> answer = invoke(event);
        if (Boolean.TRUE.equals(answer.get("IsComplete"))) {
            Map<String, Object> response = new LinkedHashMap<>(event);
            response.putAll(answer);
            Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) event.getOrDefault("Data", Map.of()));
            data.putAll((Map<String, Object>) answer.getOrDefault("Data", Map.of()));
            response.put("Data", data);
            return response;
        }
        if (answer.get("Data") instanceof Map<?, ?> d && !d.isEmpty()) {
            throw new FrameworkError("Error: \"Data\" is not allowed if \"IsComplete\" is \"False\"", event);
        }
        if (attempt == maxAttempts) {
            throw new FrameworkError("Operation timed out", event);
        }
        return null;
    }

    /** Calls the user function as Lambda would, JSON in and out; a throw becomes the framework's error. */
    private Map<String, Object> invoke(Map<String, Object> event) {
        try {
            Map<String, Object> result = userFunction.apply(parse(json(event)));
            return result == null ? Map.of() : parse(json(result));
        } catch (RuntimeException e) {
            throw new FrameworkError("Error: " + e.getMessage() + "\n\nLogs: /aws/lambda/"
                    + stack.userFunctionName((String) event.get("ServiceToken"))
                    + "\n\n    at invokeUserFunction (/var/task/framework.js)", event);
        }
    }

    /** CloudFormation hands custom resources every scalar as a string, in maps and lists too. */
    @SuppressWarnings("unchecked")
    static Object stringified(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, stringified(v)));
            return out;
        }
        return value instanceof List<?> list ? list.stream().map(ProviderFramework::stringified).toList()
                : value == null ? null : String.valueOf(value);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Lambda payload must be JSON: " + value, e);
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The framework answers FAILED with this reason and the physical id of this event. */
    private static final class FrameworkError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Map<String, Object> event;

        FrameworkError(String reason, Map<String, Object> event) {
            super(reason, null, false, false);
            this.event = event;
        }
    }
}
