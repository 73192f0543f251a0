package io.github.personalizecdk.handler.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClientBuilder;
import software.amazon.awssdk.services.personalize.model.DatasetExportJob;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.DatasetImportJobSummary;
import software.amazon.awssdk.services.personalize.model.ImportMode;
import software.amazon.awssdk.services.personalize.model.IngestionMode;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.InvalidNextTokenException;
import software.amazon.awssdk.services.personalize.model.ListDatasetImportJobsResponse;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.Tag;

class PersonalizeEmulatorTest {

    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";
    private static final String OTHER_DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS";
    private static final String ROLE = "arn:aws:iam::123456789012:role/PersonalizeS3Access";
    private static final String DATA = "s3://bucket/interactions.csv";
    private static final String KMS = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private PersonalizeEmulator emulator;
    private PersonalizeClient client;

    @BeforeEach
    void start() {
        emulator = PersonalizeEmulator.start();
        client = clientBuilder().build();
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private PersonalizeClientBuilder clientBuilder() {
        return PersonalizeClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create());
    }

    private String createImport(String name) {
        return createImport(name, DATASET);
    }

    private String createImport(String name, String datasetArn) {
        return client.createDatasetImportJob(b -> b.jobName(name).datasetArn(datasetArn).roleArn(ROLE)
                .dataSource(d -> d.dataLocation(DATA))).datasetImportJobArn();
    }

    private DatasetImportJob describeImport(String arn) {
        return client.describeDatasetImportJob(b -> b.datasetImportJobArn(arn)).datasetImportJob();
    }

    private DatasetExportJob describeExport(String arn) {
        return client.describeDatasetExportJob(b -> b.datasetExportJobArn(arn)).datasetExportJob();
    }

    @Test
    void importJobProgressesThroughStatusesOnePollAtATime() {
        emulator.progression("import-1", Progression.activeAfterPolls(3));

        String arn = client.createDatasetImportJob(b -> b.jobName("import-1").datasetArn(DATASET).roleArn(ROLE)
                .dataSource(d -> d.dataLocation(DATA))
                .importMode(ImportMode.INCREMENTAL)
                .publishAttributionMetricsToS3(true)
                .tags(Tag.builder().tagKey("team").tagValue("recs").build())).datasetImportJobArn();

        assertThat(arn).isEqualTo("arn:aws:personalize:us-east-1:123456789012:dataset-import-job/import-1");
        DatasetImportJob first = describeImport(arn);
        assertThat(first.status()).isEqualTo("CREATE PENDING");
        assertThat(first.jobName()).isEqualTo("import-1");
        assertThat(first.datasetImportJobArn()).isEqualTo(arn);
        assertThat(first.datasetArn()).isEqualTo(DATASET);
        assertThat(first.dataSource().dataLocation()).isEqualTo(DATA);
        assertThat(first.roleArn()).isEqualTo(ROLE);
        assertThat(first.importMode()).isEqualTo(ImportMode.INCREMENTAL);
        assertThat(first.publishAttributionMetricsToS3()).isTrue();
        assertThat(first.creationDateTime()).isEqualTo(EmulatorClock.START);
        assertThat(first.lastUpdatedDateTime()).isEqualTo(EmulatorClock.START);
        assertThat(first.failureReason()).isNull();

        DatasetImportJob second = describeImport(arn);
        assertThat(second.status()).isEqualTo("CREATE IN_PROGRESS");
        assertThat(second.lastUpdatedDateTime()).isAfter(first.lastUpdatedDateTime());

        DatasetImportJob third = describeImport(arn);
        assertThat(third.status()).isEqualTo("ACTIVE");
        assertThat(third.lastUpdatedDateTime()).isAfter(second.lastUpdatedDateTime());
        assertThat(describeImport(arn).lastUpdatedDateTime()).isEqualTo(third.lastUpdatedDateTime());
        assertThat(emulator.count("DescribeDatasetImportJob")).isEqualTo(4);
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(1);
    }

    @Test
    void defaultProgressionIsActiveAfterTwoPollsAndCanBeReplaced() {
        String quick = createImport("quick");
        emulator.defaultProgression(Progression.neverCompletes());
        String stuck = createImport("stuck");

        assertThat(describeImport(quick).status()).isEqualTo("CREATE PENDING");
        assertThat(describeImport(quick).status()).isEqualTo("ACTIVE");
        assertThat(IntStream.range(0, 5).mapToObj(i -> describeImport(stuck).status()))
                .containsExactly("CREATE PENDING", "CREATE IN_PROGRESS", "CREATE IN_PROGRESS",
                        "CREATE IN_PROGRESS", "CREATE IN_PROGRESS");
    }

