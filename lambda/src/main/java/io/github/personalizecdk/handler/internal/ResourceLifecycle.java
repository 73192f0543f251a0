package io.github.personalizecdk.handler.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;

/**
 * The onEvent/isComplete flow every Personalize custom resource shares, apart from the Lambda glue (as the
 * {@code ResourceHandler} base of aws-cdk's EKS cluster-resource-handler): the RequestType switch, the state
 * that onEvent hands isComplete, waiting with a timeout, status logging, the result and its Data.
 *
 * <p>{@link #onEvent} starts the operation (or adopts the one a retried request started) and returns at once
 * with the {@link #STATE} map; {@link #isComplete} describes the resource once per call. The Provider framework
 * calls isComplete again after its query interval until it answers complete, throws, or the framework's total
 * timeout passes: nothing here sleeps.
 */
public abstract class ResourceLifecycle {
    /**
     * Top-level key of the onEvent result. The framework merges that result into the event it passes to
     * isComplete, so an event carrying this key is an isComplete call.
     */
    public static final String STATE = "PersonalizeState";
    /** What isComplete has to do: {@link #DONE} or an action of the subclass. */
    static final String ACTION = "Action";
    /** Epoch milliseconds when onEvent started the operation: waiting is measured from there. */
    static final String STARTED_AT = "StartedAt";
    /** Nothing to wait for: isComplete answers complete without calling Personalize. */
    static final String DONE = "DONE";

    public static final String ACTIVE = "ACTIVE";
    public static final String CREATE_FAILED = "CREATE FAILED";

    static final String CREATE = "Create";
    static final String UPDATE = "Update";
    static final String DELETE = "Delete";

    protected final PersonalizeClient client;
    protected final Clock clock;
    protected final String region;
    private final Consumer<String> log;
    /** The last status logged per resource: one log line per status change. */
    private final Map<String, String> lastLoggedStatus = new ConcurrentHashMap<>();

