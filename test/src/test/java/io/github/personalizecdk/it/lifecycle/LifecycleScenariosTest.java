package io.github.personalizecdk.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.github.personalizecdk.DatasetJobProvider;
import io.github.personalizecdk.FieldType;
import io.github.personalizecdk.SchemaField;
import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.contract.SchemaResource;
import io.github.personalizecdk.handler.CustomResourceHandler;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator.DatasetGroupState;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator.DatasetState;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator.SchemaState;
import io.github.personalizecdk.handler.emulator.Progression;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Event;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Result;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.StackStatus;
import java.time.Duration;
import software.amazon.awscdk.RemovalPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Named deploy sequences of {@link ShopApp} through the {@link CloudFormationSimulator}, with the real handler
 * in-process, against the Personalize emulator with strict datasets (jobs need a dataset the emulator knows).
 * Each deploy prints the Personalize calls it made.
 */
class LifecycleScenariosTest {
    private static final String S3_ACCESS_DENIED = "Failed to create a data import job for Items dataset...."
            + "Insufficient privileges for accessing data in Amazon S3.";

    /** The handler's access key: the emulator authorizes its calls by the handler's deployed policies. */
    private static final String HANDLER_KEY = "AKIDHANDLER";

    private final PersonalizeEmulator emulator = PersonalizeEmulator.start().strictDatasets();
    private final List<String> handlerLog = new ArrayList<>();
    private final CustomResourceHandler handler = new CustomResourceHandler(
            CloudFormationSimulator.client(emulator.endpoint(), HANDLER_KEY),
            CloudFormationSimulator.cloudFormationClient(emulator.endpoint(), HANDLER_KEY), emulator.javaClock(),
            "us-east-1", handlerLog::add);
    private final CloudFormationSimulator stack = new CloudFormationSimulator(ShopApp.STACK, emulator,
            event -> handler.handleRequest(event, null),
            Duration.ofSeconds(DatasetJobProvider.QUERY_INTERVAL.toSeconds().longValue()),
            Duration.ofSeconds(DatasetJobProvider.TOTAL_TIMEOUT.toSeconds().longValue()));

