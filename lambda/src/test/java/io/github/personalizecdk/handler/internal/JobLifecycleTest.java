package io.github.personalizecdk.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.Progression;
import io.github.personalizecdk.handler.emulator.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/** Every lifecycle branch, with the real SDK client over HTTP against the emulated Personalize API. */
class JobLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";
    static final String ROLE = "arn:aws:iam::123456789012:role/PersonalizeS3";
    static final String LOCATION = "s3://shop-data/imports/interactions/";

    private EmulatedPersonalize personalize;
    private PersonalizeEmulator emulator;
    private PersonalizeClient client;
    private JobLifecycle lifecycle;
    private final List<String> logs = new ArrayList<>();

    @BeforeEach
    void start() {
        personalize = new EmulatedPersonalize();
        emulator = personalize.emulator();
        client = personalize.client();
        lifecycle = new JobLifecycle(client, personalize.clock(), "us-east-1", logs::add);
    }

    @AfterEach
    void stop() {
        personalize.close();
    }

    static Map<String, Object> importProps() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent");
        p.put(JobResource.JOB_TYPE, "IMPORT");
        p.put(JobResource.DATASET_ARN, DATASET);
        p.put(JobResource.ROLE_ARN, ROLE);
        p.put(JobResource.JOB_NAME_PREFIX, "ShopInteractionsImport");
        p.put(JobResource.DATA_LOCATION, LOCATION);
        p.put(JobResource.IMPORT_MODE, "FULL");
        p.put(JobResource.PUBLISH_ATTRIBUTION_METRICS, "false");
        p.put(JobResource.WAIT, "true");
        p.put(JobResource.TIMEOUT_SECONDS, "600");
        return p;
    }

    static Map<String, Object> exportProps() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(JobResource.JOB_TYPE, "EXPORT");
        p.put(JobResource.DATASET_ARN, DATASET);
        p.put(JobResource.ROLE_ARN, ROLE);
        p.put(JobResource.JOB_NAME_PREFIX, "ShopExport");
        p.put(JobResource.OUTPUT_PATH, "s3://shop-exports/exports/");
        p.put(JobResource.KMS_KEY_ARN, "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        p.put(JobResource.INGESTION_MODE, "ALL");
        p.put(JobResource.TAGS, List.of(Map.of("Key", "team", "Value", "ml")));
        p.put(JobResource.WAIT, "true");
        p.put(JobResource.TIMEOUT_SECONDS, "600");
        return p;
    }

    static Map<String, Object> event(String type, Map<String, Object> props) {
        return CloudFormationEvents.event(JobResource.IMPORT_TYPE, "ShopInteractionsImport1A2B3C4D", type, props);
    }

    static Map<String, Object> forIsComplete(Map<String, Object> request, Map<String, Object> onEventResult) {
        return EmulatedPersonalize.forIsComplete(request, onEventResult);
    }

    private List<Map<String, Object>> pollUntilComplete(Map<String, Object> event, int maxPolls) {
        List<Map<String, Object>> answers = new ArrayList<>();
        for (int i = 0; i < maxPolls; i++) {
            Map<String, Object> answer = lifecycle.isComplete(event);
            answers.add(answer);
            if (Boolean.TRUE.equals(answer.get("IsComplete"))) {
                break;
            }
            emulator.clock().advance(Duration.ofSeconds(20));
        }
        return answers;
    }

    private JsonNode lastBody(String operation) {
        return personalize.lastBody(operation);
    }

    @Test
    void createStartsTheJobAndIsCompleteWaitsForActive() throws Exception {
        emulator.defaultProgression(Progression.activeAfterPolls(3));
        Map<String, Object> create = event("Create", importProps());
        Map<String, Object> started = lifecycle.onEvent(create);

        String arn = (String) started.get("PhysicalResourceId");
        assertThat(arn).matches("arn:aws:personalize:us-east-1:123456789012:dataset-import-job/"
                + "ShopInteractionsImport-[0-9a-f]{16}");
        JsonNode body = lastBody("CreateDatasetImportJob");
        assertThat(body.get("jobName").asText()).isEqualTo(arn.substring(arn.indexOf('/') + 1));
        assertThat(body.get("datasetArn").asText()).isEqualTo(DATASET);
        assertThat(body.get("dataSource").get("dataLocation").asText()).isEqualTo(LOCATION);
        assertThat(body.get("roleArn").asText()).isEqualTo(ROLE);
        assertThat(body.get("importMode").asText()).isEqualTo("FULL");
        assertThat(body.get("publishAttributionMetricsToS3").asBoolean()).isFalse();
        assertThat(body.has("tags")).isFalse();

        List<Map<String, Object>> answers = pollUntilComplete(forIsComplete(create, started), 10);
        assertThat(answers).extracting(a -> a.get("IsComplete")).containsExactly(false, false, true);
        assertThat(answers.get(0)).doesNotContainKey("Data");
        assertThat(answers.get(2).get("Data")).isEqualTo(Map.of(JobResource.ATT_JOB_ARN, arn,
                JobResource.ATT_JOB_NAME, arn.substring(arn.indexOf('/') + 1), JobResource.ATT_STATUS, "ACTIVE"));
        assertThat(emulator.count("DescribeDatasetImportJob")).isEqualTo(3);
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(1);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : logs) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(l -> l.get("status").asText())
                .containsExactly("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE");
        assertThat(lines).allSatisfy(l -> assertThat(l.get("jobArn").asText()).isEqualTo(arn));
        assertThat(lines.get(2).get("elapsedSeconds").asLong()).isEqualTo(40);
    }

    @Test
    void createFailedThrowsWithTheJobArnAndFailureReasonVerbatim() {
        String reason = "Input CSV is missing the following columns: [TIMESTAMP]";
        emulator.defaultProgression(Progression.failAfterPolls(2, reason));
        Map<String, Object> create = event("Create", importProps());
        Map<String, Object> started = lifecycle.onEvent(create);
        Map<String, Object> poll = forIsComplete(create, started);

        assertThat(lifecycle.isComplete(poll).get("IsComplete")).isEqualTo(false);
        assertThatThrownBy(() -> lifecycle.isComplete(poll))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataset import job " + started.get("PhysicalResourceId") + " failed: " + reason);
    }

    @Test
    void throttlingAndServerErrorsAreRetriedBySdk() {
        emulator.throttleNext(2);
        Map<String, Object> started = lifecycle.onEvent(event("Create", importProps()));
        assertThat(started.get("PhysicalResourceId")).asString().contains(":dataset-import-job/");
        assertThat(emulator.requests()).extracting(RecordedRequest::responseStatus).containsExactly(400, 400, 200);

        emulator.resetRequests();
        emulator.serverErrorNext(1);
        Map<String, Object> again = lifecycle.onEvent(event("Create", importProps()));
        assertThat(again.get("PhysicalResourceId")).isNotEqualTo(started.get("PhysicalResourceId"));
        assertThat(emulator.requests()).extracting(RecordedRequest::responseStatus).containsExactly(500, 200);
    }

    @Test
    void aRetriedCreateAdoptsTheJobItStartedInsteadOfStartingAnother() {
        Map<String, Object> create = event("Create", importProps());
        Map<String, Object> first = lifecycle.onEvent(create);
        Map<String, Object> retried = lifecycle.onEvent(create);

        assertThat(retried.get("PhysicalResourceId")).isEqualTo(first.get("PhysicalResourceId"));
        assertThat(client.listDatasetImportJobs(r -> r.datasetArn(DATASET)).datasetImportJobs()).hasSize(1);
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(2);
    }

    @Test
    void anExistingJobOfTheSameNameForOtherDataFailsClearly() {
        Map<String, Object> create = event("Create", importProps());
        JobSpec spec = JobSpec.parse(importProps());
        String name = spec.jobName("ShopInteractionsImport1A2B3C4D", (String) create.get("RequestId"));
        emulator.existingImportJob(name, DATASET, "s3://other-bucket/other/", "ACTIVE");

        assertThatThrownBy(() -> lifecycle.onEvent(create))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a dataset import job named " + name + " already exists for dataset " + DATASET
                        + " and location s3://other-bucket/other/, not for dataset " + DATASET + " and location "
                        + LOCATION + "; job names are unique per account and region: choose another jobNamePrefix");
    }

    @Test
    void anUpdateThatChangesOnlyWaitingKeepsTheJobAndStartsNothing() {
        Map<String, Object> create = event("Create", importProps());
        String arn = (String) lifecycle.onEvent(create).get("PhysicalResourceId");
        emulator.resetRequests();

        Map<String, Object> newProps = importProps();
        newProps.put(JobResource.TIMEOUT_SECONDS, "1200");
        newProps.put(JobResource.TAGS, List.of(Map.of("Key", "team", "Value", "ml")));
        Map<String, Object> update = event("Update", newProps);
        update.put("PhysicalResourceId", arn);
        update.put("OldResourceProperties", importProps());
        Map<String, Object> result = lifecycle.onEvent(update);

        assertThat(result.get("PhysicalResourceId")).isEqualTo(arn);
        assertThat(emulator.count("CreateDatasetImportJob")).isZero();
        Map<String, Object> done = lifecycle.isComplete(forIsComplete(update, result));
        assertThat(done.get("IsComplete")).isEqualTo(true);
        assertThat(((Map<?, ?>) done.get("Data")).get(JobResource.ATT_JOB_ARN)).isEqualTo(arn);
    }

    @Test
    void anUpdateOfAJobPropertyStartsANewJobWithANewPhysicalId() {
        Map<String, Object> create = event("Create", importProps());
        String arn = (String) lifecycle.onEvent(create).get("PhysicalResourceId");

        Map<String, Object> newProps = importProps();
        newProps.put(JobResource.DATA_LOCATION, "s3://shop-data/imports/interactions-2026/");
        Map<String, Object> update = event("Update", newProps);
        update.put("PhysicalResourceId", arn);
        update.put("OldResourceProperties", importProps());
        Map<String, Object> result = lifecycle.onEvent(update);

        assertThat(result.get("PhysicalResourceId")).isNotEqualTo(arn);
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(2);
        assertThat(lastBody("CreateDatasetImportJob").get("dataSource").get("dataLocation").asText())
                .isEqualTo("s3://shop-data/imports/interactions-2026/");
    }

    @ParameterizedTest(name = "physical id {0}")
    @ValueSource(strings = {"8f2c5d1e-request-id-of-a-failed-create",
            "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/Gone-0123456789abcdef"})
    void deleteAlwaysSucceedsWithoutCallingPersonalize(String physicalId) {
        Map<String, Object> delete = event("Delete", importProps());
        delete.put("PhysicalResourceId", physicalId);
        Map<String, Object> result = lifecycle.onEvent(delete);

        assertThat(result.get("PhysicalResourceId")).isEqualTo(physicalId);
        assertThat(lifecycle.isComplete(forIsComplete(delete, result))).isEqualTo(Map.of("IsComplete", true));
        assertThat(emulator.requests()).isEmpty();
    }

    @Test
    void aJobStillRunningAfterItsTimeoutFailsNamingTheJobAndLastStatus() {
        emulator.defaultProgression(Progression.neverCompletes());
        Map<String, Object> create = event("Create", importProps());
        Map<String, Object> started = lifecycle.onEvent(create);
        Map<String, Object> poll = forIsComplete(create, started);

        assertThat(lifecycle.isComplete(poll).get("IsComplete")).isEqualTo(false);
        emulator.clock().advance(Duration.ofSeconds(601));
        assertThatThrownBy(() -> lifecycle.isComplete(poll))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("timed out after 601 s (timeout 600 s) waiting for dataset import job "
                        + started.get("PhysicalResourceId") + "; last status CREATE IN_PROGRESS. The job goes on in "
                        + "Personalize; raise the timeout (up to 12 hours: above 54 minutes a wait condition waits for "
                        + "the job)");
    }

    @Test
    void aDatasetInAnotherRegionFailsBeforeAnyCall() {
        Map<String, Object> props = importProps();
        props.put(JobResource.DATASET_ARN, "arn:aws:personalize:eu-west-1:123456789012:dataset/shop/INTERACTIONS");
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dataset arn:aws:personalize:eu-west-1:123456789012:dataset/shop/INTERACTIONS is in "
                        + "region eu-west-1 but this handler runs in us-east-1; a job must be created in its "
                        + "dataset's region");
        assertThat(emulator.requests()).isEmpty();
    }

    @Test
    void aMissingDatasetGivesAClearError() {
        emulator.missingDataset(DATASET);
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", importProps())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Personalize cannot find dataset " + DATASET + " in region us-east-1 (")
                .hasMessageEndingWith("); check that the dataset exists in this account and region");
    }

    @Test
    void invalidInputIsReportedWithPersonalizesMessage() {
        Map<String, Object> props = importProps();
        props.put(JobResource.ROLE_ARN, "arn:aws:iam::123:role/short-account");
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Personalize rejected dataset import job ShopInteractionsImport-")
                .hasMessageContaining(": InvalidInputException: ")
                .hasMessageContaining("roleArn");
    }

    @Test
    void exportJobSendsOutputKeyIngestionModeAndTags() {
        Map<String, Object> create = event("Create", exportProps());
        Map<String, Object> started = lifecycle.onEvent(create);

        assertThat((String) started.get("PhysicalResourceId")).contains(":dataset-export-job/ShopExport-");
        JsonNode body = lastBody("CreateDatasetExportJob");
        assertThat(body.get("ingestionMode").asText()).isEqualTo("ALL");
        assertThat(body.get("jobOutput").get("s3DataDestination").get("path").asText())
                .isEqualTo("s3://shop-exports/exports/");
        assertThat(body.get("jobOutput").get("s3DataDestination").get("kmsKeyArn").asText())
                .isEqualTo("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(body.get("tags").get(0).get("tagKey").asText()).isEqualTo("team");
        assertThat(body.get("tags").get(0).get("tagValue").asText()).isEqualTo("ml");

        List<Map<String, Object>> answers = pollUntilComplete(forIsComplete(create, started), 5);
        assertThat(answers.get(answers.size() - 1).get("IsComplete")).isEqualTo(true);
        assertThat(emulator.count("DescribeDatasetExportJob")).isEqualTo(3);
    }

    @Test
    void withoutWaitingTheJobIsDescribedOnceAndReportedAsStarted() {
        emulator.defaultProgression(Progression.neverCompletes());
        Map<String, Object> props = importProps();
        props.put(JobResource.WAIT, "false");
        Map<String, Object> create = event("Create", props);
        Map<String, Object> started = lifecycle.onEvent(create);

        Map<String, Object> done = lifecycle.isComplete(forIsComplete(create, started));
        assertThat(done.get("IsComplete")).isEqualTo(true);
        assertThat(((Map<?, ?>) done.get("Data")).get(JobResource.ATT_STATUS)).isEqualTo("CREATE PENDING");
        assertThat(emulator.count("DescribeDatasetImportJob")).isEqualTo(1);
    }

    @Test
    void unknownRequestTypesAreRejected() {
        Map<String, Object> odd = event("Replace", importProps());
        assertThatThrownBy(() -> lifecycle.onEvent(odd)).hasMessage("unknown RequestType \"Replace\"");
        odd.put(JobLifecycle.STATE, Map.of("Action", "WAIT"));
        assertThatThrownBy(() -> lifecycle.isComplete(odd)).hasMessage("unknown RequestType \"Replace\"");
    }
}