    protected ResourceLifecycle(PersonalizeClient client, Clock clock, String region, Consumer<String> log) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.region = region;
        this.log = Objects.requireNonNull(log, "log");
    }

    /** One custom-resource event, as the Provider framework passes it. */
    protected record Request(String requestType, String physicalResourceId, String logicalResourceId,
            String requestId, String stackId, Map<String, Object> properties, Map<String, Object> oldProperties) {

        @SuppressWarnings("unchecked")
        static Request of(Map<String, Object> event) {
            Objects.requireNonNull(event, "event");
            return new Request(string(event, "RequestType"), optionalString(event, "PhysicalResourceId"),
                    optionalString(event, "LogicalResourceId"), optionalString(event, "RequestId"),
                    optionalString(event, "StackId"), (Map<String, Object>) event.get("ResourceProperties"),
                    (Map<String, Object>) event.get("OldResourceProperties"));
        }

        /** @return the physical id, which every Update and Delete carries */
        public String physicalId() {
            return Objects.requireNonNull(physicalResourceId, "PhysicalResourceId");
        }
    }

    /** What one isComplete call found. */
    protected sealed interface Progress permits Complete, Waiting {
    }

    /** Done: isComplete answers {@code IsComplete: true} with this Data (none when null, as for Delete). */
    protected record Complete(Map<String, Object> data) implements Progress {
    }

    /** Still going: isComplete answers {@code IsComplete: false} unless the wait has timed out. */
    protected record Waiting(String resource, String lastStatus) implements Progress {
    }

    // ---- onEvent

    public final Map<String, Object> onEvent(Map<String, Object> event) {
        Request request = Request.of(event);
        return switch (request.requestType()) {
            case CREATE -> onCreate(request);
            case UPDATE -> onUpdate(request);
            case DELETE -> onDelete(request);
            default -> throw unknownRequestType(request.requestType());
        };
    }

    protected abstract Map<String, Object> onCreate(Request request);

    protected abstract Map<String, Object> onUpdate(Request request);

    protected abstract Map<String, Object> onDelete(Request request);

    // ---- isComplete

    @SuppressWarnings("unchecked")
    public final Map<String, Object> isComplete(Map<String, Object> event) {
        Request request = Request.of(event);
        if (!request.requestType().equals(CREATE) && !request.requestType().equals(UPDATE)
                && !request.requestType().equals(DELETE)) {
            throw unknownRequestType(request.requestType());
        }
        Map<String, Object> state = (Map<String, Object>) event.get(STATE);
        String action = state == null || state.get(ACTION) == null ? DONE : String.valueOf(state.get(ACTION));
        if (request.requestType().equals(DELETE) && action.equals(DONE)) {
            return Map.of("IsComplete", true);
        }
        long elapsedMillis = state == null || state.get(STARTED_AT) == null ? 0
                : clock.millis() - toLong(state.get(STARTED_AT));
        Progress progress = request.requestType().equals(DELETE) ? isDeleteComplete(request, action, elapsedMillis)
                : isCreateOrUpdateComplete(request, action, elapsedMillis);
        if (progress instanceof Complete complete) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("IsComplete", true);
            if (complete.data() != null) {
                out.put("Data", complete.data());
            }
            return out;
        }
        Waiting waiting = (Waiting) progress;
        Duration timeout = timeout(request);
        if (elapsedMillis > timeout.toMillis()) {
            throw new IllegalStateException("timed out after " + elapsedMillis / 1000 + " s (timeout "
                    + timeout.toSeconds() + " s) waiting for " + waiting.resource() + "; last status "
                    + waiting.lastStatus() + ". " + timeoutAdvice());
        }
        return Map.of("IsComplete", false);
    }

    /** One poll of what a Create or Update started ({@code action}): both wait the same way. */
    protected abstract Progress isCreateOrUpdateComplete(Request request, String action, long elapsedMillis);

    protected abstract Progress isDeleteComplete(Request request, String action, long elapsedMillis);

    /** @return how long isComplete waits before it fails */
    protected abstract Duration timeout(Request request);

    /** @return what the user can do when a wait timed out */
    protected abstract String timeoutAdvice();

    // ---- results

    /**
     * The onEvent result: the physical id, the state for isComplete and (when known) Data.
     *
     * @param startedAt when the operation started, or null when there is nothing to time
     */
    protected static Map<String, Object> result(String physicalId, String action, Long startedAt,
            Map<String, Object> data) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(ACTION, Objects.requireNonNull(action, "action"));
        if (startedAt != null) {
            state.put(STARTED_AT, startedAt);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("PhysicalResourceId", Objects.requireNonNull(physicalId, "PhysicalResourceId"));
        out.put(STATE, state);
        if (data != null) {
            out.put("Data", data);
        }
        return out;
    }

    /** @return Data from alternating names and values; CloudFormation gets "" for an unknown value, never null */
    protected static Map<String, Object> data(String... namesAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            data.put(namesAndValues[i], namesAndValues[i + 1] == null ? "" : namesAndValues[i + 1]);
        }
        return data;
    }

    // ---- logging

    /**
     * Logs one JSON line when the resource's status differs from the last one logged for it.
     *
     * @param identity the fields that name the resource, e.g. {@code jobType} and {@code jobArn}
     */
    protected final void logStatus(String event, Map<String, String> identity, String status, long elapsedMillis) {
        String previous = lastLoggedStatus.put(event + identity, status);
        if (status.equals(previous)) {
            return;
        }
        StringBuilder line = new StringBuilder("{\"event\":\"").append(json(event)).append('"');
        identity.forEach((k, v) -> line.append(",\"").append(json(k)).append("\":\"").append(json(v)).append('"'));
        line.append(",\"status\":\"").append(json(status)).append("\",\"previousStatus\":")
                .append(previous == null ? "null" : "\"" + json(previous) + "\"")
                .append(",\"elapsedSeconds\":").append(elapsedMillis / 1000).append('}');
        log.accept(line.toString());
    }

    /** Logs one JSON line about something the handler did besides a status change. */
    protected final void logEvent(String event, Map<String, String> fields) {
        log.accept(jsonLine(event, fields));
    }

    /** @return one JSON line: {@code {"event":..., <fields>}} */
    static String jsonLine(String event, Map<String, String> fields) {
        StringBuilder line = new StringBuilder("{\"event\":\"").append(json(event)).append('"');
        fields.forEach((k, v) -> line.append(",\"").append(json(k)).append("\":")
                .append(v == null ? "null" : "\"" + json(v) + "\""));
        return line.append('}').toString();
    }

    private static String json(String s) {
        return Properties.escapeJson(s, new StringBuilder()).toString();
    }

    // ---- start and adopt

    /**
     * Calls Personalize's Create operation; when it answers that the resource already exists (a retried request,
     * or a resource kept from an earlier deploy), {@code adopt} decides from a Describe whether it is the one
     * asked for. Other refusals fail with Personalize's code and message.
     *
     * @param what     the resource for messages, e.g. {@code dataset import job Shop-1a2b}
     * @param notFound the error when Personalize cannot find a resource the request names
     * @return what {@code create} or {@code adopt} returned (e.g. the resource's ARN)
     */
    protected static <T> T createOrAdopt(String what, Supplier<T> create,
            Function<ResourceAlreadyExistsException, T> adopt,
            Function<ResourceNotFoundException, RuntimeException> notFound) {
        try {
            return create.get();
        } catch (ResourceAlreadyExistsException e) {
            return adopt.apply(e);
        } catch (ResourceNotFoundException e) {
            throw notFound.apply(e);
        } catch (PersonalizeException e) {
            throw rejected(what, e);
        }
    }

    /** @return the error for a call Personalize refused */
    protected static IllegalStateException rejected(String what, PersonalizeException e) {
        return new IllegalStateException("Personalize rejected " + what + ": " + errorCode(e) + ": " + message(e), e);
    }

    // ---- checks and errors

    /**
     * Fails before any call when the resource named by {@code arn} is in another region than the handler:
     * Personalize resources are regional and the handler's client works in its own region.
     */
    protected final void checkRegion(String arn, String what, String why) {
        String[] parts = arn.split(":", 6);
        String arnRegion = parts.length > 3 ? parts[3] : "";
        if (region != null && !region.isEmpty() && !arnRegion.equals(region)) {
            throw new IllegalArgumentException(what + " " + arn + " is in region " + arnRegion
                    + " but this handler runs in " + region + "; " + why);
        }
    }

    static IllegalArgumentException unknownRequestType(String requestType) {
        return new IllegalArgumentException("unknown RequestType \"" + requestType + "\"");
    }

    /** @return Personalize's error code (e.g. {@code ResourceInUseException}) */
    protected static String errorCode(PersonalizeException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }

    /** @return Personalize's error message, without the SDK's request id suffix */
    protected static String message(PersonalizeException e) {
        return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }

    /** @return the failure reason as Personalize gave it, or a note that it gave none */
    protected static String reason(String failureReason) {
        return failureReason == null ? "(Personalize gave no failureReason)" : failureReason;
    }

    static String string(Map<String, Object> event, String key) {
        Object value = Objects.requireNonNull(event, "event").get(key);
        return Objects.requireNonNull(value, key).toString();
    }

    private static String optionalString(Map<String, Object> event, String key) {
        Object value = event.get(key);
        return value == null ? null : value.toString();
    }

    private static long toLong(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }
}
