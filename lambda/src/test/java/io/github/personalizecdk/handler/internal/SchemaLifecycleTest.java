package io.github.personalizecdk.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.personalizecdk.contract.SchemaResource;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator.SchemaState;
import io.github.personalizecdk.handler.emulator.Progression;
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

/** Every branch of the schema lifecycle, with the real SDK client over HTTP against the emulated Personalize. */
class SchemaLifecycleTest {
    private static final String LOGICAL_ID = "ItemsSchema1A2B3C4D";
    static final String ACCOUNT = "arn:aws:personalize:us-east-1:" + PersonalizeEmulator.ACCOUNT;
    static final String ITEMS_ARN = ACCOUNT + ":schema/shop-items";
    static final String SERVICE_TOKEN = "arn:aws:lambda:us-east-1:" + PersonalizeEmulator.ACCOUNT
            + ":function:Shop-framework-onEvent";
    static final String FAILED_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED";

    static final String ITEMS_V1 = DatasetLifecycleTest.ITEMS_V1;
    static final String ITEMS_V2 = DatasetLifecycleTest.ITEMS_V2;
    /** ITEMS_V1 with other whitespace and key order: the same JSON. */
    static final String ITEMS_V1_REFORMATTED = """
            {
              "name": "Items", "type": "record", "version": "1.0",
              "namespace": "com.amazonaws.personalize.schema",
              "fields": [
                {"type": "string", "name": "ITEM_ID"},
                {"name": "PRICE",  "type": "float"},
                {"categorical": true, "name": "GENRES", "type": ["null", "string"]}
              ]
            }
            """;

    private EmulatedPersonalize personalize;
    private PersonalizeEmulator emulator;
    private SchemaLifecycle lifecycle;
    private final List<String> logs = new ArrayList<>();

    @BeforeEach
    void start() {
        personalize = new EmulatedPersonalize();
        emulator = personalize.emulator();
        lifecycle = new SchemaLifecycle(personalize.client(), personalize.clock(), EmulatedPersonalize.REGION,
                logs::add);
    }

    @AfterEach
    void stop() {
        personalize.close();
    }

    // ---- events

