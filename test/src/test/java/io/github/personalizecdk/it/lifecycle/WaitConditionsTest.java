package io.github.personalizecdk.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Result;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.StackStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's wait conditions on their own: a handle and a wait condition, signalled over HTTP at a given
 * emulated time by background work, as a poller would.
 */
class WaitConditionsTest {
    private final PersonalizeEmulator emulator = PersonalizeEmulator.start();
    private final CloudFormationSimulator stack = new CloudFormationSimulator("Waits", emulator, event -> {
        throw new IllegalStateException("no custom resources here");
    }, Duration.ofSeconds(20), Duration.ofMinutes(55));
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Integer> answers = new ArrayList<>();

    @AfterEach
    void stop() {
        stack.waitConditions().close();
        emulator.close();
    }

    private static Map<String, Object> template(String handleId, String waitId, int timeoutSeconds) {
        return Map.of("Resources", Map.of(
                handleId, Map.of("Type", WaitConditions.HANDLE),
                waitId, Map.of("Type", WaitConditions.CONDITION, "Properties", Map.of(
                        "Handle", Map.of("Ref", handleId), "Timeout", String.valueOf(timeoutSeconds), "Count", 1)),
                "After", Map.of("Type", "AWS::SSM::Parameter", "Properties", Map.of("Type", "String",
                        "Value", Map.of("Fn::GetAtt", List.of(waitId, "Data"))))));
    }

    /** Signals the handle of {@code handleId} once, at {@code at}, with this body and Content-Type (or none). */
    private void signalAt(Instant at, String handleId, String body, String contentType) {
        stack.background(new CloudFormationSimulator.Background() {
            private boolean sent;

            @Override
            public Instant nextDue() {
                return sent ? null : at;
            }

            @Override
            public void runDue() {
                sent = true;
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.physicalId(handleId)))
                        .PUT(HttpRequest.BodyPublishers.ofString(body));
                if (contentType != null) {
                    request.header("Content-Type", contentType);
                }
                try {
                    answers.add(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    @Test
    void aSuccessSignalEndsTheWaitAndItsDataReachesWhatFollows() {
        signalAt(emulator.clock().now().plusSeconds(1800), "Handle1",
                "{\"Status\":\"SUCCESS\",\"Reason\":\"done\",\"UniqueId\":\"job-1\",\"Data\":\"ACTIVE\"}", null);

        Result r = stack.deploy(template("Handle1", "Wait1", 3600));

        assertThat(r.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(answers).containsExactly(200);
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(stack.resource("After").properties()).containsEntry("Value", "{\"job-1\":\"ACTIVE\"}");
        assertThat(stack.physicalId("Handle1")).startsWith("http://127.0.0.1:").contains("/Handle1-1?");
    }

    @Test
    void aFailureSignalFailsTheWaitWithCloudFormationsMessage() {
        signalAt(emulator.clock().now().plusSeconds(60), "Handle1",
                "{\"Status\":\"FAILURE\",\"Reason\":\"job failed: bad row\",\"UniqueId\":\"job-1\",\"Data\":\"x\"}",
                null);

        Result r = stack.deploy(template("Handle1", "Wait1", 3600));

        assertThat(r.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(r.failedResource()).isEqualTo("Wait1");
        assertThat(r.reason()).isEqualTo("WaitCondition received failed message: 'job failed: bad row' for uniqueId: "
                + "job-1");
    }

    @Test
    void noSignalTimesOutAndASignalWithAContentTypeIsRefusedAsThePresignedUrlWould() {
        signalAt(emulator.clock().now().plusSeconds(60), "Handle1",
                "{\"Status\":\"SUCCESS\",\"Reason\":\"done\",\"UniqueId\":\"job-1\",\"Data\":\"ACTIVE\"}",
                "application/json");

        Result r = stack.deploy(template("Handle1", "Wait1", 600));

        assertThat(answers).containsExactly(403);
        assertThat(r.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(r.reason()).isEqualTo("WaitCondition timed out. Received 0 conditions when expecting 1");
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void aHandleCreatedAgainHasANewUrlThatOldSignalsDoNotReach() {
        signalAt(emulator.clock().now().plusSeconds(60), "Handle1",
                "{\"Status\":\"SUCCESS\",\"Reason\":\"done\",\"UniqueId\":\"job-1\",\"Data\":\"ACTIVE\"}", null);
        stack.deploy(template("Handle1", "Wait1", 600));
        String first = stack.physicalId("Handle1");
        stack.destroy();

        Result again = stack.deploy(template("Handle1", "Wait1", 600));

        assertThat(again.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(again.reason()).startsWith("WaitCondition timed out");
        assertThat(stack.waitConditions().signals(first)).hasSize(1);
        assertThat(again.events()).filteredOn(e -> e.logicalId().equals("Handle1") && e.phase().equals("DEPLOY"))
                .extracting(CloudFormationSimulator.Event::physicalId).singleElement().isNotEqualTo(first);
    }
}
