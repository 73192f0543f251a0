package io.github.personalizecdk.handler.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.RecordedRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/**
 * A Personalize emulator with the real SDK client pointed at it (endpoint override, standard retries) and a
 * clock that reads the emulator's time, as the handler tests use them.
 */
public final class EmulatedPersonalize implements AutoCloseable {
    public static final String REGION = "us-east-1";

    private final PersonalizeEmulator emulator = PersonalizeEmulator.start();
    private final PersonalizeClient client = PersonalizeClient.builder()
            .endpointOverride(emulator.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
            .build();
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return emulator.clock().now();
        }
    };

    public PersonalizeEmulator emulator() {
        return emulator;
    }

    public PersonalizeClient client() {
        return client;
    }

    /** @return a clock that reads the emulated time */
    public Clock clock() {
        return clock;
    }

    /** @return the body of the last request of this operation */
    public JsonNode lastBody(String operation) {
        List<RecordedRequest> matching = emulator.requests().stream()
                .filter(r -> r.operation().equals(operation)).toList();
        return matching.get(matching.size() - 1).body();
    }

    /** @return the operations the emulator received, in order */
    public List<String> operations() {
        return emulator.requests().stream().map(RecordedRequest::operation).toList();
    }

    /** What the Provider framework hands isComplete: the request merged with onEvent's result. */
    public static Map<String, Object> forIsComplete(Map<String, Object> request, Map<String, Object> onEventResult) {
        Map<String, Object> e = new HashMap<>(request);
        e.putAll(onEventResult);
        return e;
    }

    @Override
    public void close() {
        client.close();
        emulator.close();
    }
}