    static Map<String, Object> props(String name, String definition, String domain) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("ServiceToken", SERVICE_TOKEN);
        p.put(SchemaResource.SCHEMA_NAME, name);
        p.put(SchemaResource.DEFINITION, definition);
        if (domain != null) {
            p.put(SchemaResource.DOMAIN, domain);
        }
        return p;
    }

    static Map<String, Object> event(String requestType, Map<String, Object> props) {
        return CloudFormationEvents.event(SchemaResource.TYPE, LOGICAL_ID, requestType, props);
    }

    static Map<String, Object> update(String physicalId, Map<String, Object> before, Map<String, Object> after) {
        return CloudFormationEvents.update(SchemaResource.TYPE, LOGICAL_ID, physicalId, before, after);
    }

    static Map<String, Object> delete(String physicalId, Map<String, Object> props) {
        return CloudFormationEvents.delete(SchemaResource.TYPE, LOGICAL_ID, physicalId, props);
    }

    /** Runs one request as the Provider framework does: onEvent, then one isComplete, which must answer complete. */
    private Map<String, Object> run(Map<String, Object> request) {
        Map<String, Object> started = lifecycle.onEvent(request);
        Map<String, Object> answer = lifecycle.isComplete(EmulatedPersonalize.forIsComplete(request, started));
        assertThat(answer).containsEntry("IsComplete", true);
        Map<String, Object> out = new LinkedHashMap<>(answer);
        out.put("PhysicalResourceId", started.get("PhysicalResourceId"));
        return out;
    }

    private void createDirectly(String name, String definition, String domain) {
        personalize.client().createSchema(r -> r.name(name).schema(definition).domain(domain));
        emulator.resetRequests();
    }

    // ---- create

    @Test
    void createCreatesTheSchemaAndAnswersItsArnAtOnce() {
        Map<String, Object> started = lifecycle.onEvent(event("Create", props("shop-items", ITEMS_V1, null)));

        assertThat(started).containsEntry("PhysicalResourceId", ITEMS_ARN)
                .containsEntry("Data", Map.of(SchemaResource.ATT_SCHEMA_ARN, ITEMS_ARN));
        assertThat(personalize.operations()).containsExactly("CreateSchema");
        assertThat(personalize.lastBody("CreateSchema").get("name").asText()).isEqualTo("shop-items");
        assertThat(personalize.lastBody("CreateSchema").get("schema").asText()).isEqualTo(ITEMS_V1);
        assertThat(personalize.lastBody("CreateSchema").has("domain")).isFalse();

        Map<String, Object> complete = lifecycle.isComplete(EmulatedPersonalize.forIsComplete(
                event("Create", props("shop-items", ITEMS_V1, null)), started));
        assertThat(complete).isEqualTo(Map.of("IsComplete", true,
                "Data", Map.of(SchemaResource.ATT_SCHEMA_ARN, ITEMS_ARN)));
        assertThat(personalize.operations()).as("no status to wait for").containsExactly("CreateSchema");
        assertThat(emulator.schemas()).containsExactly(new SchemaState("shop-items", ITEMS_ARN, null, ITEMS_V1));
        assertThat(logs).isEmpty();
    }

    @Test
    void aDomainSchemaIsCreatedWithItsDomain() {
        String definition = DatasetLifecycleTest.schema("Interactions", "{\"name\":\"USER_ID\",\"type\":\"string\"}",
                "{\"name\":\"ITEM_ID\",\"type\":\"string\"}", "{\"name\":\"EVENT_TYPE\",\"type\":\"string\"}",
                "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}");

        Map<String, Object> created = run(event("Create", props("shop-interactions", definition, "ECOMMERCE")));

        assertThat(created.get("PhysicalResourceId")).isEqualTo(ACCOUNT + ":schema/shop-interactions");
        assertThat(personalize.lastBody("CreateSchema").get("domain").asText()).isEqualTo("ECOMMERCE");
        assertThat(emulator.schemas()).extracting(SchemaState::domain).containsExactly("ECOMMERCE");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"same text", "other whitespace and key order"})
    void anIdenticalExistingSchemaIsAdopted(String form) {
        createDirectly("shop-items", ITEMS_V1, null);
        String requested = form.equals("same text") ? ITEMS_V1 : ITEMS_V1_REFORMATTED;

        Map<String, Object> created = run(event("Create", props("shop-items", requested, null)));

        assertThat(created.get("PhysicalResourceId")).isEqualTo(ITEMS_ARN);
        assertThat(created.get("Data")).isEqualTo(Map.of(SchemaResource.ATT_SCHEMA_ARN, ITEMS_ARN));
        assertThat(personalize.operations()).containsExactly("CreateSchema", "DescribeSchema");
        assertThat(personalize.lastBody("DescribeSchema").get("schemaArn").asText()).isEqualTo(ITEMS_ARN);
        assertThat(emulator.schemas()).hasSize(1);
        assertThat(logs).containsExactly("{\"event\":\"schemaAdopted\",\"schemaArn\":\"" + ITEMS_ARN
                + "\",\"schemaName\":\"shop-items\"}");
    }

    @Test
    void anIdenticalDomainSchemaIsAdopted() {
        createDirectly("shop-items", ITEMS_V1, "VIDEO_ON_DEMAND");

        assertThat(run(event("Create", props("shop-items", ITEMS_V1, "VIDEO_ON_DEMAND"))).get("PhysicalResourceId"))
                .isEqualTo(ITEMS_ARN);
        assertThat(logs).singleElement().asString().contains("schemaAdopted");
    }

    @Test
    void withoutServiceTokenTheArnOfAnExistingSchemaComesFromTheStackId() {
        createDirectly("shop-items", ITEMS_V1, null);
        Map<String, Object> props = props("shop-items", ITEMS_V1, null);
        props.remove("ServiceToken");

        assertThat(run(event("Create", props)).get("PhysicalResourceId")).isEqualTo(ITEMS_ARN);
    }

    @Test
    void anExistingSchemaWithAnotherDefinitionIsRefusedNamingWhatDiffers() {
        createDirectly("shop-items", ITEMS_V1, null);

        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props("shop-items", ITEMS_V2, null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("schema shop-items already exists (" + ITEMS_ARN + ") with another definition or "
                        + "domain, and a schema cannot change: field COLOR is only in this one. Give this schema "
                        + "another name (schemaName), or leave schemaName unset for a generated one that changes "
                        + "with the definition and domain");
        assertThat(personalize.operations()).containsExactly("CreateSchema", "DescribeSchema");
        assertThat(emulator.schemas()).extracting(SchemaState::definition).containsExactly(ITEMS_V1);
        assertThat(logs).isEmpty();
    }

    @Test
    void everyDifferenceIsNamed() {
        createDirectly("shop-items", ITEMS_V2, null);
        String changed = DatasetLifecycleTest.schema("Products", "{\"name\":\"ITEM_ID\",\"type\":\"string\"}",
                "{\"name\":\"PRICE\",\"type\":\"int\"}",
                "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}");

        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props("shop-items", changed, null))))
                .hasMessageContaining("a schema cannot change: \"name\" is \"Items\" in the existing schema, "
                        + "\"Products\" in this one; field PRICE is {\"name\":\"PRICE\",\"type\":\"float\"} in the "
                        + "existing schema, {\"name\":\"PRICE\",\"type\":\"int\"} in this one; field COLOR is only "
                        + "in the existing schema. Give");
    }

    @Test
    void fieldsInAnotherOrderAreAnotherSchema() {
        createDirectly("shop-items", ITEMS_V1, null);
        String reordered = DatasetLifecycleTest.schema("Items", "{\"name\":\"PRICE\",\"type\":\"float\"}",
                "{\"name\":\"ITEM_ID\",\"type\":\"string\"}",
                "{\"name\":\"GENRES\",\"type\":[\"null\",\"string\"],\"categorical\":true}");

        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props("shop-items", reordered, null))))
                .hasMessageContaining("cannot change: the fields are in another order: existing ITEM_ID, PRICE, "
                        + "GENRES; this one PRICE, ITEM_ID, GENRES.");
    }

    @Test
    void anExistingSchemaWithAnotherDomainIsRefused() {
        createDirectly("shop-items", ITEMS_V1, null);

        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props("shop-items", ITEMS_V1, "ECOMMERCE"))))
                .hasMessageContaining("schema shop-items already exists (" + ITEMS_ARN + ")")
                .hasMessageContaining("a schema cannot change: the existing schema has no domain (custom), this one "
                        + "domain ECOMMERCE. Give this schema another name (schemaName), or leave schemaName unset");
    }

    @Test
    void otherRefusalsFailWithPersonalizesCodeAndMessage() {
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props("shop-items", "{\"type\":\"record\"}",
                null))))
                .hasMessageStartingWith("Personalize rejected schema shop-items: InvalidInputException: ");
        assertThat(emulator.schemas()).isEmpty();
    }

    @Test
    void missingPropertiesAreNamed() {
        Map<String, Object> props = props("shop-items", ITEMS_V1, null);
        props.remove(SchemaResource.DEFINITION);
        assertThatThrownBy(() -> lifecycle.onEvent(event("Create", props)))
                .hasMessage("resource property Definition is required");
        assertThat(emulator.requests()).isEmpty();
    }

    // ---- update

    @Test
    void aNewDefinitionUnderANewNameIsANewSchemaAndTheOldOneStays() {
        Map<String, Object> v1 = props("shop-items-1", ITEMS_V1, null);
        Map<String, Object> v2 = props("shop-items-2", ITEMS_V2, null);
        String first = (String) run(event("Create", v1)).get("PhysicalResourceId");

        Map<String, Object> updated = run(update(first, v1, v2));

        assertThat(updated.get("PhysicalResourceId")).isEqualTo(ACCOUNT + ":schema/shop-items-2")
                .isNotEqualTo(first);
        assertThat(updated.get("Data")).isEqualTo(Map.of(SchemaResource.ATT_SCHEMA_ARN,
                ACCOUNT + ":schema/shop-items-2"));
        assertThat(personalize.operations()).containsExactly("CreateSchema", "CreateSchema");
        assertThat(emulator.schemas()).extracting(SchemaState::name).containsExactly("shop-items-1", "shop-items-2");
    }

    @Test
    void aRollbackToAnExistingSchemaAdoptsIt() {
        Map<String, Object> v1 = props("shop-items-1", ITEMS_V1, null);
        Map<String, Object> v2 = props("shop-items-2", ITEMS_V2, null);
        String first = (String) run(event("Create", v1)).get("PhysicalResourceId");
        String second = (String) run(update(first, v1, v2)).get("PhysicalResourceId");

        Map<String, Object> rolledBack = run(update(second, v2, v1));

        assertThat(rolledBack.get("PhysicalResourceId")).isEqualTo(first);
        assertThat(logs).singleElement().asString().contains("\"schemaAdopted\"").contains(first);
    }

    @Test
    void aNewDefinitionUnderTheSameNameFailsNamingTheWayOut() {
        Map<String, Object> v1 = props("shop-items", ITEMS_V1, null);
        run(event("Create", v1));

        assertThatThrownBy(() -> lifecycle.onEvent(update(ITEMS_ARN, v1, props("shop-items", ITEMS_V2, null))))
                .hasMessageContaining("schema shop-items already exists")
                .hasMessageContaining("leave schemaName unset for a generated one");
        assertThat(emulator.schemas()).extracting(SchemaState::definition).containsExactly(ITEMS_V1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"same properties", "other whitespace and key order", "another ServiceToken"})
    void anUpdateWithTheSameSchemaCallsNothing(String change) {
        Map<String, Object> v1 = props("shop-items", ITEMS_V1, null);
        run(event("Create", v1));
        emulator.resetRequests();
        Map<String, Object> after = props("shop-items", change.startsWith("other") ? ITEMS_V1_REFORMATTED : ITEMS_V1,
                null);
        if (change.startsWith("another")) {
            after.put("ServiceToken", SERVICE_TOKEN + "-2");
        }

        Map<String, Object> updated = run(update(ITEMS_ARN, v1, after));

        assertThat(updated.get("PhysicalResourceId")).isEqualTo(ITEMS_ARN);
        assertThat(updated.get("Data")).isEqualTo(Map.of(SchemaResource.ATT_SCHEMA_ARN, ITEMS_ARN));
        assertThat(emulator.requests()).isEmpty();
    }

    // ---- delete

    @Test
    void deleteDeletesTheSchema() {
        Map<String, Object> v1 = props("shop-items", ITEMS_V1, null);
        run(event("Create", v1));

        Map<String, Object> deleted = run(delete(ITEMS_ARN, v1));

        assertThat(deleted).containsEntry("IsComplete", true).doesNotContainKey("Data");
        assertThat(personalize.operations()).containsExactly("CreateSchema", "DeleteSchema");
        assertThat(emulator.schemas()).isEmpty();
        assertThat(logs).isEmpty();
    }

    @Test
    void aSchemaADatasetStillUsesIsKeptAndTheDeleteSucceeds() {
        Map<String, Object> v1 = props("shop-items", ITEMS_V1, null);
        run(event("Create", v1));
        emulator.datasetGroupProgression(Progression.activeAfter(Duration.ZERO));
        emulator.defaultProgression(Progression.activeAfter(Duration.ZERO));
        String group = personalize.client().createDatasetGroup(r -> r.name("shop")).datasetGroupArn();
        personalize.client().createDataset(r -> r.name("shop-items").datasetType("ITEMS").datasetGroupArn(group)
                .schemaArn(ITEMS_ARN));
        emulator.resetRequests();

        Map<String, Object> deleted = run(delete(ITEMS_ARN, v1));

        assertThat(deleted).containsEntry("IsComplete", true);
        assertThat(personalize.operations()).containsExactly("DeleteSchema");
        assertThat(emulator.schemas()).extracting(SchemaState::arn).containsExactly(ITEMS_ARN);
        assertThat(logs).singleElement().asString()
                .startsWith("{\"event\":\"schemaKept\",\"schemaArn\":\"" + ITEMS_ARN + "\",\"reason\":\""
                        + "ResourceInUseException: ")
                .contains(ACCOUNT + ":dataset/shop/ITEMS");
    }

    @Test
    void aSchemaAlreadyGoneIsDone() {
        Map<String, Object> deleted = run(delete(ITEMS_ARN, props("shop-items", ITEMS_V1, null)));

        assertThat(deleted).containsEntry("IsComplete", true);
        assertThat(personalize.operations()).containsExactly("DeleteSchema");
    }

    @Test
    void theFrameworksMarkerOfAFailedCreateIsDoneWithoutCalls() {
        Map<String, Object> deleted = run(delete(FAILED_MARKER, props("shop-items", ITEMS_V1, null)));

        assertThat(deleted).containsEntry("IsComplete", true).containsEntry("PhysicalResourceId", FAILED_MARKER);
        assertThat(emulator.requests()).isEmpty();
    }

    @Test
    void aThrottledCallIsRetriedBySdk() {
        emulator.throttleNext(2);

        assertThat(run(event("Create", props("shop-items", ITEMS_V1, null))).get("PhysicalResourceId"))
                .isEqualTo(ITEMS_ARN);
        assertThat(personalize.operations()).containsExactly("CreateSchema", "CreateSchema", "CreateSchema");
    }

    @Test
    void otherDeleteRefusalsFail() {
        emulator.throttleNext(3); // more than the SDK's standard retries

        assertThatThrownBy(() -> lifecycle.onEvent(delete(ITEMS_ARN, props("shop-items", ITEMS_V1, null))))
                .hasMessage("Personalize rejected the deletion of schema " + ITEMS_ARN
                        + ": ThrottlingException: Rate exceeded");
    }

    @Test
    void unknownRequestTypesAreRejected() {
        assertThatThrownBy(() -> lifecycle.onEvent(event("Replace", props("shop-items", ITEMS_V1, null))))
                .hasMessage("unknown RequestType \"Replace\"");
    }
}
