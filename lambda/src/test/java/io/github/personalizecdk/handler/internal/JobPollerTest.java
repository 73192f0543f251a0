package io.github.personalizecdk.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.personalizecdk.contract.JobWaiter;
import io.github.personalizecdk.handler.CustomResourceHandler;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.Progression;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/**
 * The poller's last step through the handler's entry point: the handler describes the job on the emulator and PUTs
 * CloudFormation's wait condition signal to a local HTTP server standing for the handle's presigned URL.
 */
class JobPollerTest {
    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/Shop/ITEMS";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PersonalizeEmulator emulator = PersonalizeEmulator.start();
    private final PersonalizeClient client = PersonalizeClient.builder().endpointOverride(emulator.endpoint())
            .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "s"))).build();
    private final List<String> log = new ArrayList<>();
    private final CustomResourceHandler handler = CustomResourceHandler.builder(client).clock(emulator.javaClock())
            .region("us-east-1").log(log::add).build();
    private final List<Map<String, Object>> received = new ArrayList<>();
    private int answer = 200;
    private final HttpServer handle = server();

    @AfterEach
    void stop() {
        handle.stop(0);
        emulator.close();
    }

    private HttpServer server() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                try (exchange) {
                    Map<String, Object> request = new LinkedHashMap<>();
                    request.put("method", exchange.getRequestMethod());
                    request.put("uri", exchange.getRequestURI().toString());
                    request.put("contentType", exchange.getRequestHeaders().getFirst("Content-Type"));
                    request.put("body", JSON.readTree(new String(exchange.getRequestBody().readAllBytes(),
                            StandardCharsets.UTF_8)));
                    received.add(request);
                    exchange.sendResponseHeaders(answer, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + handle.getAddress().getPort()
                + "/arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack%2FShop%2Fid/BulkWaitHandle"
                + "?Expires=1767225600&Signature=abc%2Bdef";
    }

    private String job(String location, Progression progression) {
        emulator.progressionForLocation(location, progression);
        return client.createDatasetImportJob(r -> r.jobName("Bulk-" + Math.abs(location.hashCode()))
                .datasetArn(DATASET).roleArn("arn:aws:iam::123456789012:role/Personalize")
                .dataSource(d -> d.dataLocation(location))).datasetImportJobArn();
    }

    private Map<String, Object> signal(String jobArn) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(JobWaiter.JOB_ARN, jobArn);
        state.put(JobWaiter.JOB_TYPE, "IMPORT");
        state.put(JobWaiter.HANDLE, url());
        state.put(JobWaiter.DEADLINE, "2026-01-01T02:57:00Z");
        state.put(JobWaiter.TIMEOUT_SECONDS, "10800");
        state.put(JobWaiter.JOB, Map.of("Status", "ACTIVE"));
        return handler.handleRequest(Map.of(JobWaiter.EVENT, state), null);
    }

    private JsonNode body() {
        assertThat(received).hasSize(1);
        Map<String, Object> request = received.get(0);
        assertThat(request.get("method")).isEqualTo("PUT");
        assertThat(request.get("uri")).isEqualTo(URI.create(url()).getRawPath() + "?"
                + URI.create(url()).getRawQuery());
        // the presigned URL is signed without a Content-Type: sending one would fail the signature
        assertThat(request.get("contentType")).isNull();
        return (JsonNode) request.get("body");
    }

    @Test
    void anActiveJobSignalsSuccessWithItsArnAndStatus() {
        String arn = job("s3://data/ok/", Progression.activeAfterPolls(1));

        Map<String, Object> answer = signal(arn);

        JsonNode body = body();
        assertThat(body.path("Status").asText()).isEqualTo("SUCCESS");
        assertThat(body.path("UniqueId").asText()).isEqualTo(arn);
        assertThat(body.path("Data").asText()).isEqualTo("ACTIVE");
        assertThat(body.path("Reason").asText()).isEqualTo("dataset import job " + arn + " is ACTIVE");
        assertThat(answer).containsEntry("Status", "SUCCESS");
        assertThat(log).anyMatch(l -> l.contains("\"event\":\"waitConditionSignalled\"") && l.contains(arn));
    }

    @Test
    void aFailedJobSignalsFailureWithItsFailureReasonBounded() {
        String reason = "Row 17 is invalid: " + "x".repeat(5_000);
        String arn = job("s3://data/bad/", Progression.failAfterPolls(1, reason));

        signal(arn);

        JsonNode body = body();
        assertThat(body.path("Status").asText()).isEqualTo("FAILURE");
        assertThat(body.path("Data").asText()).isEqualTo("CREATE FAILED");
        String sent = body.path("Reason").asText();
        assertThat(sent).startsWith("dataset import job " + arn + " failed: Row 17 is invalid: xxx")
                .contains("[... cut here: the full message has");
        assertThat(BoundedFailure.jsonBytes(sent)).isLessThanOrEqualTo(BoundedFailure.MAX_MESSAGE_BYTES);
    }

    @Test
    void aJobStillRunningAtItsDeadlineSignalsFailureNamingItsStatus() {
        String arn = job("s3://data/slow/", Progression.neverCompletes());

        signal(arn);

        JsonNode body = body();
        assertThat(body.path("Status").asText()).isEqualTo("FAILURE");
        assertThat(body.path("Reason").asText()).isEqualTo("dataset import job " + arn + " is still CREATE PENDING "
                + "at its deadline 2026-01-01T02:57:00Z (timeout 10800 s, less 180 s for this signal); the job goes "
                + "on in Personalize. Raise the timeout (at most 12 hours) and deploy again.");
    }

    @Test
    void aRefusedSignalFailsTheInvocationSoThatTheStateMachineRetries() {
        String arn = job("s3://data/ok2/", Progression.activeAfterPolls(1));
        answer = 403;

        assertThatThrownBy(() -> signal(arn)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the wait condition handle answered HTTP 403 to the signal");
    }
}