    {
        emulator.permissions(HANDLER_KEY, new DeployedPolicies(stack));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private Result deploy(String scenario, String step, ShopApp app) {
        return report(scenario, step, stack.deploy(app.synth()));
    }

    private static Result report(String scenario, String step, Result r) {
        System.out.printf("[%s] %s: %s, Personalize calls %s%s%n", scenario, step, r.status(), r.calls(),
                r.reason() == null ? "" : "; " + r.failedResource() + ": " + r.reason().lines().findFirst().orElse(""));
        return r;
    }

    /** @return the logical id of the one resource of this type whose id starts with the construct path part */
    private String id(String type, String prefix) {
        List<String> ids = stack.resources().values().stream()
                .filter(r -> r.type().equals(type) && r.logicalId().startsWith(prefix))
                .map(StackResource::logicalId).toList();
        assertThat(ids).as("%s %s*", type, prefix).hasSize(1);
        return ids.get(0);
    }

    private String arn(String type, String prefix) {
        return stack.physicalId(id(type, prefix));
    }

    private String dataset(String name) {
        return arn(DatasetResource.TYPE, "ShopGroup" + name);
    }

    private String importJob(String name) {
        return id(JobResource.IMPORT_TYPE, "ShopGroup" + name);
    }

    @Test
    void firstDeployCreatesGroupSchemasDatasetsAndImportsTheData() {
        Result r = deploy("a. first deploy", "deploy", ShopApp.v1());

        assertThat(r.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(emulator.datasetGroups()).extracting(DatasetGroupState::arn, DatasetGroupState::status)
                .containsExactly(tuple(arn("AWS::Personalize::DatasetGroup", "ShopGroup"), "ACTIVE"));
        assertThat(emulator.schemas()).extracting(SchemaState::arn).containsExactlyInAnyOrder(
                arn(SchemaResource.TYPE, "InteractionsSchema"), arn(SchemaResource.TYPE, "ItemsSchema"));
        assertThat(emulator.datasets()).extracting(DatasetState::arn, DatasetState::status).containsExactlyInAnyOrder(
                tuple(dataset("Interactions"), "ACTIVE"), tuple(dataset("Items"), "ACTIVE"));
        assertThat(stack.resource(importJob("ItemsItemsImport")).attributes()).containsEntry("Status", "ACTIVE");
        assertThat(stack.resource(importJob("InteractionsInteractionsImport")).attributes())
                .containsEntry("Status", "ACTIVE");
        assertThat(emulator.importedData(dataset("Items"))).containsExactly(ShopApp.ITEMS_DATA);
        assertThat(emulator.importedData(dataset("Interactions"))).containsExactly(
                "s3://" + stack.physicalId(id("AWS::S3::Bucket", "Data")) + "/interactions/");
        assertThat(r.calls()).containsEntry("CreateDatasetGroup", 1L).containsEntry("CreateSchema", 2L)
                .containsEntry("CreateDataset", 2L).containsEntry("CreateDatasetImportJob", 2L);
        assertThat(r.writes()).isEqualTo(7);
    }

    @Test
    void redeployUnchangedCallsNothing() {
        deploy("b. redeploy unchanged", "first deploy", ShopApp.v1());

        Result r = deploy("b. redeploy unchanged", "same app again", ShopApp.v1());

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        assertThat(r.writes()).isZero();
        assertThat(r.calls()).isEmpty();
        assertThat(r.events()).isEmpty();
    }

    @Test
    void aNullableItemsFieldUpdatesTheDatasetInPlaceAndKeepsItsData() {
        deploy("c. add a nullable Items field", "first deploy", ShopApp.v1());
        String items = dataset("Items");
        String oldSchema = arn(SchemaResource.TYPE, "ItemsSchema");

        Result r = deploy("c. add a nullable Items field", "COLOR as [\"null\",\"string\"]",
                ShopApp.v1().withItemField(SchemaField.of("COLOR", FieldType.STRING).nullable()));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        assertThat(dataset("Items")).isEqualTo(items);
        String newSchema = arn(SchemaResource.TYPE, "ItemsSchema");
        assertThat(newSchema).isNotEqualTo(oldSchema);
        assertThat(r.calls()).containsEntry("UpdateDataset", 1L).containsEntry("CreateSchema", 1L)
                .doesNotContainKeys("CreateDataset", "DeleteDataset", "CreateDatasetImportJob", "DeleteSchema");
        assertThat(r.events()).extracting(Event::action).doesNotContain("DELETE");
        assertThat(r.events()).extracting(e -> e.phase() + " " + e.action() + " " + e.physicalId())
                .contains("CLEANUP RETAIN " + oldSchema);
        DatasetState state = emulator.datasets().stream().filter(d -> d.arn().equals(items)).findFirst().orElseThrow();
        assertThat(state.schemaArn()).isEqualTo(newSchema);
        assertThat(state.status()).isEqualTo("ACTIVE");
        assertThat(state.importedData()).containsExactly(ShopApp.ITEMS_DATA);
        assertThat(emulator.schemas()).extracting(SchemaState::arn).contains(oldSchema, newSchema);
    }

    @Test
    void aFailureAfterAnAppliedSchemaChangeRollsBackKeepingTheNewFieldsAndTheFixedRedeploySucceeds() {
        String scenario = "i. rollback after an applied schema change";
        deploy(scenario, "first deploy", ShopApp.v1());
        String items = dataset("Items");
        String oldSchema = arn(SchemaResource.TYPE, "ItemsSchema");
        emulator.progressionForLocation(ShopApp.MORE_ITEMS_DATA, Progression.failAfterPolls(2, S3_ACCESS_DENIED));
        ShopApp v2 = ShopApp.v1().withItemField(SchemaField.of("COLOR", FieldType.STRING).nullable()).withMoreItems();

        Result failed = deploy(scenario, "COLOR added, a new import fails", v2);

        assertThat(failed.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(failed.failedResource()).startsWith("ShopGroupItemsMoreItemsImport");
        assertThat(failed.calls()).containsEntry("UpdateDataset", 1L);
        // Personalize cannot take COLOR away again: the rollback keeps the dataset on the new schema, and succeeds
        assertThat(failed.events()).filteredOn(e -> e.phase().equals("ROLLBACK")).noneMatch(Event::failed);
        DatasetState state = emulator.datasets().stream().filter(d -> d.arn().equals(items)).findFirst().orElseThrow();
        assertThat(state.schemaArn()).isNotEqualTo(oldSchema);
        assertThat(state.status()).isEqualTo("ACTIVE");
        assertThat(state.importedData()).containsExactly(ShopApp.ITEMS_DATA);
        assertThat(handlerLog).anyMatch(line -> line.contains("\"event\":\"schemaRollbackKept\""));
        String keptSchema = state.schemaArn();

        emulator.progressionForLocation(ShopApp.MORE_ITEMS_DATA, Progression.activeAfterPolls(2));
        Result fixed = deploy(scenario, "redeploy after the fix", v2);

        assertThat(fixed.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        assertThat(dataset("Items")).isEqualTo(items);
        assertThat(arn(SchemaResource.TYPE, "ItemsSchema")).isEqualTo(keptSchema);
        assertThat(fixed.calls()).doesNotContainKeys("UpdateDataset", "CreateDataset", "DeleteDataset");
        assertThat(emulator.importedData(items)).containsExactly(ShopApp.ITEMS_DATA, ShopApp.MORE_ITEMS_DATA);
    }

    @Test
    void aNewGroupKeyMakesANewGroupTheDatasetsAndJobsFollowAndTheOldGroupStays() {
        deploy("d. change the group's KMS key", "first deploy with Key", ShopApp.v1().withKey("Key"));
        String oldGroup = arn("AWS::Personalize::DatasetGroup", "ShopGroup");
        String oldItems = dataset("Items");
        Object oldKey = stack.resource(id("AWS::KMS::Key", "Key")).attributes().get("Arn");

        Result r = deploy("d. change the group's KMS key", "NewKey", ShopApp.v1().withKey("NewKey"));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        String newGroup = arn("AWS::Personalize::DatasetGroup", "ShopGroup");
        assertThat(newGroup).isNotEqualTo(oldGroup);
        assertThat(emulator.datasetGroups()).extracting(DatasetGroupState::arn, DatasetGroupState::kmsKeyArn)
                .containsExactly(tuple(oldGroup, oldKey),
                        tuple(newGroup, stack.resource(id("AWS::KMS::Key", "NewKey")).attributes().get("Arn")));
        String newGroupName = newGroup.substring(newGroup.indexOf('/') + 1);
        assertThat(dataset("Items")).isEqualTo(newGroup.replace(":dataset-group/", ":dataset/") + "/ITEMS");
        assertThat(dataset("Interactions")).contains("/" + newGroupName + "/");
        assertThat(emulator.importedData(dataset("Items"))).containsExactly(ShopApp.ITEMS_DATA);
        assertThat(emulator.importedData(oldItems)).containsExactly(ShopApp.ITEMS_DATA);
        assertThat(emulator.datasets()).hasSize(4);
        assertThat(r.calls()).containsEntry("CreateDatasetGroup", 1L).containsEntry("CreateDataset", 2L)
                .containsEntry("CreateDatasetImportJob", 2L).doesNotContainKeys("DeleteDatasetGroup", "DeleteDataset");
    }

    @Test
    void withRemovalPolicyDestroyANewGroupKeyDeletesTheOldGroupAndItsDatasets() {
        String scenario = "k. DESTROY, change the group's KMS key";
        deploy(scenario, "first deploy with Key", ShopApp.v1().withKey("Key").withRemoval(RemovalPolicy.DESTROY));
        String oldGroup = arn("AWS::Personalize::DatasetGroup", "ShopGroup");

        Result r = deploy(scenario, "NewKey", ShopApp.v1().withKey("NewKey").withRemoval(RemovalPolicy.DESTROY));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        // the handler's policy now names the new group, yet may delete the old group's datasets: every generation
        // of the generated group name is in it
        assertThat(r.events()).filteredOn(e -> e.phase().equals("CLEANUP")).noneMatch(Event::failed)
                .filteredOn(e -> e.action().equals("RETAIN")).extracting(Event::logicalId)
                .allMatch(id -> id.startsWith("Key")); // aws-cdk keeps a removed KMS key by default
        String newGroup = arn("AWS::Personalize::DatasetGroup", "ShopGroup");
        assertThat(emulator.datasetGroups()).extracting(DatasetGroupState::arn).containsExactly(newGroup);
        assertThat(emulator.datasets()).extracting(DatasetState::datasetGroupArn).containsOnly(newGroup).hasSize(2);
        assertThat(r.calls()).containsEntry("DeleteDataset", 2L).containsEntry("DeleteDatasetGroup", 1L);
        assertThat(newGroup).isNotEqualTo(oldGroup);
    }

    @Test
    void aFailedFirstDeployLeavesNothingBehindAndTheFixedRedeploySucceeds() {
        emulator.progressionForLocation(ShopApp.ITEMS_DATA, Progression.failAfterPolls(2, S3_ACCESS_DENIED));

        Result failed = deploy("e. failed first deploy", "import refused", ShopApp.v1());

        assertThat(failed.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(failed.failedResource()).startsWith("ShopGroupItemsItemsImport");
        assertThat(failed.reason()).startsWith("Received response status [FAILED] from custom resource. Message "
                + "returned: Error: ").contains(S3_ACCESS_DENIED);
        assertThat(failed.events()).filteredOn(e -> e.phase().equals("ROLLBACK")).noneMatch(Event::failed)
                .filteredOn(e -> e.action().equals("RETAIN")).extracting(Event::logicalId)
                .singleElement().asString().startsWith("Data"); // aws-cdk's default for buckets: Retain
        assertThat(emulator.datasetGroups()).isEmpty();
        assertThat(emulator.schemas()).isEmpty();
        assertThat(emulator.datasets()).isEmpty();
        assertThat(failed.calls()).containsEntry("DeleteDataset", 2L).containsEntry("DeleteSchema", 2L)
                .containsEntry("DeleteDatasetGroup", 1L);

        emulator.progressionForLocation(ShopApp.ITEMS_DATA, Progression.activeAfterPolls(2));
        Result fixed = deploy("e. failed first deploy", "redeploy after the fix", ShopApp.v1());

        assertThat(fixed.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(fixed.events().get(0).action()).isEqualTo("DELETE"); // the ROLLBACK_COMPLETE stack goes first
        assertThat(emulator.importedData(dataset("Items"))).containsExactly(ShopApp.ITEMS_DATA);
    }

    @Test
    void destroyKeepsTheDataAndARedeployFailsNamingTheRetainedResource() {
        deploy("f. destroy, redeploy", "first deploy", ShopApp.v1());
        String items = dataset("Items");
        String group = arn("AWS::Personalize::DatasetGroup", "ShopGroup");

        Result destroyed = report("f. destroy, redeploy", "destroy", stack.destroy());

        assertThat(destroyed.status()).isEqualTo(StackStatus.DELETE_COMPLETE);
        assertThat(destroyed.writes()).isZero();
        assertThat(emulator.datasetGroups()).hasSize(1);
        assertThat(emulator.schemas()).hasSize(2);
        assertThat(emulator.datasets()).hasSize(2);
        assertThat(emulator.importedData(items)).containsExactly(ShopApp.ITEMS_DATA);

        Result again = deploy("f. destroy, redeploy", "redeploy", ShopApp.v1());

        assertThat(again.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        // the schemas are adopted; the group is CloudFormation's own type, which refuses the kept one's name
        assertThat(again.failedResource()).startsWith("ShopGroup");
        assertThat(again.reason()).startsWith("Resource handler returned message: \"")
                .contains(group).contains("already exists").contains("HandlerErrorCode: AlreadyExists");
        assertThat(handlerLog).filteredOn(line -> line.contains("\"event\":\"schemaAdopted\"")).hasSize(2);
        // the rollback deletes what this deploy created, but the adopted schemas are in use by the kept datasets
        assertThat(handlerLog).filteredOn(line -> line.contains("\"event\":\"schemaKept\"")).hasSize(2);
        assertThat(emulator.datasetGroups()).hasSize(1);
        assertThat(emulator.schemas()).hasSize(2);
        assertThat(emulator.importedData(items)).containsExactly(ShopApp.ITEMS_DATA);

        // the README's way out: delete them, datasets first, then schemas, then the group, each gone before the next
        PersonalizeClient client = CloudFormationSimulator.client(emulator.endpoint());
        emulator.datasets().forEach(d -> client.deleteDataset(b -> b.datasetArn(d.arn())));
        awaitGone(() -> emulator.datasets().stream().map(DatasetState::arn).toList(),
                arn -> client.describeDataset(b -> b.datasetArn(arn)));
        emulator.schemas().forEach(sc -> client.deleteSchema(b -> b.schemaArn(sc.arn())));
        emulator.datasetGroups().forEach(g -> client.deleteDatasetGroup(b -> b.datasetGroupArn(g.arn())));
        awaitGone(() -> emulator.datasetGroups().stream().map(DatasetGroupState::arn).toList(),
                arn -> client.describeDatasetGroup(b -> b.datasetGroupArn(arn)));
        assertThat(deploy("f. destroy, redeploy", "redeploy after deleting them", ShopApp.v1()).status())
                .isEqualTo(StackStatus.CREATE_COMPLETE);
    }

    @Test
    void afterDestroyTheKeptGroupIsImportedAndARollbackNeverDeletesTheAdoptedDatasets() {
        String scenario = "j. destroy, redeploy into the kept group";
        deploy(scenario, "first deploy", ShopApp.v1());
        String group = arn("AWS::Personalize::DatasetGroup", "ShopGroup");
        String items = dataset("Items");
        String interactions = dataset("Interactions");
        report(scenario, "destroy", stack.destroy());
        emulator.progressionForLocation(ShopApp.MORE_ITEMS_DATA, Progression.failAfterPolls(2, S3_ACCESS_DENIED));
        ShopApp again = ShopApp.v1().withExistingGroup(group).withMoreItems();

        Result failed = deploy(scenario, "kept group imported, a new import fails", again);

        assertThat(failed.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(failed.calls()).doesNotContainKeys("DeleteDataset", "DeleteDatasetGroup");
        assertThat(failed.events()).filteredOn(e -> e.phase().equals("ROLLBACK")).noneMatch(Event::failed);
        assertThat(handlerLog).filteredOn(line -> line.contains("\"event\":\"adoptedDatasetKept\"")).hasSize(2);
        assertThat(emulator.datasets()).extracting(DatasetState::arn, DatasetState::status)
                .containsExactlyInAnyOrder(tuple(items, "ACTIVE"), tuple(interactions, "ACTIVE"));
        assertThat(emulator.importedData(items)).containsExactly(ShopApp.ITEMS_DATA);

        emulator.progressionForLocation(ShopApp.MORE_ITEMS_DATA, Progression.activeAfterPolls(2));
        Result fixed = deploy(scenario, "redeploy after the fix", again);

        assertThat(fixed.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(stack.physicalId(id(DatasetResource.TYPE, "ShopGroupItems"))).isEqualTo(items + "#adopted");
        assertThat(fixed.calls()).doesNotContainKeys("DeleteDataset", "UpdateDataset");
        assertThat(emulator.datasets()).hasSize(2);
        assertThat(emulator.importedData(items)).containsExactly(ShopApp.ITEMS_DATA, ShopApp.MORE_ITEMS_DATA);
    }

    /** Describes each remaining resource (deletes finish after some Describes) until none remains. */
    private static void awaitGone(Supplier<List<String>> remaining, Consumer<String> describe) {
        for (int poll = 0; poll < 10 && !remaining.get().isEmpty(); poll++) {
            for (String arn : remaining.get()) {
                try {
                    describe.accept(arn);
                } catch (ResourceNotFoundException gone) {
                    // deleted
                }
            }
        }
        assertThat(remaining.get()).isEmpty();
    }

    @Test
    void actionsAndActionInteractionsDatasetsAreCreatedAndImported() {
        Result r = deploy("g. ACTIONS + ACTION_INTERACTIONS", "deploy", ShopApp.v1().withActions());

        assertThat(r.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(emulator.datasets()).extracting(DatasetState::datasetType, DatasetState::status)
                .contains(tuple("ACTIONS", "ACTIVE"), tuple("ACTION_INTERACTIONS", "ACTIVE"));
        assertThat(dataset("Actions")).endsWith("/ACTIONS");
        assertThat(emulator.importedData(dataset("Actions"))).containsExactly(ShopApp.ACTIONS_DATA);
        assertThat(emulator.importedData(dataset("ActionInteractions")))
                .containsExactly(ShopApp.ACTION_INTERACTIONS_DATA);
        assertThat(r.calls()).containsEntry("CreateDataset", 4L).containsEntry("CreateDatasetImportJob", 4L);
    }

    static Stream<Arguments> refusedSchemaChanges() {
        ShopApp v1 = ShopApp.v1();
        return Stream.of(
                Arguments.of("a removed Items field", v1.withItems(SchemaField.of("ITEM_ID", FieldType.STRING),
                        SchemaField.of("CATEGORY", FieldType.STRING).categorical()),
                        "Items", "field PRICE was removed"),
                Arguments.of("a new non-nullable Items field",
                        v1.withItemField(SchemaField.of("COLOR", FieldType.STRING)),
                        "Items", "new field COLOR is not nullable"),
                Arguments.of("an Interactions schema change", v1.withInteractions(
                        SchemaField.of("USER_ID", FieldType.STRING), SchemaField.of("ITEM_ID", FieldType.STRING),
                        SchemaField.of("EVENT_TYPE", FieldType.STRING), SchemaField.of("TIMESTAMP", FieldType.LONG),
                        SchemaField.of("EVENT_VALUE", FieldType.FLOAT).nullable()),
                        "Interactions", "INTERACTIONS datasets cannot change schema"));
    }

    @ParameterizedTest(name = "h. refused: {0}")
    @MethodSource("refusedSchemaChanges")
    void aSchemaChangePersonalizeRefusesFailsBeforeAnyDatasetCallAndRollsBack(String change, ShopApp changed,
            String datasetName, String rule) {
        String scenario = "h. refused: " + change;
        deploy(scenario, "first deploy", ShopApp.v1());
        String datasetArn = dataset(datasetName);
        String schema = arn(SchemaResource.TYPE, datasetName + "Schema");
        int before = emulator.requests().size();

        Result r = deploy(scenario, "change", changed);

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(r.failedResource()).startsWith("ShopGroup" + datasetName);
        assertThat(r.reason()).contains(rule);
        assertThat(r.calls()).doesNotContainKey("UpdateDataset");
        assertThat(emulator.requests().subList(before, emulator.requests().size()))
                .filteredOn(q -> q.operation().matches("(Create|Update|Delete)Dataset"))
                .isEmpty();
        assertThat(r.events()).filteredOn(e -> e.phase().equals("ROLLBACK")).extracting(Event::action, Event::failed)
                .containsOnly(tuple("UPDATE", false), tuple("DELETE", false));
        assertThat(dataset(datasetName)).isEqualTo(datasetArn);
        assertThat(arn(SchemaResource.TYPE, datasetName + "Schema")).isEqualTo(schema);
        assertThat(emulator.datasets()).filteredOn(d -> d.arn().equals(datasetArn))
                .extracting(DatasetState::schemaArn, DatasetState::status).containsExactly(tuple(schema, "ACTIVE"));
        assertThat(emulator.schemas()).hasSize(2);
    }

    @Test
    void twelveImportJobsInOneStackAllSucceedWithAtMostFiveRunning() {
        ImportThroughput.Figures f = ImportThroughput.run(12, java.time.Duration.ofMinutes(10),
                software.amazon.awscdk.Duration.minutes(54));
        System.out.println("[l. 12 import jobs in one stack] " + f);

        assertThat(f.status()).isEqualTo("CREATE_COMPLETE");
        assertThat(f.failures()).isZero();
        assertThat(f.peak()).isEqualTo(ImportThroughput.QUOTA);
        assertThat(f.emulatorPeak()).isIn(-1, ImportThroughput.QUOTA);
        // every job within ceil(12/5) rounds of 10 minutes plus 2 query intervals
        assertThat(f.slowestJob()).isLessThanOrEqualTo(f.bound());
        // a freed slot is taken by a waiting job within the intervals of its polls
        assertThat(f.longestIdle()).isLessThanOrEqualTo(ImportThroughput.queryInterval().multipliedBy(2));
    }
}