    @Test
    void failedJobReportsItsFailureReason() {
        emulator.progression("broken", Progression.failAfterPolls(2, "Input CSV has no USER_ID column"));
        String arn = createImport("broken");

        DatasetImportJob pending = describeImport(arn);
        DatasetImportJob failed = describeImport(arn);

        assertThat(pending.status()).isEqualTo("CREATE PENDING");
        assertThat(pending.failureReason()).isNull();
        assertThat(failed.status()).isEqualTo("CREATE FAILED");
        assertThat(failed.failureReason()).isEqualTo("Input CSV has no USER_ID column");
        assertThat(describeImport(arn).status()).isEqualTo("CREATE FAILED");
    }

    @Test
    void duplicateNameIsRejectedPerJobKind() {
        createImport("nightly");

        assertThatThrownBy(() -> createImport("nightly", OTHER_DATASET))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("Dataset import job nightly already exists")
                .satisfies(e -> assertThat(((PersonalizeException) e).statusCode()).isEqualTo(400));

        // export jobs have their own namespace
        String exportArn = client.createDatasetExportJob(b -> b.jobName("nightly").datasetArn(DATASET).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/out/")))).datasetExportJobArn();
        assertThat(exportArn).endsWith(":dataset-export-job/nightly");
        assertThatThrownBy(() -> client.createDatasetExportJob(b -> b.jobName("nightly").datasetArn(DATASET)
                .roleArn(ROLE).jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/out/")))))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("Dataset export job nightly already exists");
    }

    @Test
    void missingDatasetIsNotFound() {
        emulator.missingDataset(OTHER_DATASET);

        assertThatThrownBy(() -> createImport("orphan", OTHER_DATASET))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Could not find resource: " + OTHER_DATASET);
        assertThatThrownBy(() -> client.createDatasetExportJob(b -> b.jobName("orphan").datasetArn(OTHER_DATASET)
                .roleArn(ROLE).jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/out/")))))
                .isInstanceOf(ResourceNotFoundException.class);
        // nothing was created, so the name is still free for another dataset
        assertThat(createImport("orphan")).endsWith("/orphan");
    }

    @Test
    void sdkRetriesThrottlingWithItsDefaultStrategy() {
        emulator.throttleNext(2);

        String arn = createImport("retried");

        assertThat(arn).endsWith("/retried");
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(3);
        assertThat(emulator.requests()).extracting(RecordedRequest::responseStatus).containsExactly(400, 400, 200);
        assertThat(emulator.requests().get(0).body().path("jobName").asText()).isEqualTo("retried");
    }

    @Test
    void sdkRetriesServerErrorsWithItsDefaultStrategy() {
        emulator.serverErrorNext(1);

        assertThat(describeImport(createImport("after-500")).status()).isEqualTo("CREATE PENDING");
        assertThat(emulator.requests()).extracting(RecordedRequest::operation, RecordedRequest::responseStatus)
                .containsExactly(
                        tuple("CreateDatasetImportJob", 500),
                        tuple("CreateDatasetImportJob", 200),
                        tuple("DescribeDatasetImportJob", 200));
    }

    @Test
    void throttlingSurfacesAsThrottlingErrorWithoutRetries() {
        try (PersonalizeClient noRetry = clientBuilder()
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build()) {
            emulator.throttleNext(1);

            assertThatThrownBy(() -> noRetry.listDatasetImportJobs(b -> b.datasetArn(DATASET)))
                    .isInstanceOfSatisfying(PersonalizeException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                        assertThat(e.isThrottlingException()).isTrue();
                    });
            assertThat(noRetry.listDatasetImportJobs(b -> b.datasetArn(DATASET)).datasetImportJobs()).isEmpty();
        }
    }

    @Test
    void exportJobRoundTripsItsOutputAndKmsKey() {
        emulator.progression("export-1", Progression.activeAfterPolls(1));

        String arn = client.createDatasetExportJob(b -> b.jobName("export-1").datasetArn(DATASET).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/export/").kmsKeyArn(KMS))))
                .datasetExportJobArn();

        assertThat(arn).isEqualTo("arn:aws:personalize:us-east-1:123456789012:dataset-export-job/export-1");
        DatasetExportJob job = describeExport(arn);
        assertThat(job.status()).isEqualTo("ACTIVE");
        assertThat(job.jobName()).isEqualTo("export-1");
        assertThat(job.datasetExportJobArn()).isEqualTo(arn);
        assertThat(job.datasetArn()).isEqualTo(DATASET);
        assertThat(job.roleArn()).isEqualTo(ROLE);
        assertThat(job.ingestionMode()).isEqualTo(IngestionMode.PUT);
        assertThat(job.jobOutput().s3DataDestination().path()).isEqualTo("s3://bucket/export/");
        assertThat(job.jobOutput().s3DataDestination().kmsKeyArn()).isEqualTo(KMS);
        assertThat(job.creationDateTime()).isEqualTo(EmulatorClock.START);

        String bulk = client.createDatasetExportJob(b -> b.jobName("export-2").datasetArn(DATASET).roleArn(ROLE)
                .ingestionMode(IngestionMode.BULK)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/export/")))).datasetExportJobArn();
        DatasetExportJob second = describeExport(bulk);
        assertThat(second.ingestionMode()).isEqualTo(IngestionMode.BULK);
        assertThat(second.jobOutput().s3DataDestination().kmsKeyArn()).isNull();
        assertThat(client.listDatasetExportJobs(b -> b.datasetArn(DATASET)).datasetExportJobs())
                .extracting(s -> s.jobName() + "=" + s.status())
                .containsExactly("export-1=ACTIVE", "export-2=CREATE PENDING");
    }

    @Test
    void listPaginatesAndDoesNotCountAsPoll() {
        String first = createImport("job-a");
        createImport("job-b");
        createImport("job-c");
        createImport("job-other", OTHER_DATASET);
        emulator.resetRequests();

        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            ListDatasetImportJobsResponse page = client.listDatasetImportJobs(
                    b -> b.datasetArn(DATASET).maxResults(1).nextToken(current));
            assertThat(page.datasetImportJobs()).hasSize(1);
            page.datasetImportJobs().forEach(s -> names.add(s.jobName()));
            token = page.nextToken();
            pages++;
        } while (token != null);

        assertThat(names).containsExactly("job-a", "job-b", "job-c");
        assertThat(pages).isEqualTo(3);
        assertThat(emulator.count("ListDatasetImportJobs")).isEqualTo(3);
        assertThat(emulator.requests().get(1).body().path("nextToken").isTextual()).isTrue();

        List<DatasetImportJobSummary> all = client.listDatasetImportJobsPaginator(b -> b.maxResults(1))
                .datasetImportJobs().stream().toList();
        assertThat(all).extracting(DatasetImportJobSummary::jobName)
                .containsExactly("job-a", "job-b", "job-c", "job-other");
        assertThat(all.get(0).datasetImportJobArn()).isEqualTo(first);
        assertThat(all.get(0).importMode()).isEqualTo(ImportMode.FULL);
        assertThat(all.get(0).creationDateTime()).isEqualTo(EmulatorClock.START);
        assertThat(all).extracting(DatasetImportJobSummary::status).containsOnly("CREATE PENDING");

        // listing was no poll: the first Describe is still #1 of activeAfterPolls(2)
        assertThat(describeImport(first).status()).isEqualTo("CREATE PENDING");
        assertThat(client.listDatasetImportJobs(b -> b.datasetArn(OTHER_DATASET)).nextToken()).isNull();
        assertThatThrownBy(() -> client.listDatasetImportJobs(b -> b.nextToken("bogus")))
                .isInstanceOf(InvalidNextTokenException.class);
    }

    @Test
    void clockDrivenProgressionIgnoresPolls() {
        emulator.progression("timed", Progression.activeAfter(Duration.ofMinutes(10)));
        String arn = createImport("timed");

        for (int i = 0; i < 5; i++) {
            assertThat(describeImport(arn).status()).isEqualTo("CREATE PENDING");
        }
        emulator.clock().advance(Duration.ofMinutes(1));
        DatasetImportJob running = describeImport(arn);
        assertThat(running.status()).isEqualTo("CREATE IN_PROGRESS");
        assertThat(running.lastUpdatedDateTime()).isEqualTo(EmulatorClock.START.plus(Duration.ofMinutes(1)));

        emulator.clock().advance(Duration.ofMinutes(8).plusSeconds(59));
        assertThat(describeImport(arn).status()).isEqualTo("CREATE IN_PROGRESS");
        emulator.clock().advance(Duration.ofMinutes(5));
        DatasetImportJob done = describeImport(arn);
        assertThat(done.status()).isEqualTo("ACTIVE");
        assertThat(done.lastUpdatedDateTime()).isEqualTo(EmulatorClock.START.plus(Duration.ofMinutes(10)));
        assertThat(done.creationDateTime()).isEqualTo(EmulatorClock.START);
    }

    @Test
    void unknownArnIsNotFound() {
        String unknownImport = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/nope";
        String unknownExport = "arn:aws:personalize:us-east-1:123456789012:dataset-export-job/nope";

        assertThatThrownBy(() -> describeImport(unknownImport))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Could not find resource: " + unknownImport);
        assertThatThrownBy(() -> describeExport(unknownExport)).isInstanceOf(ResourceNotFoundException.class);
        // an import job's ARN is no export job
        String importArn = createImport("kind-check");
        assertThatThrownBy(() -> describeExport(importArn)).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void existingJobBlocksItsNameAndDescribesItsStoredFields() {
        emulator.existingImportJob("legacy", DATASET, "s3://bucket/legacy.csv", "ACTIVE");
        emulator.existingExportJob("legacy-export", DATASET, "s3://bucket/legacy-out/", "CREATE FAILED");

        assertThatThrownBy(() -> createImport("legacy")).isInstanceOf(ResourceAlreadyExistsException.class);

        String arn = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/legacy";
        DatasetImportJob job = describeImport(arn);
        assertThat(job.jobName()).isEqualTo("legacy");
        assertThat(job.datasetImportJobArn()).isEqualTo(arn);
        assertThat(job.datasetArn()).isEqualTo(DATASET);
        assertThat(job.dataSource().dataLocation()).isEqualTo("s3://bucket/legacy.csv");
        assertThat(job.status()).isEqualTo("ACTIVE");
        assertThat(describeImport(arn).status()).isEqualTo("ACTIVE");

        DatasetExportJob export = describeExport(
                "arn:aws:personalize:us-east-1:123456789012:dataset-export-job/legacy-export");
        assertThat(export.status()).isEqualTo("CREATE FAILED");
        assertThat(export.failureReason()).isNotBlank();
        assertThat(export.jobOutput().s3DataDestination().path()).isEqualTo("s3://bucket/legacy-out/");
    }

    @Test
    void existingJobInProgressFollowsItsOwnProgressionForward() {
        emulator.existingImportJob("running", DATASET, DATA, "CREATE IN_PROGRESS");
        String arn = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/running";
        assertThat(describeImport(arn).status()).isEqualTo("CREATE IN_PROGRESS");

        emulator.progression("running", Progression.activeAfterPolls(3));
        assertThat(describeImport(arn).status()).isEqualTo("CREATE IN_PROGRESS");
        assertThat(describeImport(arn).status()).isEqualTo("ACTIVE");
    }

    @Test
    void invalidInputIsRejected() {
        assertThatThrownBy(() -> client.createDatasetImportJob(b -> b.jobName("no-role").datasetArn(DATASET)
                .dataSource(d -> d.dataLocation(DATA))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'roleArn'");
        assertThatThrownBy(() -> createImport("-starts-with-dash")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> createImport("has space")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> createImport("x".repeat(64))).isInstanceOf(InvalidInputException.class);
        assertThat(createImport("x".repeat(63))).endsWith("/" + "x".repeat(63));
        assertThatThrownBy(() -> createImport("bad-dataset", "dataset/shop"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> client.createDatasetExportJob(b -> b.jobName("no-output").datasetArn(DATASET)
                .roleArn(ROLE))).isInstanceOf(InvalidInputException.class);
        assertThat(emulator.requests()).extracting(RecordedRequest::responseStatus)
                .containsExactly(400, 400, 400, 400, 200, 400, 400);
    }

    @Test
    void wireFormatMatchesAwsJson11() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper mapper = new ObjectMapper();
        String arn = createImport("wire");

        HttpResponse<String> described = http.send(raw("DescribeDatasetImportJob",
                "{\"datasetImportJobArn\":\"" + arn + "\"}"), HttpResponse.BodyHandlers.ofString());
        assertThat(described.statusCode()).isEqualTo(200);
        assertThat(described.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(described.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(described.body()).contains("\"creationDateTime\":1767225600.0")
                .contains("\"status\":\"CREATE PENDING\"");

        HttpResponse<String> unknown = http.send(raw("DeleteEverything", "{}"), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(unknown.body()).path("__type").asText()).isEqualTo("UnknownOperationException");

        HttpResponse<String> malformed = http.send(raw("CreateDatasetImportJob", "{\"jobName\":"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        JsonNode error = mapper.readTree(malformed.body());
        assertThat(error.path("__type").asText()).isEqualTo("SerializationException");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(emulator.requests().get(3).body().asText()).isEqualTo("{\"jobName\":");
    }

    private HttpRequest raw(String operation, String body) {
        return HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AmazonPersonalize." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void concurrentCreatesOfOneNameHaveExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                attempts.add(() -> {
                    try {
                        createImport("contended");
                        return true;
                    } catch (ResourceAlreadyExistsException e) {
                        return false;
                    }
                });
            }
            long winners = 0;
            for (Future<Boolean> f : pool.invokeAll(attempts)) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(16);
        } finally {
            pool.shutdownNow();
        }
    }
}
