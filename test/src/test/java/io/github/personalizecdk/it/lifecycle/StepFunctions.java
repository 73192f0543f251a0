package io.github.personalizecdk.it.lifecycle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * AWS Step Functions for the simulated stack: StartExecution, StopExecution and DescribeExecution over the service's
 * JSON protocol (a local HTTP server, so the handler's real SDK client calls it), and an interpreter that runs each
 * execution of a Standard state machine on the emulator's clock from the definition the stack deployed
 * ({@code AWS::StepFunctions::StateMachine} DefinitionString with its DefinitionSubstitutions), as read at
 * StartExecution. What the interpreter knows of the Amazon States Language: Wait (Seconds), Choice (StringEquals,
 * TimestampGreaterThanEqualsPath, Or, Default; variables in the input or {@code $$.State.EnteredTime}), Task with
 * {@code arn:aws:states:::aws-sdk:personalize:<action>} (called on the Personalize emulator, the answer's field names
 * capitalized as the SDK integration does) and {@code arn:aws:states:::lambda:invoke} (the stack's handler, JSON in
 * and out), Parameters and ResultSelector with {@code .$} paths, ResultPath, Retry (IntervalSeconds, MaxAttempts,
 * BackoffRate), Catch, End, and the definition's TimeoutSeconds. Paths are dotted ({@code $.a.b}). Tasks take no
 * time; names of executions are unique per state machine (a second StartExecution of a name answers
 * ExecutionAlreadyExists).
 */
final class StepFunctions implements CloudFormationSimulator.Background, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One execution and what it did. */
    static final class Execution {
        final String arn;
        final String stateMachineArn;
        final Instant started;
        final Map<String, Object> definition;
        String status = "RUNNING";
        String state;
        Instant due;
        Instant stopped;
        Map<String, Object> data;
        int retries;
        /** States entered: what Step Functions bills for a Standard workflow. */
        int transitions;
        String failure;
        /** Personalize calls, with when each was made. */
        final List<Instant> describes = new ArrayList<>();
        /** Handler invocations, with when each was made. */
        final List<Instant> invocations = new ArrayList<>();

        Execution(String arn, String stateMachineArn, Instant started, Map<String, Object> definition,
                Map<String, Object> input) {
            this.arn = arn;
            this.stateMachineArn = stateMachineArn;
            this.started = started;
            this.definition = definition;
            this.data = input;
            this.state = (String) definition.get("StartAt");
            this.due = started;
        }

        String status() {
            return status;
        }

        String arn() {
            return arn;
        }

        @Override
        public String toString() {
            return arn + " " + status + (failure == null ? "" : " (" + failure + ")");
        }
    }

    private final CloudFormationSimulator stack;
    private final URI personalize;
    private final UnaryOperator<Map<String, Object>> function;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Execution> executions = new LinkedHashMap<>();
    private final HttpServer server;
    /** What a signed caller may do, by IAM action and ARN; null: anything. */
    private io.github.personalizecdk.handler.emulator.Permissions permissions;

    /**
     * @param personalize the Personalize emulator's endpoint
     * @param function    the stack's handler, which {@code lambda:invoke} calls
     */
    StepFunctions(CloudFormationSimulator stack, URI personalize, UnaryOperator<Map<String, Object>> function) {
        this.stack = stack;
        this.personalize = personalize;
        this.function = function;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Authorizes StartExecution and StopExecution as IAM would, with these permissions of the caller. */
    StepFunctions permissions(io.github.personalizecdk.handler.emulator.Permissions allowed) {
        this.permissions = allowed;
        return this;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @return every execution started so far, in order */
    synchronized List<Execution> executions() {
        return List.copyOf(executions.values());
    }

    /** @return the executions still running */
    synchronized List<Execution> running() {
        return executions.values().stream().filter(e -> e.status.equals("RUNNING")).toList();
    }

    // ---- the API

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Map<String, Object> body = parse(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            int code = 200;
            Map<String, Object> answer;
            try {
                authorize(target, body);
                answer = switch (target == null ? "" : target) {
                    case "AWSStepFunctions.StartExecution" -> start(body);
                    case "AWSStepFunctions.StopExecution" -> stop(body);
                    case "AWSStepFunctions.DescribeExecution" -> describe(body);
                    default -> throw new ApiError("UnknownOperationException", "unknown operation " + target);
                };
            } catch (ApiError e) {
                code = 400;
                answer = Map.of("__type", e.type, "message", e.getMessage());
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void authorize(String target, Map<String, Object> body) {
        if (permissions == null || target == null) {
            return;
        }
        String action = "states:" + target.substring(target.indexOf('.') + 1);
        String resource = String.valueOf(body.containsKey("stateMachineArn") ? body.get("stateMachineArn")
                : body.get("executionArn"));
        if (!permissions.allows(action, resource)) {
            throw new ApiError("AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/handler is not "
                    + "authorized to perform: " + action + " on resource: " + resource);
        }
    }

    @SuppressWarnings("unchecked")
    private synchronized Map<String, Object> start(Map<String, Object> body) {
        String machine = (String) body.get("stateMachineArn");
        String name = (String) body.get("name");
        StackResource resource = stack.resources().values().stream()
                .filter(r -> r.type().equals("AWS::StepFunctions::StateMachine") && machine.equals(r.physicalId()))
                .findFirst().orElseThrow(() -> new ApiError("StateMachineDoesNotExist",
                        "State Machine Does Not Exist: '" + machine + "'"));
        String arn = machine.replace(":stateMachine:", ":execution:") + ":" + name;
        Map<String, Object> input = parse((String) body.getOrDefault("input", "{}"));
        Execution existing = executions.get(arn);
        if (existing != null) {
            if (existing.status.equals("RUNNING") && existing.data.equals(input)) {
                return Map.of("executionArn", arn, "startDate", epoch(existing.started));
            }
            throw new ApiError("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
        }
        String definition = String.valueOf(resource.properties().get("DefinitionString"));
        Object substitutions = resource.properties().get("DefinitionSubstitutions");
        if (substitutions instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                definition = definition.replace("${" + e.getKey() + "}", String.valueOf(e.getValue()));
            }
        }
        Execution execution = new Execution(arn, machine, stack.now(), parse(definition), input);
        executions.put(arn, execution);
        return Map.of("executionArn", arn, "startDate", epoch(execution.started));
    }

    private synchronized Map<String, Object> stop(Map<String, Object> body) {
        Execution e = executions.get((String) body.get("executionArn"));
        if (e == null) {
            throw new ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + body.get("executionArn") + "'");
        }
        if (e.status.equals("RUNNING")) {
            e.status = "ABORTED";
            e.stopped = stack.now();
            e.failure = String.valueOf(body.get("cause"));
        }
        return Map.of("stopDate", epoch(stack.now()));
    }

    private synchronized Map<String, Object> describe(Map<String, Object> body) {
        Execution e = executions.get((String) body.get("executionArn"));
        if (e == null) {
            throw new ApiError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + body.get("executionArn") + "'");
        }
        return Map.of("executionArn", e.arn, "stateMachineArn", e.stateMachineArn, "status", e.status,
                "startDate", epoch(e.started));
    }

    // ---- the interpreter

    @Override
    public synchronized Instant nextDue() {
        return running().stream().map(e -> e.due).min(Comparator.naturalOrder()).orElse(null);
    }

    /** Runs every execution due now, each until it waits or ends. */
    @Override
    public void runDue() {
        List<Execution> due;
        synchronized (this) {
            Instant now = stack.now();
            due = running().stream().filter(e -> !e.due.isAfter(now)).toList();
        }
        for (Execution e : due) {
            run(e);
        }
    }

    @SuppressWarnings("unchecked")
    private void run(Execution e) {
        Object timeout = e.definition.get("TimeoutSeconds");
        while (e.status.equals("RUNNING")) {
            Instant now = stack.now();
            if (timeout != null && !now.isBefore(e.started.plusSeconds(((Number) timeout).longValue()))) {
                e.status = "TIMED_OUT";
                e.stopped = now;
                return;
            }
            Map<String, Object> state = ((Map<String, Map<String, Object>>) e.definition.get("States")).get(e.state);
            String type = (String) state.get("Type");
            if (e.retries == 0) {
                e.transitions++;
            }
            Instant entered = now;
            switch (type) {
                case "Wait" -> {
                    e.due = now.plusSeconds(((Number) state.get("Seconds")).longValue());
                    e.state = (String) state.get("Next");
                    return;
                }
                case "Choice" -> {
                    try {
                        e.state = choose(state, e.data, entered);
                    } catch (TaskError error) {
                        e.status = "FAILED";
                        e.failure = error.error + ": " + error.getMessage();
                        e.stopped = now;
                        return;
                    }
                }
                case "Task" -> {
                    Object result;
                    try {
                        result = task(e, state);
                    } catch (TaskError error) {
                        Duration retry = retry(e, state, error);
                        if (retry != null) {
                            e.due = now.plus(retry);
                            return;
                        }
                        Map<String, Object> caught = catcher(state, error);
                        if (caught == null) {
                            e.status = "FAILED";
                            e.failure = error.error + ": " + error.getMessage();
                            e.stopped = now;
                            return;
                        }
                        e.retries = 0;
                        e.data = resultPath(e.data, (String) caught.get("ResultPath"),
                                Map.of("Error", error.error, "Cause", String.valueOf(error.getMessage())));
                        e.state = (String) caught.get("Next");
                        continue;
                    }
                    e.retries = 0;
                    if (state.get("ResultSelector") instanceof Map<?, ?> selector) {
                        result = parameters((Map<String, Object>) selector, result);
                    }
                    e.data = resultPath(e.data, (String) state.get("ResultPath"), result);
                    if (Boolean.TRUE.equals(state.get("End"))) {
                        e.status = "SUCCEEDED";
                        e.stopped = now;
                        return;
                    }
                    e.state = (String) state.get("Next");
                }
                default -> throw new IllegalStateException("state type " + type + " is not interpreted");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private String choose(Map<String, Object> state, Map<String, Object> data, Instant entered) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) state.get("Choices")) {
            if (matches(rule, data, entered)) {
                return (String) rule.get("Next");
            }
        }
        String fallback = (String) state.get("Default");
        if (fallback == null) {
            throw new IllegalStateException("States.NoChoiceMatched");
        }
        return fallback;
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> rule, Map<String, Object> data, Instant entered) {
        if (rule.get("Or") instanceof List<?> any) {
            return any.stream().anyMatch(r -> matches((Map<String, Object>) r, data, entered));
        }
        String variable = (String) rule.get("Variable");
        Object value = variable.equals("$$.State.EnteredTime") ? entered.toString() : path(data, variable);
        if (rule.containsKey("StringEquals")) {
            return rule.get("StringEquals").equals(value);
        }
        if (rule.containsKey("TimestampGreaterThanEqualsPath")) {
            Object other = path(data, (String) rule.get("TimestampGreaterThanEqualsPath"));
            return value != null && other != null
                    && !Instant.parse(String.valueOf(value)).isBefore(Instant.parse(String.valueOf(other)));
        }
        throw new IllegalStateException("choice rule not interpreted: " + rule);
    }

    @SuppressWarnings("unchecked")
    private Object task(Execution e, Map<String, Object> state) {
        String resource = (String) state.get("Resource");
        Map<String, Object> parameters = (Map<String, Object>) parameters(
                (Map<String, Object>) state.getOrDefault("Parameters", Map.of()), e.data);
        if (resource.matches("arn:aws:states:::aws-sdk:personalize:[a-zA-Z]+")) {
            String action = resource.substring(resource.lastIndexOf(':') + 1);
            e.describes.add(stack.now());
            return personalize(Character.toUpperCase(action.charAt(0)) + action.substring(1), parameters);
        }
        if (resource.equals("arn:aws:states:::lambda:invoke")) {
            e.invocations.add(stack.now());
            try {
                Map<String, Object> payload = parse(write(parameters.get("Payload")));
                Map<String, Object> answer = function.apply(payload);
                return Map.of("StatusCode", 200, "Payload", answer == null ? Map.of() : parse(write(answer)));
            } catch (RuntimeException error) {
                throw new TaskError("Lambda.Unknown", String.valueOf(error.getMessage()));
            }
        }
        throw new IllegalStateException("task resource not interpreted: " + resource);
    }

    /** The SDK integration: Personalize's JSON protocol, parameter names uncapitalized, answer names capitalized. */
    private Object personalize(String operation, Map<String, Object> parameters) {
        Map<String, Object> request = new LinkedHashMap<>();
        parameters.forEach((k, v) -> request.put(Character.toLowerCase(k.charAt(0)) + k.substring(1), v));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(personalize)
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "AmazonPersonalize." + operation)
                    .POST(HttpRequest.BodyPublishers.ofString(write(request))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException error) {
            throw new TaskError("States.TaskFailed", error.toString());
        }
        Map<String, Object> answer = parse(response.body());
        if (response.statusCode() != 200) {
            throw new TaskError("Personalize." + answer.getOrDefault("__type", "HTTP" + response.statusCode()),
                    String.valueOf(answer.get("message")));
        }
        return capitalized(answer);
    }

    @SuppressWarnings("unchecked")
    private static Object capitalized(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(
                    k.isEmpty() ? k : Character.toUpperCase(k.charAt(0)) + k.substring(1), capitalized(v)));
            return out;
        }
        return value instanceof List<?> list ? list.stream().map(StepFunctions::capitalized).toList() : value;
    }

    @SuppressWarnings("unchecked")
    private static Duration retry(Execution e, Map<String, Object> state, TaskError error) {
        for (Map<String, Object> retrier : (List<Map<String, Object>>) state.getOrDefault("Retry", List.of())) {
            if (handles(retrier, error)) {
                int max = ((Number) retrier.getOrDefault("MaxAttempts", 3)).intValue();
                if (e.retries >= max) {
                    return null;
                }
                double interval = ((Number) retrier.getOrDefault("IntervalSeconds", 1)).doubleValue()
                        * Math.pow(((Number) retrier.getOrDefault("BackoffRate", 2.0)).doubleValue(), e.retries);
                e.retries++;
                return Duration.ofMillis((long) (interval * 1000));
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> catcher(Map<String, Object> state, TaskError error) {
        for (Map<String, Object> c : (List<Map<String, Object>>) state.getOrDefault("Catch", List.of())) {
            if (handles(c, error)) {
                return c;
            }
        }
        return null;
    }

    private static boolean handles(Map<String, Object> rule, TaskError error) {
        List<?> errors = (List<?>) rule.get("ErrorEquals");
        return errors.contains("States.ALL") || errors.contains(error.error)
                || errors.contains("States.TaskFailed") && !error.error.startsWith("States.");
    }

    /** Parameters or ResultSelector: keys ending in {@code .$} take the value at a path of {@code data}. */
    @SuppressWarnings("unchecked")
    private static Object parameters(Map<String, Object> template, Object data) {
        Map<String, Object> out = new LinkedHashMap<>();
        template.forEach((k, v) -> {
            if (k.endsWith(".$")) {
                out.put(k.substring(0, k.length() - 2), path(data, (String) v));
            } else {
                out.put(k, v instanceof Map<?, ?> nested ? parameters((Map<String, Object>) nested, data) : v);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object path(Object data, String path) {
        if (path.equals("$")) {
            return data;
        }
        if (!path.startsWith("$.")) {
            throw new IllegalStateException("path not interpreted: " + path);
        }
        Object current = data;
        for (String part : path.substring(2).split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                throw new TaskError("States.Runtime", "path " + path + " not found");
            }
            current = ((Map<String, Object>) map).get(part);
        }
        return current;
    }

    private static Map<String, Object> resultPath(Map<String, Object> data, String path, Object result) {
        if (path == null || path.equals("$")) {
            return result instanceof Map<?, ?> ? parse(write(result)) : data;
        }
        Map<String, Object> out = new LinkedHashMap<>(data);
        out.put(path.substring(2), result);
        return out;
    }

    private static double epoch(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** An error a task answered with: its States error name and cause. */
    private static final class TaskError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String error;

        TaskError(String error, String cause) {
            super(cause, null, false, false);
            this.error = error;
        }
    }

    private static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String type;

        ApiError(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }
    }
}
