package io.github.personalizecdk.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator.DatasetState;
import io.github.personalizecdk.handler.emulator.Progression;
import io.github.personalizecdk.handler.emulator.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every branch of the dataset lifecycle, with the real SDK client over HTTP against the emulated Personalize. */
class DatasetLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGICAL_ID = "ShopItemsDataset1A2B3C4D";
    static final String ACCOUNT = "arn:aws:personalize:us-east-1:" + PersonalizeEmulator.ACCOUNT;
    static final String ITEMS_ARN = ACCOUNT + ":dataset/shop/ITEMS";
    /** The physical id of the same dataset when this resource adopted it instead of creating it. */
    static final String ITEMS_ADOPTED = ITEMS_ARN + "#adopted";
    static final String STACK_ID = CloudFormationEvents.STACK_ID;

    static final String ITEMS_V1 = schema("Items", "{\"name\":\"ITEM_ID\",\"type\":\"string\"}",
            "{\"name\":\"PRICE\",\"type\":\"float\"}",
            "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}");
    /** v1 plus a nullable field: a replacement Personalize allows. */
    static final String ITEMS_V2 = schema("Items", "{\"name\":\"ITEM_ID\",\"type\":\"string\"}",
            "{\"name\":\"PRICE\",\"type\":\"float\"}",
            "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}",
            "{\"name\":\"COLOR\",\"type\":[\"null\",\"string\"]}");
    /** v1 without PRICE. */
    static final String ITEMS_NO_PRICE = schema("Items", "{\"name\":\"ITEM_ID\",\"type\":\"string\"}",
            "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}");
    /** v1 plus a field that does not allow null. */
    static final String ITEMS_REQUIRED_COLOR = schema("Items", "{\"name\":\"ITEM_ID\",\"type\":\"string\"}",
            "{\"name\":\"PRICE\",\"type\":\"float\"}",
            "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}",
            "{\"name\":\"COLOR\",\"type\":\"string\"}");
    static final String USERS_V1 = schema("Users", "{\"name\":\"USER_ID\",\"type\":\"string\"}",
            "{\"name\":\"AGE\",\"type\":[\"null\",\"int\"]}");
    static final String INTERACTIONS_V1 = schema("Interactions", "{\"name\":\"USER_ID\",\"type\":\"string\"}",
            "{\"name\":\"ITEM_ID\",\"type\":\"string\"}", "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}");
    static final String INTERACTIONS_V2 = schema("Interactions", "{\"name\":\"USER_ID\",\"type\":\"string\"}",
            "{\"name\":\"ITEM_ID\",\"type\":\"string\"}", "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}",
            "{\"name\":\"EVENT_TYPE\",\"type\":[\"null\",\"string\"]}");

    private EmulatedPersonalize personalize;
    private PersonalizeEmulator emulator;
    private DatasetLifecycle lifecycle;
    private final List<String> logs = new ArrayList<>();
    private String group;
    private String otherGroup;
    private final Map<String, String> schemaArns = new HashMap<>();

    static String schema(String record, String... fields) {
        return "{\"type\":\"record\",\"name\":\"" + record + "\",\"namespace\":\"com.amazonaws.personalize.schema\","
                + "\"fields\":[" + String.join(",", fields) + "],\"version\":\"1.0\"}";
    }

    @BeforeEach
    void start() {
        personalize = new EmulatedPersonalize();
        emulator = personalize.emulator();
        emulator.datasetGroupProgression(Progression.activeAfter(Duration.ZERO));
        group = personalize.client().createDatasetGroup(r -> r.name("shop")).datasetGroupArn();
        otherGroup = personalize.client().createDatasetGroup(r -> r.name("shop-eu")).datasetGroupArn();
        Map<String, String> definitions = new LinkedHashMap<>();
        definitions.put("items-v1", ITEMS_V1);
        definitions.put("items-v2", ITEMS_V2);
        definitions.put("items-no-price", ITEMS_NO_PRICE);
        definitions.put("items-required-color", ITEMS_REQUIRED_COLOR);
        definitions.put("users-v1", USERS_V1);
        definitions.put("interactions-v1", INTERACTIONS_V1);
        definitions.put("interactions-v2", INTERACTIONS_V2);
        definitions.forEach((name, definition) -> schemaArns.put(definition,
                personalize.client().createSchema(r -> r.name(name).schema(definition)).schemaArn()));
        emulator.resetRequests();
        emulator.stackStatus(STACK_ID, "UPDATE_IN_PROGRESS");
        lifecycle = new DatasetLifecycle(personalize.client(),
                StackStatus.describeStacks(personalize::cloudFormation), personalize.clock(),
                EmulatedPersonalize.REGION, logs::add);
    }

    @AfterEach
    void stop() {
        personalize.close();
    }

    // ---- events

    private Map<String, Object> props(String name, String type, String groupArn, String definition) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:framework-onEvent");
        p.put(DatasetResource.DATASET_NAME, name);
        p.put(DatasetResource.DATASET_TYPE, type);
        p.put(DatasetResource.DATASET_GROUP_ARN, groupArn);
        p.put(DatasetResource.SCHEMA_ARN, schemaArns.get(definition));
        p.put(DatasetResource.SCHEMA_DEFINITION, definition);
        return p;
    }

    private Map<String, Object> items(String definition) {
        return props("shop-items", "ITEMS", group, definition);
    }

    static Map<String, Object> event(String requestType, Map<String, Object> props) {
        return CloudFormationEvents.event(DatasetResource.TYPE, LOGICAL_ID, requestType, props);
    }

    static Map<String, Object> update(String physicalId, Map<String, Object> before, Map<String, Object> after) {
        return CloudFormationEvents.update(DatasetResource.TYPE, LOGICAL_ID, physicalId, before, after);
    }

    static Map<String, Object> delete(String physicalId, Map<String, Object> props) {
        return CloudFormationEvents.delete(DatasetResource.TYPE, LOGICAL_ID, physicalId, props);
    }

    /** isComplete as the Provider calls it, 20 emulated seconds apart, until complete (or it throws). */
    private List<Map<String, Object>> poll(Map<String, Object> request, Map<String, Object> started) {
        Map<String, Object> event = EmulatedPersonalize.forIsComplete(request, started);
        List<Map<String, Object>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Map<String, Object> answer = lifecycle.isComplete(event);
            answers.add(answer);
            if (Boolean.TRUE.equals(answer.get("IsComplete"))) {
                return answers;
            }
            emulator.clock().advance(Duration.ofSeconds(20));
        }
        throw new AssertionError("not complete after 20 polls: " + answers);
    }

    /** The Data of the completed request. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> runToCompletion(Map<String, Object> request) {
        Map<String, Object> started = lifecycle.onEvent(request);
        List<Map<String, Object>> answers = poll(request, started);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("PhysicalResourceId", started.get("PhysicalResourceId"));
        Object data = answers.get(answers.size() - 1).get("Data");
        if (data != null) {
            out.putAll((Map<String, Object>) data);
        }
        return out;
    }

    private String createItems() {
        String arn = (String) runToCompletion(event("Create", items(ITEMS_V1))).get("PhysicalResourceId");
        emulator.resetRequests();
        return arn;
    }

    /** A dataset kept by an earlier stack, adopted by a new one: its physical id. */
    private String adoptItems() {
        createItems();
        String physicalId = (String) runToCompletion(event("Create", items(ITEMS_V1))).get("PhysicalResourceId");
        emulator.resetRequests();
        logs.clear();
        return physicalId;
    }

    private DatasetState dataset(String arn) {
        return emulator.datasets().stream().filter(d -> d.arn().equals(arn)).findFirst().orElse(null);
    }

    private JsonNode lastBody(String operation) {
        return personalize.lastBody(operation);
    }

    private List<String> writes() {
        return emulator.writeRequests().stream().map(RecordedRequest::operation).toList();
    }

    private static String status(String logLine) {
        try {
            return JSON.readTree(logLine).get("status").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, Object> data(String arn, String name, String schemaArn) {
        return Map.of(DatasetResource.ATT_DATASET_ARN, arn, DatasetResource.ATT_DATASET_NAME, name,
                DatasetResource.ATT_SCHEMA_ARN, schemaArn);
    }

    // ---- Create

    @Test
    void createMakesTheDatasetAndIsCompleteWaitsUntilActive() throws Exception {
        Map<String, Object> create = event("Create", items(ITEMS_V1));
        Map<String, Object> started = lifecycle.onEvent(create);

        assertThat(started.get("PhysicalResourceId")).isEqualTo(ITEMS_ARN);
        assertThat(started.get("Data")).isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V1)));
        JsonNode body = lastBody("CreateDataset");
        assertThat(body.get("name").asText()).isEqualTo("shop-items");
        assertThat(body.get("datasetType").asText()).isEqualTo("ITEMS");
        assertThat(body.get("datasetGroupArn").asText()).isEqualTo(group);
        assertThat(body.get("schemaArn").asText()).isEqualTo(schemaArns.get(ITEMS_V1));

        List<Map<String, Object>> answers = poll(create, started);
        assertThat(answers).extracting(a -> a.get("IsComplete")).containsExactly(false, false, true);
        assertThat(answers.get(2).get("Data")).isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V1)));
        assertThat(personalize.operations()).containsExactly("CreateDataset", "DescribeDataset", "DescribeDataset",
                "DescribeDataset");
        assertThat(dataset(ITEMS_ARN).status()).isEqualTo("ACTIVE");

        List<JsonNode> lines = new ArrayList<>();
        for (String line : logs) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).extracting(l -> l.get("status").asText())
                .containsExactly("CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE");
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.get("event").asText()).isEqualTo("datasetStatus");
            assertThat(l.get("datasetType").asText()).isEqualTo("ITEMS");
            assertThat(l.get("datasetArn").asText()).isEqualTo(ITEMS_ARN);
        });
        assertThat(lines.get(2).get("elapsedSeconds").asLong()).isEqualTo(40);
    }

    @Test
    void aRetriedCreateAdoptsTheDatasetItCreatedInsteadOfMakingAnother() {
        Map<String, Object> create = event("Create", items(ITEMS_V1));
        Map<String, Object> first = lifecycle.onEvent(create);
        Map<String, Object> retried = lifecycle.onEvent(create);

        // a dataset still being created holds no data: the retry takes it for its own, as a rollback may delete it
        assertThat(first.get("PhysicalResourceId")).isEqualTo(ITEMS_ARN);
        assertThat(retried.get("PhysicalResourceId")).isEqualTo(ITEMS_ARN);
        assertThat(emulator.datasets()).hasSize(1);
        assertThat(writes()).containsExactly("CreateDataset", "CreateDataset");
        assertThat(poll(create, retried)).last().extracting(a -> a.get("Data"))
                .isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V1)));
    }

    @Test
    void aDatasetKeptByAnEarlierDeployIsAdoptedAndMovedToTheRequestedSchema() {
        createItems();
        // the stack was deleted with the dataset retained; a new stack asks for it with the new schema
        Map<String, Object> create = event("Create", items(ITEMS_V2));
        Map<String, Object> started = lifecycle.onEvent(create);

        assertThat(started.get("PhysicalResourceId")).isEqualTo(ITEMS_ADOPTED);
        assertThat(writes()).containsExactly("CreateDataset", "UpdateDataset");
        assertThat(lastBody("UpdateDataset").get("datasetArn").asText()).isEqualTo(ITEMS_ARN);
        assertThat(lastBody("UpdateDataset").get("schemaArn").asText()).isEqualTo(schemaArns.get(ITEMS_V2));
        List<Map<String, Object>> answers = poll(create, started);
        assertThat(answers.get(answers.size() - 1).get("Data"))
                .isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V2)));
        assertThat(dataset(ITEMS_ARN).schemaArn()).isEqualTo(schemaArns.get(ITEMS_V2));
    }

    @Test
    void anAdoptedDatasetIsMarkedInThePhysicalIdWhileItsDataArnStaysPlain() throws Exception {
        createItems();
        Map<String, Object> create = event("Create", items(ITEMS_V1));
        Map<String, Object> started = lifecycle.onEvent(create);

        assertThat(started.get("PhysicalResourceId")).isEqualTo(ITEMS_ADOPTED);
        assertThat(DatasetSpec.datasetArnOf(ITEMS_ADOPTED)).isEqualTo(ITEMS_ARN);
        assertThat(started.get("Data")).isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V1)));
        assertThat(poll(create, started)).last().extracting(a -> a.get("Data"))
                .isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V1)));
        assertThat(writes()).containsExactly("CreateDataset");
        JsonNode adopted = JSON.readTree(logs.stream().filter(l -> l.contains("\"datasetAdopted\"")).findFirst()
                .orElseThrow());
        assertThat(adopted.get("datasetArn").asText()).isEqualTo(ITEMS_ARN);
        assertThat(adopted.get("physicalResourceId").asText()).isEqualTo(ITEMS_ADOPTED);
    }

    @Test
    void anotherDatasetOfTheTypeInTheGroupFailsNamingItAndTheWayOut() {
        createItems();
        Map<String, Object> create = event("Create", props("catalog", "ITEMS", group, ITEMS_V1));

        assertThatThrownBy(() -> lifecycle.onEvent(create))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataset group " + group + " already holds a ITEMS dataset, shop-items (" + ITEMS_ARN
                        + ", schema " + schemaArns.get(ITEMS_V1) + "), and a group holds one dataset of each type: "
                        + "delete that dataset, or import it with Dataset.fromDatasetArn instead of creating catalog");
        assertThat(writes()).containsExactly("CreateDataset");
    }

    @Test
    void aFailedCreateDeletesTheFailedDatasetAndFailsWithPersonalizesReason() {
        emulator.datasetProgression(Progression.failAfterPolls(2, "Internal error"));
        Map<String, Object> create = event("Create", items(ITEMS_V1));
        Map<String, Object> started = lifecycle.onEvent(create);
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(create, started);

        assertThat(lifecycle.isComplete(poll).get("IsComplete")).isEqualTo(false);
        // Personalize's Dataset carries no failureReason: the status is all it reports
        assertThatThrownBy(() -> lifecycle.isComplete(poll))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataset " + ITEMS_ARN + " failed: (Personalize gave no failureReason)");
        assertThat(writes()).containsExactly("CreateDataset", "DeleteDataset");
        assertThat(dataset(ITEMS_ARN).status()).isEqualTo("DELETE PENDING");
        assertThat(logs).anySatisfy(l -> assertThat(l).contains("\"event\":\"failedDatasetCleanup\"")
                .contains("\"outcome\":\"deleted\""));
    }

    @Test
    void aMissingSchemaOrGroupGivesAClearError() {
        Map<String, Object> props = items(ITEMS_V1);
        props.put(DatasetResource.SCHEMA_ARN, ACCOUNT + ":schema/gone");
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Personalize cannot find dataset group " + group + " or schema " + ACCOUNT
                        + ":schema/gone in region us-east-1 (")
                .hasMessageEndingWith("); check that both exist in this account and region");
    }

    @Test
    void aGroupInAnotherRegionFailsBeforeAnyCall() {
        Map<String, Object> props = items(ITEMS_V1);
        props.put(DatasetResource.DATASET_GROUP_ARN, "arn:aws:personalize:eu-west-1:123456789012:dataset-group/shop");
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dataset group arn:aws:personalize:eu-west-1:123456789012:dataset-group/shop is in "
                        + "region eu-west-1 but this handler runs in us-east-1; a dataset must be created in its "
                        + "dataset group's region");
        assertThat(emulator.requests()).isEmpty();
    }

    @Test
    void aDatasetStillCreatingAfterTheTimeoutFailsNamingItAndItsLastStatus() {
        emulator.datasetProgression(Progression.neverCompletes());
        Map<String, Object> create = event("Create", items(ITEMS_V1));
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(create, lifecycle.onEvent(create));

        assertThat(lifecycle.isComplete(poll).get("IsComplete")).isEqualTo(false);
        emulator.clock().advance(Duration.ofMinutes(50).plusSeconds(1));
        assertThatThrownBy(() -> lifecycle.isComplete(poll))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("timed out after 3001 s (timeout 3000 s) waiting for dataset " + ITEMS_ARN
                        + "; last status CREATE IN_PROGRESS. The operation goes on in Personalize; deploy again once "
                        + "DescribeDataset shows it has ended");
    }

    // ---- Update

    @Test
    void aNewSchemaIsAppliedInPlaceWithOneUpdateDatasetAndWaitedOn() {
        String arn = createItems();
        Map<String, Object> update = update(arn, items(ITEMS_V1), items(ITEMS_V2));
        Map<String, Object> started = lifecycle.onEvent(update);

        assertThat(started.get("PhysicalResourceId")).isEqualTo(arn);
        assertThat(writes()).containsExactly("UpdateDataset");
        assertThat(lastBody("UpdateDataset").get("datasetArn").asText()).isEqualTo(arn);
        assertThat(lastBody("UpdateDataset").get("schemaArn").asText()).isEqualTo(schemaArns.get(ITEMS_V2));

        List<Map<String, Object>> answers = poll(update, started);
        assertThat(answers).extracting(a -> a.get("IsComplete")).containsExactly(false, false, true);
        assertThat(answers.get(2).get("Data")).isEqualTo(data(arn, "shop-items", schemaArns.get(ITEMS_V2)));
        DatasetState state = dataset(arn);
        assertThat(state.schemaArn()).isEqualTo(schemaArns.get(ITEMS_V2));
        assertThat(state.updateStatus()).isEqualTo("ACTIVE");
        assertThat(emulator.datasets()).hasSize(1);
        assertThat(writes()).containsExactly("UpdateDataset");
        assertThat(logs.subList(logs.size() - 3, logs.size())).allSatisfy(l -> assertThat(l).contains(arn))
                .extracting(DatasetLifecycleTest::status)
                .containsExactly("UPDATE PENDING", "UPDATE IN_PROGRESS", "ACTIVE");
    }

    @Test
    void aRetriedSchemaUpdateWaitsForTheRunningOneInsteadOfStartingAnother() {
        String arn = createItems();
        Map<String, Object> update = update(arn, items(ITEMS_V1), items(ITEMS_V2));
        lifecycle.onEvent(update);
        Map<String, Object> retried = lifecycle.onEvent(update);

        assertThat(retried.get("PhysicalResourceId")).isEqualTo(arn);
        assertThat(writes()).containsExactly("UpdateDataset");
        assertThat(poll(update, retried)).last().extracting(a -> a.get("IsComplete")).isEqualTo(true);
    }

    @Test
    void aFailedSchemaUpdateFailsWithPersonalizesReasonVerbatim() {
        String arn = createItems();
        String reason = "Schema update failed: the dataset has an active solution version training";
        emulator.datasetUpdateProgression(Progression.failAfterPolls(2, reason));
        Map<String, Object> update = update(arn, items(ITEMS_V1), items(ITEMS_V2));
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(update, lifecycle.onEvent(update));

        assertThat(lifecycle.isComplete(poll).get("IsComplete")).isEqualTo(false);
        assertThatThrownBy(() -> lifecycle.isComplete(poll))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the schema update of dataset " + arn + " to schema " + schemaArns.get(ITEMS_V2)
                        + " failed: " + reason);
        assertThat(dataset(arn).schemaArn()).isEqualTo(schemaArns.get(ITEMS_V1));
    }

    @Test
    void aSchemaUpdateOfAnAdoptedDatasetKeepsTheAdoptedPhysicalId() {
        String physicalId = adoptItems();
        Map<String, Object> update = update(physicalId, items(ITEMS_V1), items(ITEMS_V2));
        Map<String, Object> started = lifecycle.onEvent(update);

        // another physical id would make CloudFormation take the Update for a replacement
        assertThat(started.get("PhysicalResourceId")).isEqualTo(ITEMS_ADOPTED);
        assertThat(writes()).containsExactly("UpdateDataset");
        assertThat(lastBody("UpdateDataset").get("datasetArn").asText()).isEqualTo(ITEMS_ARN);
        assertThat(poll(update, started)).last().extracting(a -> a.get("Data"))
                .isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V2)));
        assertThat(dataset(ITEMS_ARN).schemaArn()).isEqualTo(schemaArns.get(ITEMS_V2));

        // a later deploy that changes nothing keeps it too
        Map<String, Object> unchanged = update(ITEMS_ADOPTED, items(ITEMS_V2), items(ITEMS_V2));
        Map<String, Object> result = lifecycle.onEvent(unchanged);
        assertThat(result.get("PhysicalResourceId")).isEqualTo(ITEMS_ADOPTED);
        assertThat(result.get("Data")).isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V2)));
    }

    @Test
    void theRollbackOfASchemaChangeOfAnAdoptedDatasetKeepsTheAdoptedPhysicalId() {
        String physicalId = adoptItems();
        Map<String, Object> forward = update(physicalId, items(ITEMS_V1), items(ITEMS_V2));
        poll(forward, lifecycle.onEvent(forward));
        emulator.stackStatus(STACK_ID, StackStatus.UPDATE_ROLLBACK_IN_PROGRESS);
        Map<String, Object> rollback = update(physicalId, items(ITEMS_V2), items(ITEMS_V1));
        Map<String, Object> result = lifecycle.onEvent(rollback);

        assertThat(result.get("PhysicalResourceId")).isEqualTo(ITEMS_ADOPTED);
        assertThat(result.get("Data")).isEqualTo(data(ITEMS_ARN, "shop-items", schemaArns.get(ITEMS_V2)));
        assertThat(writes()).containsExactly("UpdateDataset");
    }

    static Stream<Arguments> refusedChanges() {
        return Stream.of(
                Arguments.of("a removed field", "ITEMS", ITEMS_V1, ITEMS_NO_PRICE,
                        "field PRICE was removed; a schema replacement must keep every field of the current schema "
                                + "(Personalize rule); keep PRICE, or create a new dataset"),
                Arguments.of("a new field that does not allow null", "ITEMS", ITEMS_V1, ITEMS_REQUIRED_COLOR,
                        "new field COLOR is not nullable; new fields must allow null: declare it as "
                                + "[\"null\",\"string\"]"),
                Arguments.of("an INTERACTIONS dataset", "INTERACTIONS", INTERACTIONS_V1, INTERACTIONS_V2,
                        "INTERACTIONS datasets cannot change schema (Personalize replaces schemas of ITEMS and USERS "
                                + "datasets only); keep the current schema, or create a new dataset"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedChanges")
    void aSchemaChangePersonalizeWouldRefuseFailsBeforeAnyWriteCallNamingTheRule(String change, String type,
            String from, String to, String rule) {
        String name = "shop-" + type.toLowerCase(Locale.ROOT);
        Map<String, Object> before = props(name, type, group, from);
        String arn = (String) runToCompletion(event("Create", before)).get("PhysicalResourceId");
        emulator.resetRequests();

        Map<String, Object> after = props(name, type, group, to);
        assertThatThrownBy(() -> lifecycle.onEvent(update(arn, before, after)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dataset " + name + " (" + arn + ") cannot take schema " + schemaArns.get(to)
                        + ": the change breaks Personalize's schema-replacement rules: (1) ")
                .hasMessageContaining(rule);
        assertThat(writes()).isEmpty();
        // one read tells a retry or rollback (dataset already on the target) and the stack's status a rollback
        assertThat(personalize.operations()).containsExactly("DescribeDataset", "DescribeStacks");
        assertThat(dataset(arn).schemaArn()).isEqualTo(schemaArns.get(from));
    }

    @Test
    void theRollbackOfAnAppliedSchemaChangeKeepsTheNewFieldsAndSucceeds() {
        String arn = createItems();
        Map<String, Object> forward = update(arn, items(ITEMS_V1), items(ITEMS_V2));
        poll(forward, lifecycle.onEvent(forward));
        emulator.resetRequests();
        // a later resource of the same deploy failed: CloudFormation sends the old properties back
        emulator.stackStatus(STACK_ID, StackStatus.UPDATE_ROLLBACK_IN_PROGRESS);
        Map<String, Object> rollback = update(arn, items(ITEMS_V2), items(ITEMS_V1));
        Map<String, Object> result = lifecycle.onEvent(rollback);

        assertThat(result.get("Data")).isEqualTo(data(arn, "shop-items", schemaArns.get(ITEMS_V2)));
        assertThat(lifecycle.isComplete(EmulatedPersonalize.forIsComplete(rollback, result)).get("IsComplete"))
                .isEqualTo(true);
        assertThat(writes()).isEmpty();
        assertThat(dataset(arn).schemaArn()).isEqualTo(schemaArns.get(ITEMS_V2));
        assertThat(logs).last().asString().contains("\"event\":\"schemaRollbackKept\"")
                .contains("field COLOR was removed");
    }

    @Test
    void removingAFieldOutsideARollbackFailsEvenRightAfterTheFieldWasAdded() {
        String arn = createItems();
        Map<String, Object> forward = update(arn, items(ITEMS_V1), items(ITEMS_V2));
        poll(forward, lifecycle.onEvent(forward));

        assertThatThrownBy(() -> lifecycle.onEvent(update(arn, items(ITEMS_V2), items(ITEMS_V1))))
                .hasMessageContaining("field COLOR was removed");
        assertThat(dataset(arn).schemaArn()).isEqualTo(schemaArns.get(ITEMS_V2));
    }

    @Test
    void theRollbackOfARefusedChangeSucceedsWithoutAWriteCall() {
        String arn = createItems();
        assertThatThrownBy(() -> lifecycle.onEvent(update(arn, items(ITEMS_V1), items(ITEMS_NO_PRICE))))
                .hasMessageContaining("field PRICE was removed");
        // CloudFormation rolls back: from the refused properties to the ones in force
        Map<String, Object> rollback = update(arn, items(ITEMS_NO_PRICE), items(ITEMS_V1));
        Map<String, Object> result = lifecycle.onEvent(rollback);

        assertThat(result.get("PhysicalResourceId")).isEqualTo(arn);
        assertThat(lifecycle.isComplete(EmulatedPersonalize.forIsComplete(rollback, result)))
                .isEqualTo(Map.of("IsComplete", true, "Data", data(arn, "shop-items", schemaArns.get(ITEMS_V1))));
        assertThat(writes()).isEmpty();
        assertThat(personalize.operations()).containsExactly("DescribeDataset", "DescribeStacks", "DescribeDataset");
    }

    @Test
    void withoutDefinitionsPersonalizeJudgesTheChange() {
        String arn = createItems();
        Map<String, Object> before = items(ITEMS_V1);
        before.remove(DatasetResource.SCHEMA_DEFINITION);
        Map<String, Object> after = items(ITEMS_NO_PRICE);
        after.remove(DatasetResource.SCHEMA_DEFINITION);

        assertThatThrownBy(() -> lifecycle.onEvent(update(arn, before, after)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Personalize rejected the schema update of dataset shop-items (" + arn
                        + ") to schema " + schemaArns.get(ITEMS_NO_PRICE) + ": InvalidInputException: ");
        assertThat(writes()).containsExactly("UpdateDataset");
    }

    @Test
    void anUnchangedUpdateCallsNoWriteOperation() {
        String arn = createItems();
        Map<String, Object> after = items(ITEMS_V1);
        // the same schema ARN with its definition text formatted differently changes nothing either
        after.put(DatasetResource.SCHEMA_DEFINITION, ITEMS_V1.replace(",", ", "));
        Map<String, Object> update = update(arn, items(ITEMS_V1), after);
        Map<String, Object> result = lifecycle.onEvent(update);

        assertThat(result.get("PhysicalResourceId")).isEqualTo(arn);
        assertThat(result.get("Data")).isEqualTo(data(arn, "shop-items", schemaArns.get(ITEMS_V1)));
        assertThat(lifecycle.isComplete(EmulatedPersonalize.forIsComplete(update, result)))
                .isEqualTo(Map.of("IsComplete", true, "Data", data(arn, "shop-items", schemaArns.get(ITEMS_V1))));
        assertThat(emulator.requests()).isEmpty();
    }

    static Stream<Arguments> replacements() {
        return Stream.of(
                Arguments.of("another type", "shop-users", "USERS", false, USERS_V1,
                        ACCOUNT + ":dataset/shop/USERS"),
                Arguments.of("another group", "shop-eu-items", "ITEMS", true, ITEMS_V1,
                        ACCOUNT + ":dataset/shop-eu/ITEMS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replacements")
    void aNewTypeOrGroupIsANewDatasetWithANewPhysicalId(String change, String name, String type,
            boolean otherGroupArn, String definition, String expectedArn) {
        String arn = createItems();
        Map<String, Object> after = props(name, type, otherGroupArn ? otherGroup : group, definition);
        Map<String, Object> replaced = runToCompletion(update(arn, items(ITEMS_V1), after));

        assertThat(replaced.get("PhysicalResourceId")).isEqualTo(expectedArn).isNotEqualTo(arn);
        assertThat(replaced).containsEntry(DatasetResource.ATT_DATASET_ARN, expectedArn)
                .containsEntry(DatasetResource.ATT_DATASET_NAME, name);
        assertThat(writes()).containsExactly("CreateDataset");
        assertThat(dataset(arn).status()).isEqualTo("ACTIVE");

        // CloudFormation then deletes the old dataset during cleanup
        runToCompletion(delete(arn, items(ITEMS_V1)));
        assertThat(dataset(arn)).isNull();
        assertThat(dataset(expectedArn).status()).isEqualTo("ACTIVE");
    }

    @Test
    void aNewNameInTheSameGroupFailsExplainingThatTheGroupHoldsOneDatasetOfTheType() {
        String arn = createItems();
        Map<String, Object> after = props("catalog", "ITEMS", group, ITEMS_V1);

        assertThatThrownBy(() -> lifecycle.onEvent(update(arn, items(ITEMS_V1), after)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataset shop-items (" + arn + ") cannot be replaced by a dataset named catalog in the "
                        + "same dataset group: a group holds one ITEMS dataset, and CloudFormation deletes the old "
                        + "dataset only after its replacement exists; keep the name shop-items, or give the dataset "
                        + "another dataset group");
        assertThat(writes()).containsExactly("CreateDataset");
    }

    // ---- Delete

    @Test
    void deleteIsWaitedOnUntilPersonalizeNoLongerFindsTheDataset() {
        String arn = createItems();
        Map<String, Object> delete = delete(arn, items(ITEMS_V1));
        Map<String, Object> started = lifecycle.onEvent(delete);

        assertThat(started.get("PhysicalResourceId")).isEqualTo(arn);
        assertThat(started).doesNotContainKey("Data");
        List<Map<String, Object>> answers = poll(delete, started);
        assertThat(answers).containsExactly(Map.of("IsComplete", false), Map.of("IsComplete", true));
        assertThat(personalize.operations()).containsExactly("DeleteDataset", "DescribeDataset", "DescribeDataset");
        assertThat(emulator.datasets()).isEmpty();
    }

    @ParameterizedTest(name = "physical id {0}")
    @ValueSource(strings = {"AWSCDK::CustomResourceProviderFramework::CREATE_FAILED",
            "8f2c5d1e-request-id-of-a-failed-create",
            "arn:aws:personalize:us-east-1:123456789012:dataset/shop/ITEMS#imported"})
    void deleteOfSomethingThatIsNoDatasetSucceedsWithoutCalls(String physicalId) {
        Map<String, Object> delete = delete(physicalId, items(ITEMS_V1));
        Map<String, Object> result = lifecycle.onEvent(delete);

        assertThat(result.get("PhysicalResourceId")).isEqualTo(physicalId);
        assertThat(lifecycle.isComplete(EmulatedPersonalize.forIsComplete(delete, result)))
                .isEqualTo(Map.of("IsComplete", true));
        assertThat(emulator.requests()).isEmpty();
    }

    @Test
    void deleteOfADatasetThatIsAlreadyGoneSucceeds() {
        Map<String, Object> delete = delete(ITEMS_ARN, items(ITEMS_V1));
        Map<String, Object> result = lifecycle.onEvent(delete);

        assertThat(lifecycle.isComplete(EmulatedPersonalize.forIsComplete(delete, result)))
                .isEqualTo(Map.of("IsComplete", true));
        assertThat(personalize.operations()).containsExactly("DeleteDataset");
    }

    @Test
    void aRetriedDeleteWaitsForTheDeletionItStarted() {
        String arn = createItems();
        emulator.deleteAfterPolls(3);
        Map<String, Object> delete = delete(arn, items(ITEMS_V1));
        lifecycle.onEvent(delete);
        Map<String, Object> retried = lifecycle.onEvent(delete);

        assertThat(poll(delete, retried)).last().isEqualTo(Map.of("IsComplete", true));
        assertThat(emulator.datasets()).isEmpty();
    }

    // ---- Delete of an adopted dataset: a rollback keeps it

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StackStatus.ROLLBACK_IN_PROGRESS, StackStatus.UPDATE_ROLLBACK_IN_PROGRESS,
            StackStatus.UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS})
    void aRollbackKeepsAnAdoptedDatasetWithoutAWriteCall(String stackStatus) throws Exception {
        String physicalId = adoptItems();
        // e.g. an import job of the same deploy failed: CloudFormation undoes the "create" of the dataset
        emulator.stackStatus(STACK_ID, stackStatus);
        Map<String, Object> delete = delete(physicalId, items(ITEMS_V1));
        Map<String, Object> result = lifecycle.onEvent(delete);

        assertThat(result.get("PhysicalResourceId")).isEqualTo(ITEMS_ADOPTED);
        assertThat(lifecycle.isComplete(EmulatedPersonalize.forIsComplete(delete, result)))
                .isEqualTo(Map.of("IsComplete", true));
        assertThat(writes()).isEmpty();
        assertThat(personalize.operations()).containsExactly("DescribeStacks");
        assertThat(dataset(ITEMS_ARN).status()).isEqualTo("ACTIVE");
        assertThat(logs).singleElement().satisfies(line -> {
            JsonNode kept = JSON.readTree(line);
            assertThat(kept.get("event").asText()).isEqualTo("adoptedDatasetKept");
            assertThat(kept.get("datasetArn").asText()).isEqualTo(ITEMS_ARN);
            assertThat(kept.get("stackStatus").asText()).isEqualTo(stackStatus);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {StackStatus.DELETE_IN_PROGRESS, StackStatus.UPDATE_COMPLETE_CLEANUP_IN_PROGRESS})
    void aStackDeleteOrReplacementDeletesAnAdoptedDatasetAndWaitsOnIt(String stackStatus) {
        String physicalId = adoptItems();
        // the removal policy is DESTROY: CloudFormation sends Delete only then
        emulator.stackStatus(STACK_ID, stackStatus);
        Map<String, Object> delete = delete(physicalId, items(ITEMS_V1));
        Map<String, Object> started = lifecycle.onEvent(delete);

        assertThat(started.get("PhysicalResourceId")).isEqualTo(ITEMS_ADOPTED);
        assertThat(lastBody("DeleteDataset").get("datasetArn").asText()).isEqualTo(ITEMS_ARN);
        assertThat(poll(delete, started)).containsExactly(Map.of("IsComplete", false), Map.of("IsComplete", true));
        assertThat(personalize.operations()).containsExactly("DescribeStacks", "DeleteDataset", "DescribeDataset",
                "DescribeDataset");
        assertThat(emulator.datasets()).isEmpty();
        assertThat(logs).noneMatch(l -> l.contains("adoptedDatasetKept"));
    }

    @Test
    void anAdoptedDatasetIsKeptWhenTheStacksStatusCannotBeRead() throws Exception {
        String physicalId = adoptItems();
        Map<String, Object> delete = delete(physicalId, items(ITEMS_V1));
        // a stack DescribeStacks does not know (or a missing permission): the safe side is to keep the data
        delete.put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/Unknown/guid");
        Map<String, Object> result = lifecycle.onEvent(delete);

        assertThat(result.get("PhysicalResourceId")).isEqualTo(ITEMS_ADOPTED);
        assertThat(lifecycle.isComplete(EmulatedPersonalize.forIsComplete(delete, result)))
                .isEqualTo(Map.of("IsComplete", true));
        assertThat(writes()).isEmpty();
        assertThat(dataset(ITEMS_ARN).status()).isEqualTo("ACTIVE");
        JsonNode kept = JSON.readTree(logs.get(logs.size() - 1));
        assertThat(kept.get("event").asText()).isEqualTo("adoptedDatasetKept");
        assertThat(kept.get("datasetArn").asText()).isEqualTo(ITEMS_ARN);
        assertThat(kept.get("stackStatus").isNull()).isTrue();
        assertThat(kept.get("reason").asText()).startsWith("the stack's status cannot be read (");

        // without any CloudFormation client, likewise
        DatasetLifecycle blind = new DatasetLifecycle(personalize.client(), StackStatus.unknown(),
                personalize.clock(), EmulatedPersonalize.REGION, logs::add);
        assertThat(blind.onEvent(delete(physicalId, items(ITEMS_V1))).get("PhysicalResourceId"))
                .isEqualTo(ITEMS_ADOPTED);
        assertThat(writes()).isEmpty();
        assertThat(dataset(ITEMS_ARN).status()).isEqualTo("ACTIVE");
    }

    @Test
    void aRollbackDeletesADatasetThisResourceCreated() {
        String arn = createItems();
        emulator.stackStatus(STACK_ID, StackStatus.ROLLBACK_IN_PROGRESS);
        Map<String, Object> delete = delete(arn, items(ITEMS_V1));
        Map<String, Object> started = lifecycle.onEvent(delete);

        assertThat(started.get("PhysicalResourceId")).isEqualTo(ITEMS_ARN);
        assertThat(poll(delete, started)).last().isEqualTo(Map.of("IsComplete", true));
        // no need to read the stack's status: what this resource created goes, so that a retry can create it again
        assertThat(personalize.operations()).containsExactly("DeleteDataset", "DescribeDataset", "DescribeDataset");
        assertThat(emulator.datasets()).isEmpty();
    }

    @Test
    void theNextDeployAdoptsTheDatasetARollbackKept() {
        String physicalId = adoptItems();
        emulator.stackStatus(STACK_ID, StackStatus.ROLLBACK_IN_PROGRESS);
        lifecycle.onEvent(delete(physicalId, items(ITEMS_V1)));
        emulator.stackStatus(STACK_ID, "CREATE_IN_PROGRESS");

        assertThat(runToCompletion(event("Create", items(ITEMS_V1))))
                .containsEntry("PhysicalResourceId", ITEMS_ADOPTED)
                .containsEntry(DatasetResource.ATT_DATASET_ARN, ITEMS_ARN);
        assertThat(emulator.datasets()).hasSize(1);
    }

    @Test
    void unknownPropertyValuesAreNamed() {
        Map<String, Object> props = items(ITEMS_V1);
        props.put(DatasetResource.DATASET_TYPE, "PRODUCTS");
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props)))
                .hasMessage("resource property " + DatasetResource.DATASET_TYPE + " is \"PRODUCTS\"; allowed: "
                        + "INTERACTIONS, ITEMS, USERS, ACTIONS, ACTION_INTERACTIONS");
        props.put(DatasetResource.DATASET_TYPE, "ITEMS");
        props.remove(DatasetResource.SCHEMA_ARN);
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props)))
                .hasMessage("resource property " + DatasetResource.SCHEMA_ARN + " is required");
        assertThat(emulator.requests()).isEmpty();
    }

    // ---- another operation holds the dataset (ResourceInUseException): tried again on later isComplete calls

    @Test
    void aCreateRefusedWhileTheGroupIsInUseIsTriedAgainUntilItStarts() {
        emulator.resourceInUseNext("CreateDataset", 2);
        Map<String, Object> create = event("Create", items(ITEMS_V1));
        Map<String, Object> started = lifecycle.onEvent(create);
        assertThat(started.get("PhysicalResourceId")).isEqualTo(ITEMS_ARN);

        List<Map<String, Object>> answers = poll(create, started);
        assertThat(answers.get(answers.size() - 1).get("Data")).isEqualTo(data(ITEMS_ARN, "shop-items",
                schemaArns.get(ITEMS_V1)));
        assertThat(emulator.count("CreateDataset")).isEqualTo(3);
        assertThat(dataset(ITEMS_ARN).status()).isEqualTo("ACTIVE");
        assertThat(logs).filteredOn(l -> l.contains("\"event\":\"datasetInUse\"")).hasSize(2);
    }

    @Test
    void aSchemaUpdateRefusedWhileTheDatasetIsInUseIsTriedAgainUntilItStarts() {
        String arn = createItems();
        emulator.resourceInUseNext("UpdateDataset", 1);
        Map<String, Object> update = update(arn, items(ITEMS_V1), items(ITEMS_V2));
        Map<String, Object> started = lifecycle.onEvent(update);

        List<Map<String, Object>> answers = poll(update, started);
        assertThat(answers.get(answers.size() - 1).get("Data")).isEqualTo(data(arn, "shop-items",
                schemaArns.get(ITEMS_V2)));
        assertThat(emulator.count("UpdateDataset")).isEqualTo(2);
        assertThat(dataset(arn).schemaArn()).isEqualTo(schemaArns.get(ITEMS_V2));
    }

    @Test
    void aDeleteRefusedWhileAJobRunsOnTheDatasetIsTriedAgainUntilItIsGone() {
        String arn = createItems();
        emulator.resourceInUseNext("DeleteDataset", 2);
        Map<String, Object> delete = delete(arn, items(ITEMS_V1));
        Map<String, Object> started = lifecycle.onEvent(delete);
        assertThat(started.get("PhysicalResourceId")).isEqualTo(arn);

        List<Map<String, Object>> answers = poll(delete, started);
        assertThat(answers.get(answers.size() - 1)).isEqualTo(Map.of("IsComplete", true));
        assertThat(emulator.count("DeleteDataset")).isEqualTo(3);
        assertThat(emulator.datasets()).isEmpty();
    }
}
