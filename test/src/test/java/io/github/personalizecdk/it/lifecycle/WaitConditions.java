package io.github.personalizecdk.it.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code AWS::CloudFormation::WaitConditionHandle} and {@code AWS::CloudFormation::WaitCondition} as CloudFormation
 * serves them. A handle's Ref is a presigned URL, here on a local HTTP server, unique to each creation of the handle
 * (a handle created again does not see the signals of an earlier one). The server takes CloudFormation's signal, a
 * PUT of {@code {"Status", "Reason", "UniqueId", "Data"}} with no Content-Type (the URL is signed without one, so a
 * Content-Type answers 403 as S3 would). A wait condition waits until its handle has Count SUCCESS signals of
 * distinct UniqueIds (its Data attribute is then {@code {"<UniqueId>":"<Data>"}}), fails at the first FAILURE with
 * CloudFormation's message, or fails when its Timeout has passed.
 */
final class WaitConditions implements ResourceProvider, AutoCloseable {
    static final String HANDLE = "AWS::CloudFormation::WaitConditionHandle";
    static final String CONDITION = "AWS::CloudFormation::WaitCondition";
    /** How often a waiting condition looks at its handle, on the emulator's clock. */
    static final Duration CHECK = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One signal as received, with when it arrived on the emulator's clock. */
    record Signal(String url, String status, String reason, String uniqueId, String data, Instant received) {
    }

    private final CloudFormationSimulator stack;
    private final List<Signal> signals = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();
    private HttpServer server;
    private int handles;

    WaitConditions(CloudFormationSimulator stack) {
        this.stack = stack;
    }

    @Override
    public Operation create(Request r) {
        if (r.type().equals(HANDLE)) {
            return Operation.instant(() -> new Outcome(url(r.logicalId()), Map.of()));
        }
        return new Waiting(r);
    }

    /** Updates aren't supported for these types: the template gives a changed one a new logical id. */
    @Override
    public Operation update(Request r) {
        if (r.type().equals(HANDLE)) {
            return Operation.instant(() -> new Outcome(r.physicalId(), Map.of()));
        }
        throw new IllegalStateException(r.type() + " " + r.logicalId() + " changed in place; a wait condition "
                + "needs a new logical id (and handle) to wait again");
    }

    @Override
    public Operation delete(Request r) {
        return Operation.instant(() -> null);
    }

    private final class Waiting implements Operation {
        private final Request request;
        private Instant started;
        private Outcome outcome;

        Waiting(Request request) {
            this.request = request;
        }

        @Override
        public Duration step() {
            Instant now = stack.now();
            if (started == null) {
                started = now;
            }
            String url = String.valueOf(request.properties().get("Handle"));
            long count = request.properties().get("Count") == null ? 1
                    : Long.parseLong(String.valueOf(request.properties().get("Count")));
            Duration timeout = Duration.ofSeconds(Long.parseLong(String.valueOf(request.properties().get("Timeout"))));
            Map<String, String> data = new LinkedHashMap<>();
            for (Signal s : signals(url)) {
                if (s.status().equals("FAILURE")) {
                    throw new Failure("WaitCondition received failed message: '" + s.reason() + "' for uniqueId: "
                            + s.uniqueId(), null);
                }
                data.put(s.uniqueId(), s.data());
            }
            if (data.size() >= count) {
                outcome = new Outcome(arn(request.logicalId()), Map.of("Data", write(data)));
                return null;
            }
            if (!now.isBefore(started.plus(timeout))) {
                throw new Failure("WaitCondition timed out. Received " + data.size() + " conditions when expecting "
                        + count, null);
            }
            Duration left = Duration.between(now, started.plus(timeout));
            return left.compareTo(CHECK) < 0 ? left : CHECK;
        }

        @Override
        public Outcome outcome() {
            return outcome;
        }
    }

    /** @return the signals this handle URL received, in order */
    synchronized List<Signal> signals(String url) {
        return signals.stream().filter(s -> s.url().equals(url)).toList();
    }

    /** @return every signal received */
    synchronized List<Signal> signals() {
        return List.copyOf(signals);
    }

    /** @return requests refused (method, Content-Type, body), as the handle's URL would refuse them */
    synchronized List<String> refused() {
        return List.copyOf(refused);
    }

    private String arn(String logicalId) {
        return stack.stackId() + "/" + logicalId;
    }

    private synchronized String url(String logicalId) {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", this::handle);
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/"
                + stack.stackId().replace(":", "%3A").replace("/", "%2F") + "/" + logicalId + "-" + ++handles
                + "?Expires=1767225600&Signature=presigned";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + exchange.getRequestURI().toString();
            int code = 200;
            synchronized (this) {
                JsonNode signal = parse(body);
                if (!exchange.getRequestMethod().equals("PUT") || contentType != null && !contentType.isEmpty()
                        || signal == null || !signal.path("Status").asText().matches("SUCCESS|FAILURE")
                        || signal.path("UniqueId").asText().isEmpty()) {
                    code = exchange.getRequestMethod().equals("PUT") && contentType != null ? 403 : 400;
                    refused.add(exchange.getRequestMethod() + " " + contentType + " " + body);
                } else {
                    signals.add(new Signal(url, signal.path("Status").asText(), signal.path("Reason").asText(),
                            signal.path("UniqueId").asText(), signal.path("Data").asText(), stack.now()));
                }
            }
            exchange.sendResponseHeaders(code, -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.flush();
            }
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
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
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
