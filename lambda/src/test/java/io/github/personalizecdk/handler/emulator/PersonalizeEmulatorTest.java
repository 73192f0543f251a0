package io.github.personalizecdk.handler.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClientBuilder;
import software.amazon.awssdk.services.personalize.model.CreateDatasetGroupResponse;
import software.amazon.awssdk.services.personalize.model.Dataset;
import software.amazon.awssdk.services.personalize.model.DatasetExportJob;
import software.amazon.awssdk.services.personalize.model.DatasetGroup;
import software.amazon.awssdk.services.personalize.model.DatasetGroupSummary;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.DatasetImportJobSummary;
import software.amazon.awssdk.services.personalize.model.DatasetSchema;
import software.amazon.awssdk.services.personalize.model.DatasetSchemaSummary;
import software.amazon.awssdk.services.personalize.model.Domain;
import software.amazon.awssdk.services.personalize.model.ImportMode;
import software.amazon.awssdk.services.personalize.model.IngestionMode;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.InvalidNextTokenException;
import software.amazon.awssdk.services.personalize.model.ListDatasetImportJobsResponse;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
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
    void defaultProgressionGoesThroughInProgressAndCanBeReplaced() {
        String quick = createImport("quick");
        emulator.defaultProgression(Progression.neverCompletes());
        String stuck = createImport("stuck");

        assertThat(IntStream.range(0, 4).mapToObj(i -> describeImport(quick).status()))
                .containsExactly("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE", "ACTIVE");
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

        // listing was no poll: the first Describe is still #1 of activeAfterPolls(3)
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
        assertThatThrownBy(() -> client.createDatasetExportJob(b -> b.jobName("no-role").datasetArn(DATASET)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/out/")))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
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

    // ---- dataset groups, schemas, datasets ----

    private static final String ITEMS_SCHEMA = "{\"type\":\"record\",\"name\":\"Items\","
            + "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
            + "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
            + "{\"name\":\"PRICE\",\"type\":[\"null\",\"float\"]},"
            + "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}],\"version\":\"1.0\"}";
    private static final String INTERACTIONS_SCHEMA = "{\"type\":\"record\",\"name\":\"Interactions\","
            + "\"namespace\":\"com.amazonaws.personalize.schema\",\"fields\":["
            + "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
            + "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}],\"version\":\"1.0\"}";
    private static final String GROUP_PREFIX = "arn:aws:personalize:us-east-1:123456789012:dataset-group/";
    private static final String SCHEMA_PREFIX = "arn:aws:personalize:us-east-1:123456789012:schema/";

    /** ITEMS_SCHEMA with {@code field} (a JSON object) appended to its fields. */
    private static String itemsWith(String field) {
        return ITEMS_SCHEMA.replace("],\"version\"", "," + field + "],\"version\"");
    }

    private String activeGroup(String name) {
        String arn = client.createDatasetGroup(b -> b.name(name)).datasetGroupArn();
        while (!client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup().status().equals("ACTIVE")) {
            // default progression: ACTIVE on the 3rd Describe
        }
        return arn;
    }

    private String schema(String name, String definition) {
        return client.createSchema(b -> b.name(name).schema(definition)).schemaArn();
    }

    private String createDataset(String name, String groupArn, String type, String schemaArn) {
        return client.createDataset(b -> b.name(name).datasetGroupArn(groupArn).datasetType(type)
                .schemaArn(schemaArn)).datasetArn();
    }

    private Dataset describeDataset(String arn) {
        return client.describeDataset(b -> b.datasetArn(arn)).dataset();
    }

    private String activeDataset(String name, String groupArn, String type, String schemaArn) {
        String arn = createDataset(name, groupArn, type, schemaArn);
        for (int i = 0; i < 3; i++) {
            describeDataset(arn);
        }
        assertThat(describeDataset(arn).status()).isEqualTo("ACTIVE");
        return arn;
    }

    private void waitForImport(String jobArn) {
        for (int i = 0; i < 2; i++) {
            describeImport(jobArn);
        }
        assertThat(describeImport(jobArn).status()).isEqualTo("ACTIVE");
    }

    @Test
    void datasetGroupGoesActiveThenDeletePendingThenGone() {
        emulator.clock().advance(Duration.ofMinutes(1));
        CreateDatasetGroupResponse created = client.createDatasetGroup(b -> b.name("shop").roleArn(ROLE)
                .kmsKeyArn(KMS).domain(Domain.ECOMMERCE).tags(Tag.builder().tagKey("team").tagValue("recs").build()));
        String arn = created.datasetGroupArn();

        assertThat(arn).isEqualTo(GROUP_PREFIX + "shop");
        assertThat(created.domain()).isEqualTo(Domain.ECOMMERCE);
        DatasetGroup pending = client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup();
        assertThat(pending.status()).isEqualTo("CREATE PENDING");
        assertThat(pending.name()).isEqualTo("shop");
        assertThat(pending.datasetGroupArn()).isEqualTo(arn);
        assertThat(pending.roleArn()).isEqualTo(ROLE);
        assertThat(pending.kmsKeyArn()).isEqualTo(KMS);
        assertThat(pending.domain()).isEqualTo(Domain.ECOMMERCE);
        assertThat(pending.creationDateTime()).isEqualTo(EmulatorClock.START.plus(Duration.ofMinutes(1)));
        assertThat(pending.failureReason()).isNull();
        DatasetGroup running = client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup();
        assertThat(running.status()).isEqualTo("CREATE IN_PROGRESS");
        DatasetGroup active = client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup();
        assertThat(active.status()).isEqualTo("ACTIVE");
        assertThat(active.lastUpdatedDateTime()).isAfter(running.lastUpdatedDateTime());
        assertThat(running.lastUpdatedDateTime()).isAfter(pending.lastUpdatedDateTime());
        assertThat(client.listDatasetGroups(b -> b.maxResults(10)).datasetGroups())
                .extracting(s -> s.name() + "=" + s.status()).containsExactly("shop=ACTIVE");

        client.deleteDatasetGroup(b -> b.datasetGroupArn(arn));
        assertThat(emulator.datasetGroups()).extracting(PersonalizeEmulator.DatasetGroupState::status)
                .containsExactly("DELETE PENDING");
        assertThat(client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup().status())
                .isEqualTo("DELETE PENDING");
        // the name stays taken until the group is gone
        assertThatThrownBy(() -> client.createDatasetGroup(b -> b.name("shop")))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThatThrownBy(() -> client.describeDatasetGroup(b -> b.datasetGroupArn(arn)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Could not find resource: " + arn);
        assertThat(emulator.datasetGroups()).isEmpty();
        assertThat(client.createDatasetGroup(b -> b.name("shop")).datasetGroupArn()).isEqualTo(arn);
    }

    @Test
    void datasetGroupProgressionCanBeScriptedAndListPaginates() {
        emulator.datasetGroupProgression(Progression.activeAfterPolls(1));
        emulator.datasetGroupProgression("broken", Progression.failAfterPolls(1, "KMS key is disabled"));
        for (String name : List.of("a", "b", "broken")) {
            client.createDatasetGroup(b -> b.name(name));
        }
        DatasetGroup broken = client.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_PREFIX + "broken"))
                .datasetGroup();
        assertThat(broken.status()).isEqualTo("CREATE FAILED");
        assertThat(broken.failureReason()).isEqualTo("KMS key is disabled");
        assertThat(client.describeDatasetGroup(b -> b.datasetGroupArn(GROUP_PREFIX + "a")).datasetGroup().status())
                .isEqualTo("ACTIVE");
        assertThat(client.listDatasetGroupsPaginator(b -> b.maxResults(2)).datasetGroups().stream())
                .extracting(DatasetGroupSummary::name).containsExactly("a", "b", "broken");
        // a failed group can be deleted
        client.deleteDatasetGroup(b -> b.datasetGroupArn(GROUP_PREFIX + "broken"));
    }

    @Test
    void kmsKeyWithoutRoleIsInvalid() {
        assertThatThrownBy(() -> client.createDatasetGroup(b -> b.name("encrypted").kmsKeyArn(KMS)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("roleArn is required when kmsKeyArn is specified");
        assertThatThrownBy(() -> client.createDatasetGroup(b -> b.name("bad domain").domain("RETAIL")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'name'")
                .hasMessageContaining("'domain'");
        assertThat(emulator.datasetGroups()).isEmpty();
    }

    @Test
    void namesAreUniquePerResourceKind() {
        String group = activeGroup("shop");
        String other = activeGroup("outlet");
        String schemaArn = schema("shop", ITEMS_SCHEMA);
        createDataset("shop", group, "Items", schemaArn);

        assertThat(schemaArn).isEqualTo(SCHEMA_PREFIX + "shop");
        assertThatThrownBy(() -> client.createDatasetGroup(b -> b.name("shop")))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("Another resource with Arn " + GROUP_PREFIX + "shop already exists");
        assertThatThrownBy(() -> schema("shop", INTERACTIONS_SCHEMA))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining(SCHEMA_PREFIX + "shop already exists");
        assertThatThrownBy(() -> createDataset("shop", other, "Items", schemaArn))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining(
                        "Another resource with Arn arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS");
        assertThat(emulator.datasets()).hasSize(1);
    }

    @Test
    void oneDatasetPerTypePerGroupWithArnFromGroupAndType() {
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String interactions = schema("interactions", INTERACTIONS_SCHEMA);

        String arn = createDataset("shop-items", group, "items", items);
        assertThat(arn).isEqualTo("arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS");
        assertThat(createDataset("shop-actions", group, "Action_Interactions", interactions))
                .isEqualTo("arn:aws:personalize:us-east-1:123456789012:dataset/shop/ACTION_INTERACTIONS");
        assertThatThrownBy(() -> createDataset("shop-items-2", group, "ITEMS", items))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageContaining("dataset group " + group + " already has a ITEMS dataset");
        assertThatThrownBy(() -> createDataset("shop-ratings", group, "Ratings", items))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Invalid dataset type: Ratings");
        assertThatThrownBy(() -> createDataset("shop-bad", group, "Action-Interactions", items))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'datasetType'");
        assertThat(emulator.datasets()).extracting(PersonalizeEmulator.DatasetState::name)
                .containsExactly("shop-items", "shop-actions");
    }

    @Test
    void datasetNeedsAnExistingActiveGroupAndSchemaOfItsDomain() {
        String items = schema("items", ITEMS_SCHEMA);
        String missingGroup = GROUP_PREFIX + "missing";
        assertThatThrownBy(() -> createDataset("items", missingGroup, "ITEMS", items))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining(missingGroup);
        String group = client.createDatasetGroup(b -> b.name("shop")).datasetGroupArn();
        assertThatThrownBy(() -> createDataset("items", group, "ITEMS", SCHEMA_PREFIX + "missing"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining(SCHEMA_PREFIX + "missing");
        assertThatThrownBy(() -> createDataset("items", group, "ITEMS", items))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("is in status CREATE PENDING");

        String ecommerce = client.createDatasetGroup(b -> b.name("ecommerce").domain(Domain.ECOMMERCE))
                .datasetGroupArn();
        for (int i = 0; i < 3; i++) {
            client.describeDatasetGroup(b -> b.datasetGroupArn(ecommerce));
        }
        assertThatThrownBy(() -> createDataset("items", ecommerce, "ITEMS", items))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("The domain of schema " + items + " (none) does not match the domain of"
                        + " dataset group " + ecommerce + " (ECOMMERCE)");
        String domainSchema = client.createSchema(b -> b.name("ecommerce-items").schema(ITEMS_SCHEMA)
                .domain(Domain.ECOMMERCE)).schemaArn();
        assertThat(createDataset("items", ecommerce, "ITEMS", domainSchema)).endsWith("dataset/ecommerce/ITEMS");
    }

    @Test
    void datasetGoesThroughCreationStatuses() {
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        emulator.clock().advance(Duration.ofSeconds(30));
        String arn = createDataset("shop-items", group, "Items", items);

        Dataset first = describeDataset(arn);
        assertThat(first.status()).isEqualTo("CREATE PENDING");
        assertThat(first.name()).isEqualTo("shop-items");
        assertThat(first.datasetArn()).isEqualTo(arn);
        assertThat(first.datasetGroupArn()).isEqualTo(group);
        assertThat(first.datasetType()).isEqualTo("ITEMS");
        assertThat(first.schemaArn()).isEqualTo(items);
        assertThat(first.creationDateTime()).isEqualTo(EmulatorClock.START.plusSeconds(30));
        assertThat(first.latestDatasetUpdate()).isNull();
        assertThat(describeDataset(arn).status()).isEqualTo("CREATE IN_PROGRESS");
        Dataset active = describeDataset(arn);
        assertThat(active.status()).isEqualTo("ACTIVE");
        assertThat(active.lastUpdatedDateTime()).isAfter(first.lastUpdatedDateTime());
        assertThat(client.listDatasets(b -> b.datasetGroupArn(group)).datasets())
                .extracting(s -> s.name() + "=" + s.datasetType() + "=" + s.status())
                .containsExactly("shop-items=ITEMS=ACTIVE");
        assertThat(client.listDatasets(b -> b.datasetGroupArn(GROUP_PREFIX + "other")).datasets()).isEmpty();
    }

    @Test
    void scriptedDatasetCreationFailsAndCanBeDeleted() {
        emulator.datasetProgression(Progression.activeAfterPolls(1));
        emulator.datasetProgression("shop-users", Progression.failAfterPolls(2, "Schema is invalid for USERS"));
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String arn = createDataset("shop-users", group, "USERS", items);
        String ok = createDataset("shop-items", group, "ITEMS", items);

        assertThat(describeDataset(ok).status()).isEqualTo("ACTIVE");
        assertThat(describeDataset(arn).status()).isEqualTo("CREATE PENDING");
        assertThat(describeDataset(arn).status()).isEqualTo("CREATE FAILED");
        // deleting a dataset still being created is refused; a failed one can go
        String pending = createDataset("shop-interactions", group, "INTERACTIONS",
                schema("interactions", INTERACTIONS_SCHEMA));
        emulator.datasetProgression(pending, Progression.neverCompletes());
        assertThatThrownBy(() -> client.deleteDataset(b -> b.datasetArn(pending)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("is in status CREATE PENDING");
        client.deleteDataset(b -> b.datasetArn(arn));
        assertThat(describeDataset(arn).status()).isEqualTo("DELETE PENDING");
    }

    @Test
    void schemaTextIsCheckedAtCreate() {
        String padded = ITEMS_SCHEMA.replace("\"version\":\"1.0\"", "\"doc\":\"" + "x".repeat(
                20_000 - ITEMS_SCHEMA.length() - 9) + "\",\"version\":\"1.0\"");
        assertThat(padded).hasSize(20_000);
        assertThat(schema("longest", padded)).endsWith(":schema/longest");
        assertThatThrownBy(() -> schema("too-long", padded + " "))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Member must have length less than or equal to 20000");
        assertThatThrownBy(() -> schema("not-json", "{\"type\":"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Invalid schema: the schema is not valid JSON");
        assertThatThrownBy(() -> schema("enum", "{\"type\":\"enum\",\"fields\":[]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Invalid schema: the schema must have \"type\": \"record\"");
        assertThatThrownBy(() -> schema("no-fields", "{\"type\":\"record\",\"name\":\"Items\"}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Invalid schema: the schema must have a \"fields\" list");
        DatasetSchema described = client.describeSchema(b -> b.schemaArn(SCHEMA_PREFIX + "longest")).schema();
        assertThat(described.name()).isEqualTo("longest");
        assertThat(described.schema()).isEqualTo(padded);
        assertThat(described.domain()).isNull();
        assertThat(described.creationDateTime()).isEqualTo(EmulatorClock.START);
        assertThat(emulator.schemas()).extracting(PersonalizeEmulator.SchemaState::name).containsExactly("longest");
    }

    @Test
    void schemaInUseCannotBeDeleted() {
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String next = schema("items-v2", itemsWith("{\"name\":\"COLOR\",\"type\":[\"null\",\"string\"]}"));
        String dataset = activeDataset("shop-items", group, "ITEMS", items);

        assertThatThrownBy(() -> client.deleteSchema(b -> b.schemaArn(items)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("Schema " + items + " is in use by dataset " + dataset);
        client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next));
        assertThatThrownBy(() -> client.deleteSchema(b -> b.schemaArn(next)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("(schema update UPDATE PENDING)");
        for (int i = 0; i < 3; i++) {
            describeDataset(dataset);
        }
        // the update is ACTIVE: the old schema is free, the new one in use
        client.deleteSchema(b -> b.schemaArn(items));
        assertThatThrownBy(() -> client.deleteSchema(b -> b.schemaArn(next)))
                .isInstanceOf(ResourceInUseException.class);
        assertThatThrownBy(() -> client.describeSchema(b -> b.schemaArn(items)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(client.listSchemas(b -> b.maxResults(10)).schemas()).extracting(DatasetSchemaSummary::name)
                .containsExactly("items-v2");
    }

    @Test
    void groupHoldingDatasetsCannotBeDeletedUntilTheyAreGone() {
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String dataset = activeDataset("shop-items", group, "ITEMS", items);

        assertThatThrownBy(() -> client.deleteDatasetGroup(b -> b.datasetGroupArn(group)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("Dataset group " + group + " cannot be deleted while it has datasets: "
                        + dataset);
        client.deleteDataset(b -> b.datasetArn(dataset));
        assertThatThrownBy(() -> client.deleteDatasetGroup(b -> b.datasetGroupArn(group)))
                .isInstanceOf(ResourceInUseException.class);
        assertThat(describeDataset(dataset).status()).isEqualTo("DELETE PENDING");
        assertThatThrownBy(() -> describeDataset(dataset)).isInstanceOf(ResourceNotFoundException.class);
        client.deleteDatasetGroup(b -> b.datasetGroupArn(group));
        // the schema was freed by the dataset's deletion
        client.deleteSchema(b -> b.schemaArn(items));
    }

    @Test
    void nullableFieldAdditionUpdatesInPlaceAndKeepsData() {
        emulator.clock().advance(Duration.ofSeconds(5));
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String next = schema("items-v2", itemsWith("{\"name\":\"COLOR\",\"type\":[\"null\",\"string\"],"
                + "\"categorical\":true}"));
        String dataset = activeDataset("shop-items", group, "ITEMS", items);
        waitForImport(createImport("items-import", dataset));
        assertThat(emulator.importedData(dataset)).containsExactly(DATA);
        emulator.clock().advance(Duration.ofMinutes(1));

        assertThat(client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next)).datasetArn())
                .isEqualTo(dataset);
        Dataset pending = describeDataset(dataset);
        assertThat(pending.status()).isEqualTo("ACTIVE");
        assertThat(pending.schemaArn()).isEqualTo(items);
        assertThat(pending.latestDatasetUpdate().schemaArn()).isEqualTo(next);
        assertThat(pending.latestDatasetUpdate().status()).isEqualTo("UPDATE PENDING");
        assertThat(pending.latestDatasetUpdate().creationDateTime())
                .isEqualTo(EmulatorClock.START.plusSeconds(65));
        assertThat(describeDataset(dataset).latestDatasetUpdate().status()).isEqualTo("UPDATE IN_PROGRESS");
        Dataset updated = describeDataset(dataset);
        assertThat(updated.latestDatasetUpdate().status()).isEqualTo("ACTIVE");
        assertThat(updated.latestDatasetUpdate().failureReason()).isNull();
        assertThat(updated.schemaArn()).isEqualTo(next);
        assertThat(updated.datasetArn()).isEqualTo(dataset);
        assertThat(emulator.importedData(dataset)).containsExactly(DATA);
        assertThat(emulator.datasets()).singleElement().satisfies(d -> {
            assertThat(d.schemaArn()).isEqualTo(next);
            assertThat(d.updateStatus()).isEqualTo("ACTIVE");
            assertThat(d.importedData()).containsExactly(DATA);
        });

        // an incremental import adds, a full one replaces
        client.createDatasetImportJob(b -> b.jobName("more").datasetArn(dataset).roleArn(ROLE)
                .importMode(ImportMode.INCREMENTAL).dataSource(d -> d.dataLocation("s3://bucket/more.csv")));
        waitForImport("arn:aws:personalize:us-east-1:123456789012:dataset-import-job/more");
        assertThat(emulator.importedData(dataset)).containsExactly(DATA, "s3://bucket/more.csv");
        waitForImport(createImport("replace", dataset));
        assertThat(emulator.importedData(dataset)).containsExactly(DATA);
    }

    static Stream<Arguments> refusedReplacements() {
        return Stream.of(
                Arguments.of("removed field",
                        ITEMS_SCHEMA.replace(",{\"name\":\"PRICE\",\"type\":[\"null\",\"float\"]}", ""),
                        "field PRICE is missing"),
                Arguments.of("changed type",
                        ITEMS_SCHEMA.replace("[\"null\",\"float\"]", "[\"null\",\"string\"]"),
                        "Field PRICE must keep its type [\"null\",\"float\"] but the new schema declares"
                                + " [\"null\",\"string\"]"),
                Arguments.of("dropped nullability",
                        ITEMS_SCHEMA.replace("[\"null\",\"float\"]", "\"float\""),
                        "Field PRICE must keep its type [\"null\",\"float\"]"),
                Arguments.of("changed categorical",
                        ITEMS_SCHEMA.replace(",\"categorical\":true", ""),
                        "Field GENRES must keep \"categorical\": true"),
                Arguments.of("new non-nullable field",
                        itemsWith("{\"name\":\"COLOR\",\"type\":\"string\"}"),
                        "New field COLOR must allow null values"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedReplacements")
    void schemaReplacementRulesAreEnforced(String rule, String definition, String message) {
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String next = schema("items-v2", definition);
        String dataset = activeDataset("shop-items", group, "ITEMS", items);

        assertThatThrownBy(() -> client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Cannot update dataset " + dataset + " to schema " + next + ": ")
                .hasMessageContaining(message);
        Dataset unchanged = describeDataset(dataset);
        assertThat(unchanged.schemaArn()).isEqualTo(items);
        assertThat(unchanged.latestDatasetUpdate()).isNull();
    }

    @Test
    void onlyItemsAndUsersDatasetsCanChangeSchema() {
        String group = activeGroup("shop");
        String interactions = schema("interactions", INTERACTIONS_SCHEMA);
        String next = schema("interactions-v2", INTERACTIONS_SCHEMA.replace("],\"version\"",
                ",{\"name\":\"EVENT_TYPE\",\"type\":[\"null\",\"string\"]}],\"version\""));
        String dataset = activeDataset("shop-interactions", group, "Interactions", interactions);

        assertThatThrownBy(() -> client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Schema updates are supported only for Items and Users datasets, not for"
                        + " INTERACTIONS datasets");
        String users = activeDataset("shop-users", group, "Users", schema("users", ITEMS_SCHEMA));
        client.updateDataset(b -> b.datasetArn(users).schemaArn(schema("users-v2",
                itemsWith("{\"name\":\"AGE\",\"type\":[\"null\",\"int\"]}"))));
    }

    @Test
    void updateNeedsAnActiveDatasetWithoutRunningWork() {
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String next = schema("items-v2", itemsWith("{\"name\":\"COLOR\",\"type\":[\"null\",\"string\"]}"));
        String dataset = createDataset("shop-items", group, "ITEMS", items);

        assertThatThrownBy(() -> client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("Dataset " + dataset + " is in status CREATE PENDING");
        assertThatThrownBy(() -> client.updateDataset(b -> b.datasetArn(dataset).schemaArn(SCHEMA_PREFIX + "none")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining(SCHEMA_PREFIX + "none");
        String missing = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/USERS";
        assertThatThrownBy(() -> client.updateDataset(b -> b.datasetArn(missing).schemaArn(next)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining(missing);
        describeDataset(dataset);
        describeDataset(dataset);
        describeDataset(dataset);

        String job = createImport("running", dataset);
        assertThatThrownBy(() -> client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("has dataset import job " + job + " in status CREATE PENDING");
        assertThatThrownBy(() -> client.deleteDataset(b -> b.datasetArn(dataset)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("cannot be deleted while dataset import job " + job);
        waitForImport(job);

        client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next));
        assertThatThrownBy(() -> client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next)))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("has a schema update in status UPDATE PENDING");
        assertThatThrownBy(() -> createImport("during-update", dataset))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("its schema update is UPDATE PENDING");
    }

    @Test
    void scriptedUpdateFailureKeepsTheOldSchema() {
        emulator.datasetUpdateProgression("shop-items", Progression.failAfterPolls(2, "Schema update failed"));
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String next = schema("items-v2", itemsWith("{\"name\":\"COLOR\",\"type\":[\"null\",\"string\"]}"));
        String dataset = activeDataset("shop-items", group, "ITEMS", items);

        client.updateDataset(b -> b.datasetArn(dataset).schemaArn(next));
        assertThat(describeDataset(dataset).latestDatasetUpdate().status()).isEqualTo("UPDATE PENDING");
        Dataset failed = describeDataset(dataset);
        assertThat(failed.latestDatasetUpdate().status()).isEqualTo("UPDATE FAILED");
        assertThat(failed.latestDatasetUpdate().failureReason()).isEqualTo("Schema update failed");
        assertThat(failed.schemaArn()).isEqualTo(items);
        assertThat(failed.status()).isEqualTo("ACTIVE");
        // a failed update frees the target schema and allows another attempt
        client.deleteSchema(b -> b.schemaArn(next));
        emulator.datasetUpdateProgression(dataset, Progression.activeAfterPolls(1));
        String again = schema("items-v3", itemsWith("{\"name\":\"COLOR\",\"type\":[\"null\",\"string\"]}"));
        client.updateDataset(b -> b.datasetArn(dataset).schemaArn(again));
        assertThat(describeDataset(dataset).schemaArn()).isEqualTo(again);
    }

    @Test
    void deleteDatasetDropsItsDataAndFreesItsSlotWhenGone() {
        emulator.deleteAfterPolls(3);
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        String dataset = activeDataset("shop-items", group, "ITEMS", items);
        waitForImport(createImport("items-import", dataset));

        client.deleteDataset(b -> b.datasetArn(dataset));
        assertThat(emulator.importedData(dataset)).isEmpty();
        client.deleteDataset(b -> b.datasetArn(dataset)); // a retried delete is accepted
        assertThat(describeDataset(dataset).status()).isEqualTo("DELETE PENDING");
        assertThatThrownBy(() -> createDataset("shop-items", group, "ITEMS", items))
                .isInstanceOf(ResourceAlreadyExistsException.class);
        assertThat(describeDataset(dataset).status()).isEqualTo("DELETE IN_PROGRESS");
        assertThatThrownBy(() -> describeDataset(dataset))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Could not find resource: " + dataset);
        assertThatThrownBy(() -> client.deleteDataset(b -> b.datasetArn(dataset)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(createDataset("shop-items", group, "ITEMS", items)).isEqualTo(dataset);
        assertThat(emulator.importedData(dataset)).isEmpty();
    }

    @Test
    void strictDatasetsRefuseJobsOnUnknownOrInactiveDatasets() {
        assertThat(createImport("lenient")).endsWith("/lenient");
        emulator.strictDatasets();
        assertThatThrownBy(() -> createImport("strict"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Could not find resource: " + DATASET);
        assertThatThrownBy(() -> client.createDatasetExportJob(b -> b.jobName("strict").datasetArn(DATASET)
                .roleArn(ROLE).jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/out/")))))
                .isInstanceOf(ResourceNotFoundException.class);

        String group = activeGroup("shop");
        String dataset = createDataset("shop-interactions", group, "INTERACTIONS",
                schema("interactions", INTERACTIONS_SCHEMA));
        assertThat(dataset).isEqualTo(DATASET);
        assertThatThrownBy(() -> createImport("too-early"))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("Dataset " + DATASET + " is not ACTIVE: its status is CREATE PENDING");
        describeDataset(dataset);
        describeDataset(dataset);
        describeDataset(dataset);
        assertThat(createImport("in-time")).endsWith("/in-time");
    }

    @Test
    void progressionForLocationAppliesToJobsWithUnknownNames() {
        emulator.progressionForLocation("s3://bucket/", Progression.activeAfterPolls(1));
        emulator.progressionForLocation("s3://bucket/bad/", Progression.failAfterPolls(1, "No objects"));
        String ok = createImport("generated-1a2b");
        String bad = client.createDatasetImportJob(b -> b.jobName("generated-3c4d").datasetArn(DATASET)
                .roleArn(ROLE).dataSource(d -> d.dataLocation("s3://bucket/bad/items.csv"))).datasetImportJobArn();
        String elsewhere = client.createDatasetImportJob(b -> b.jobName("generated-5e6f").datasetArn(DATASET)
                .roleArn(ROLE).dataSource(d -> d.dataLocation("s3://other/items.csv"))).datasetImportJobArn();
        String export = client.createDatasetExportJob(b -> b.jobName("generated-export").datasetArn(DATASET)
                .roleArn(ROLE).jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/out/"))))
                .datasetExportJobArn();

        assertThat(describeImport(ok).status()).isEqualTo("ACTIVE");
        assertThat(describeImport(bad).failureReason()).isEqualTo("No objects");
        assertThat(describeImport(elsewhere).status()).isEqualTo("CREATE PENDING");
        assertThat(describeExport(export).status()).isEqualTo("ACTIVE");
        // a per-name progression still wins
        emulator.progression("generated-9a9a", Progression.neverCompletes());
        String named = createImport("generated-9a9a");
        assertThat(describeImport(named).status()).isEqualTo("CREATE PENDING");
        assertThat(describeImport(named).status()).isEqualTo("CREATE IN_PROGRESS");
    }

    @Test
    void writeCountCountsCreateUpdateDeleteCalls() {
        String group = activeGroup("shop");
        String items = schema("items", ITEMS_SCHEMA);
        activeDataset("shop-items", group, "ITEMS", items);
        assertThatThrownBy(() -> schema("items", ITEMS_SCHEMA)).isInstanceOf(ResourceAlreadyExistsException.class);
        client.listDatasets(b -> b.datasetGroupArn(group));

        assertThat(emulator.writeCount()).isEqualTo(4);
        assertThat(emulator.writeRequests()).extracting(RecordedRequest::operation, RecordedRequest::responseStatus)
                .containsExactly(tuple("CreateDatasetGroup", 200), tuple("CreateSchema", 200),
                        tuple("CreateDataset", 200), tuple("CreateSchema", 400));
    }

    @Test
    void javaClockReadsEmulatedTime() {
        Clock clock = emulator.javaClock();
        assertThat(clock.instant()).isEqualTo(EmulatorClock.START);
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        emulator.clock().advance(Duration.ofHours(2));
        assertThat(clock.instant()).isEqualTo(EmulatorClock.START.plus(Duration.ofHours(2)));
        assertThat(clock.millis()).isEqualTo(EmulatorClock.START.plus(Duration.ofHours(2)).toEpochMilli());
    }

    @Test
    void arnsUseTheSigningRegion() {
        try (PersonalizeClient eu = clientBuilder().region(Region.EU_WEST_1).build()) {
            String group = eu.createDatasetGroup(b -> b.name("eu-shop")).datasetGroupArn();
            String schemaArn = eu.createSchema(b -> b.name("eu-items").schema(ITEMS_SCHEMA)).schemaArn();
            assertThat(group).isEqualTo("arn:aws:personalize:eu-west-1:123456789012:dataset-group/eu-shop");
            assertThat(schemaArn).isEqualTo("arn:aws:personalize:eu-west-1:123456789012:schema/eu-items");
            for (int i = 0; i < 3; i++) {
                eu.describeDatasetGroup(b -> b.datasetGroupArn(group));
            }
            assertThat(eu.createDataset(b -> b.name("eu-items").datasetGroupArn(group).datasetType("ITEMS")
                    .schemaArn(schemaArn)).datasetArn())
                    .isEqualTo("arn:aws:personalize:eu-west-1:123456789012:dataset/eu-shop/ITEMS");
        }
    }

    // ---- CloudFormation's DescribeStacks and IAM

    private software.amazon.awssdk.services.cloudformation.CloudFormationClient cloudFormation(String accessKeyId) {
        return software.amazon.awssdk.services.cloudformation.CloudFormationClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void describeStacksReportsTheScriptedStatusAndRefusesAnUnknownStack() {
        String stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/Shop/guid";
        emulator.stackStatus(stack, "UPDATE_ROLLBACK_IN_PROGRESS");
        try (var cfn = cloudFormation("test")) {
            var found = cfn.describeStacks(r -> r.stackName(stack)).stacks();
            assertThat(found).singleElement().satisfies(s -> {
                assertThat(s.stackName()).isEqualTo("Shop");
                assertThat(s.stackStatusAsString()).isEqualTo("UPDATE_ROLLBACK_IN_PROGRESS");
            });
            assertThatThrownBy(() -> cfn.describeStacks(r -> r.stackName("arn:aws:cloudformation:us-east-1:"
                    + "123456789012:stack/Other/guid")))
                    .isInstanceOf(software.amazon.awssdk.services.cloudformation.model.CloudFormationException.class)
                    .hasMessageContaining("Stack with id arn:aws:cloudformation:us-east-1:123456789012:stack/Other/guid "
                            + "does not exist");
        }
        assertThat(emulator.count("DescribeStacks")).isEqualTo(2);
    }

    @Test
    void aCallerWithPermissionsMayActOnlyOnTheResourcesTheyAllow() {
        emulator.datasetGroupProgression(Progression.activeAfterPolls(1));
        String group = client.createDatasetGroup(r -> r.name("shop")).datasetGroupArn();
        client.describeDatasetGroup(r -> r.datasetGroupArn(group));
        String schema = client.createSchema(r -> r.name("items").schema(ITEMS_SCHEMA)).schemaArn();
        String stack = "arn:aws:cloudformation:us-east-1:123456789012:stack/Shop/guid";
        emulator.stackStatus(stack, "UPDATE_IN_PROGRESS");
        List<String> asked = new ArrayList<>();
        emulator.permissions("handler", (action, resource) -> {
            asked.add(action + " " + resource);
            return resource.endsWith("/ITEMS") || resource.equals(group) || resource.equals(stack);
        });
        try (PersonalizeClient handler = clientBuilder().credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("handler", "s"))).build(); var cfn = cloudFormation("handler")) {
            // CreateDataset is authorized on the dataset and on its group
            String items = handler.createDataset(r -> r.name("items").datasetType("Items").datasetGroupArn(group)
                    .schemaArn(schema)).datasetArn();
            assertThat(asked).containsExactly("personalize:CreateDataset " + items,
                    "personalize:CreateDataset " + group);
            assertThatThrownBy(() -> handler.deleteSchema(r -> r.schemaArn(schema)))
                    .isInstanceOf(PersonalizeException.class)
                    .hasMessageStartingWith("User: arn:aws:sts::123456789012:assumed-role/handler is not authorized to "
                            + "perform: personalize:DeleteSchema on resource: " + schema
                            + " because no identity-based policy allows the personalize:DeleteSchema action");
            assertThat(emulator.schemas()).hasSize(1);
            assertThat(cfn.describeStacks(r -> r.stackName(stack)).stacks()).hasSize(1);
            emulator.permissions("handler", (action, resource) -> false);
            assertThatThrownBy(() -> cfn.describeStacks(r -> r.stackName(stack)))
                    .hasMessageContaining("not authorized to perform: cloudformation:DescribeStacks on resource: "
                            + stack);
        }
        // callers without permissions are not checked
        assertThat(client.describeSchema(r -> r.schemaArn(schema)).schema().name()).isEqualTo("items");
    }

    // ---- import quota, scripted faults, propagation, service-model alignment ----

    private static final String QUOTA_MESSAGE = "More than 5 resources with PENDING or IN_PROGRESS status.";

    private PersonalizeClient noRetryClient() {
        return clientBuilder().overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private String createExport(String name) {
        return client.createDatasetExportJob(b -> b.jobName(name).datasetArn(DATASET).roleArn(ROLE)
                .jobOutput(o -> o.s3DataDestination(d -> d.path("s3://bucket/out/")))).datasetExportJobArn();
    }

    @Test
    void sixthPendingImportIsRefusedUntilOneFinishesByTheClock() {
        emulator.defaultProgression(Progression.activeAfter(Duration.ofMinutes(10)));
        for (int i = 1; i <= 5; i++) {
            createImport("import-" + i);
            emulator.clock().advance(Duration.ofMinutes(1));
        }

        assertThatThrownBy(() -> createImport("import-6"))
                .isInstanceOfSatisfying(PersonalizeException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceededException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(QUOTA_MESSAGE);
                });
        // the SDK's standard strategy does not retry LimitExceededException: one attempt
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(6);
        // export jobs do not count against the import quota
        assertThat(createExport("export-1")).endsWith("/export-1");
        assertThat(emulator.concurrentImports("us-east-1")).isEqualTo(5);

        // import-1 (created at 0:00) is ACTIVE at 0:10 by the clock alone, without any Describe
        emulator.clock().advance(Duration.ofMinutes(5));
        assertThat(emulator.count("DescribeDatasetImportJob")).isZero();
        assertThat(createImport("import-6")).endsWith("/import-6");
        assertThatThrownBy(() -> createImport("import-7")).hasMessageContaining(QUOTA_MESSAGE);
        assertThat(emulator.peakConcurrentImports()).isEqualTo(5);
        assertThat(emulator.importJobs()).extracting(PersonalizeEmulator.ImportJobState::name,
                PersonalizeEmulator.ImportJobState::status, PersonalizeEmulator.ImportJobState::finished)
                .startsWith(tuple("import-1", "ACTIVE", EmulatorClock.START.plus(Duration.ofMinutes(10))),
                        tuple("import-2", "CREATE IN_PROGRESS", null));
    }

    @Test
    void pollDrivenImportsHoldTheQuotaUntilDescribedToCompletion() {
        List<String> arns = IntStream.rangeClosed(1, 5).mapToObj(i -> createImport("import-" + i)).toList();
        emulator.clock().advance(Duration.ofDays(1));
        assertThatThrownBy(() -> createImport("import-6")).hasMessageContaining(QUOTA_MESSAGE);

        assertThat(describeImport(arns.get(0)).status()).isEqualTo("CREATE PENDING");
        assertThat(describeImport(arns.get(0)).status()).isEqualTo("CREATE IN_PROGRESS");
        assertThatThrownBy(() -> createImport("import-6")).hasMessageContaining(QUOTA_MESSAGE);
        assertThat(describeImport(arns.get(0)).status()).isEqualTo("ACTIVE");
        assertThat(createImport("import-6")).endsWith("/import-6");
    }

    @Test
    void quotaIsPerRegionConfigurableAndCountsPendingExistingJobs() {
        emulator.importQuota(2).existingImportJob("legacy", DATASET, DATA, "CREATE IN_PROGRESS")
                .existingImportJob("done", DATASET, DATA, "ACTIVE");
        createImport("import-1");
        assertThatThrownBy(() -> createImport("import-2"))
                .hasMessageContaining("More than 2 resources with PENDING or IN_PROGRESS status.");

        try (PersonalizeClient eu = clientBuilder().region(Region.EU_WEST_1).build()) {
            String euDataset = "arn:aws:personalize:eu-west-1:123456789012:dataset/shop/INTERACTIONS";
            for (int i = 1; i <= 2; i++) {
                String name = "eu-import-" + i;
                eu.createDatasetImportJob(b -> b.jobName(name).datasetArn(euDataset)
                        .dataSource(d -> d.dataLocation(DATA)));
            }
            assertThatThrownBy(() -> eu.createDatasetImportJob(b -> b.jobName("eu-import-3").datasetArn(euDataset)
                    .dataSource(d -> d.dataLocation(DATA)))).hasMessageContaining("More than 2 resources");
        }
        assertThat(emulator.concurrentImports("us-east-1")).isEqualTo(2);
        assertThat(emulator.concurrentImports("eu-west-1")).isEqualTo(2);
        assertThat(emulator.peakConcurrentImports()).isEqualTo(2);
    }

    @Test
    void concurrentCreatesNeverExceedTheQuota() throws Exception {
        emulator.defaultProgression(Progression.activeAfter(Duration.ofMinutes(10)));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (PersonalizeClient noRetry = noRetryClient()) {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String name = "parallel-" + i;
                attempts.add(() -> {
                    try {
                        noRetry.createDatasetImportJob(b -> b.jobName(name).datasetArn(DATASET)
                                .dataSource(d -> d.dataLocation(DATA)));
                        return true;
                    } catch (PersonalizeException e) {
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(QUOTA_MESSAGE);
                        return false;
                    }
                });
            }
            long started = 0;
            for (Future<Boolean> f : pool.invokeAll(attempts)) {
                started += f.get() ? 1 : 0;
            }
            assertThat(started).isEqualTo(5);
            assertThat(emulator.peakConcurrentImports()).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
    }

    static Stream<Arguments> scriptedFaults() {
        return Stream.of(
                Arguments.of("ResourceInUseException", ResourceInUseException.class, false),
                Arguments.of("LimitExceededException",
                        software.amazon.awssdk.services.personalize.model.LimitExceededException.class, false),
                Arguments.of("InvalidInputException", InvalidInputException.class, false),
                Arguments.of("ThrottlingException", PersonalizeException.class, true),
                Arguments.of("AccessDeniedException", PersonalizeException.class, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scriptedFaults")
    void failNextAnswersAnyErrorTypeForTheNamedOperationOnly(String type, Class<?> sdkType, boolean throttling) {
        emulator.failNext("CreateDatasetImportJob", type, "scripted " + type, 1);
        try (PersonalizeClient noRetry = noRetryClient()) {
            // another operation does not consume the fault
            assertThat(noRetry.listDatasetImportJobs(b -> b.datasetArn(DATASET)).datasetImportJobs()).isEmpty();
            assertThatThrownBy(() -> noRetry.createDatasetImportJob(b -> b.jobName("job").datasetArn(DATASET)
                    .dataSource(d -> d.dataLocation(DATA))))
                    .isInstanceOfSatisfying(PersonalizeException.class, e -> {
                        assertThat(e).isInstanceOf(sdkType);
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(type);
                        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("scripted " + type);
                        assertThat(e.isThrottlingException()).isEqualTo(throttling);
                    });
        }
        // nothing was created by the refused call
        assertThat(createImport("job")).endsWith("/job");
    }

    @Test
    void sdkStandardRetriesRetryThrottlingButNotLimitExceededOrResourceInUse() {
        emulator.failNext("CreateDatasetImportJob", "ThrottlingException", "Rate exceeded", 2);
        assertThat(createImport("throttled")).endsWith("/throttled");
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(3);

        emulator.resetRequests();
        emulator.failNext("CreateDatasetImportJob", "LimitExceededException", QUOTA_MESSAGE, 2);
        assertThatThrownBy(() -> createImport("limited"))
                .isInstanceOf(software.amazon.awssdk.services.personalize.model.LimitExceededException.class);
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(1);

        emulator.resetRequests();
        emulator.failNext("CreateDatasetImportJob", "LimitExceededException", QUOTA_MESSAGE, 0)
                .resourceInUseNext("CreateDatasetImportJob", 1);
        // one LimitExceededException is still scheduled and comes first; then ResourceInUse; both unretried
        assertThatThrownBy(() -> createImport("limited")).hasMessageContaining(QUOTA_MESSAGE);
        assertThatThrownBy(() -> createImport("limited"))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageContaining("The resource " + DATASET + " is in use by another operation; "
                        + "CreateDatasetImportJob cannot proceed until it finishes.");
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(2);
        assertThat(createImport("limited")).endsWith("/limited");
    }

    @Test
    void failNextCanAnswerOtherHttpStatusesForAnyOperation() {
        emulator.failNext(null, 503, "ServiceUnavailableException", "Service unavailable", 1);
        assertThat(describeImport(createImport("after-503")).status()).isEqualTo("CREATE PENDING");
        assertThat(emulator.requests()).extracting(RecordedRequest::operation, RecordedRequest::responseStatus)
                .containsExactly(tuple("CreateDatasetImportJob", 503), tuple("CreateDatasetImportJob", 200),
                        tuple("DescribeDatasetImportJob", 200));
        assertThatThrownBy(() -> emulator.failNext(null, 200, "X", "x", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void propagationDelayRefusesJobsUntilTheInstantThenLetsThemStart() {
        emulator.propagationDelay(Duration.ofMinutes(2));

        assertThatThrownBy(() -> createImport("early"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(PersonalizeEmulator.PROPAGATION_ERROR_TYPE);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Failed to create a data import job "
                            + "for Interactions dataset....Insufficient privileges for accessing data in Amazon S3.");
                });
        assertThatThrownBy(() -> createExport("early-export"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Failed to create a dataset export job for Interactions dataset...."
                        + PersonalizeEmulator.INSUFFICIENT_S3_PRIVILEGES);
        assertThat(PersonalizeEmulator.insufficientPrivilegesMessage("ACTION_INTERACTIONS")).isEqualTo("Failed to "
                + "create a data import job for Action_Interactions dataset....Insufficient privileges for accessing "
                + "data in Amazon S3.");
        // not retried by the SDK, and nothing was created
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(1);
        assertThat(emulator.importJobs()).isEmpty();

        emulator.clock().advance(Duration.ofSeconds(119));
        assertThatThrownBy(() -> createImport("early")).isInstanceOf(InvalidInputException.class);
        emulator.clock().advance(Duration.ofSeconds(1));
        assertThat(createImport("early")).endsWith("/early");
        assertThat(createExport("early-export")).endsWith("/early-export");
    }

    @Test
    void propagationDelayCanLastForANumberOfCalls() {
        emulator.propagationDelayCalls(2);
        // a call refused for another reason does not use one up
        assertThatThrownBy(() -> createImport("bad name")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("failed to satisfy constraint");
        assertThatThrownBy(() -> createImport("job")).hasMessageContaining("Insufficient privileges");
        assertThatThrownBy(() -> createExport("job")).hasMessageContaining("Insufficient privileges");
        assertThat(createImport("job")).endsWith("/job");

        emulator.propagationDelayUntil(EmulatorClock.START.plusSeconds(60)).propagationDelayUntil(null);
        assertThat(createImport("job-2")).endsWith("/job-2");
    }

    @Test
    void importRoleArnIsOptionalAsInTheServiceModel() {
        String arn = client.createDatasetImportJob(b -> b.jobName("no-role").datasetArn(DATASET)
                .dataSource(d -> d.dataLocation(DATA))).datasetImportJobArn();

        DatasetImportJob job = describeImport(arn);
        assertThat(job.roleArn()).isNull();
        assertThat(job.status()).isEqualTo("CREATE PENDING");
        assertThat(describeImport(arn).status()).isEqualTo("CREATE IN_PROGRESS");
        assertThat(describeImport(arn).status()).isEqualTo("ACTIVE");
    }

    @Test
    void moreThan200TagsIsAValidationError() {
        // 50 tags per resource is the guide's limit; 51 to 200 are refused with TooManyTagsException (EmulatorRulesTest)
        List<Tag> tags200 = IntStream.range(0, 50)
                .mapToObj(i -> Tag.builder().tagKey("k" + i).tagValue("v").build()).toList();
        List<Tag> tags201 = IntStream.range(0, 201)
                .mapToObj(i -> Tag.builder().tagKey("k" + i).tagValue("v").build()).toList();

        assertThat(client.createDatasetImportJob(b -> b.jobName("tagged").datasetArn(DATASET)
                .dataSource(d -> d.dataLocation(DATA)).tags(tags200)).datasetImportJobArn()).endsWith("/tagged");
        String expected = "1 validation error detected: Value '[201 tags]' at 'tags' failed to satisfy constraint: "
                + "Member must have length less than or equal to 200";
        assertThatThrownBy(() -> client.createDatasetImportJob(b -> b.jobName("over").datasetArn(DATASET)
                .dataSource(d -> d.dataLocation(DATA)).tags(tags201)))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(expected));
        assertThatThrownBy(() -> client.createDatasetGroup(b -> b.name("over").tags(tags201)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(expected);
        assertThat(client.createDatasetGroup(b -> b.name("tagged").tags(tags200)).datasetGroupArn())
                .endsWith("/tagged");
    }

    @Test
    void groupsAndDatasetsAreSeenInProgressByDefault() {
        String group = client.createDatasetGroup(b -> b.name("shop")).datasetGroupArn();
        assertThat(IntStream.range(0, 3).mapToObj(
                i -> client.describeDatasetGroup(b -> b.datasetGroupArn(group)).datasetGroup().status()))
                .containsExactly("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE");
        String dataset = createDataset("items", group, "ITEMS", schema("items", ITEMS_SCHEMA));
        assertThat(IntStream.range(0, 3).mapToObj(i -> describeDataset(dataset).status()))
                .containsExactly("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE");
    }
}
