package io.github.personalizecdk.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Result;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.StackStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator itself, on small hand-written templates with a scripted custom resource handler. */
class CloudFormationSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PersonalizeEmulator emulator = PersonalizeEmulator.start();
    private final ScriptedHandler handler = new ScriptedHandler();
    private final CloudFormationSimulator stack = new CloudFormationSimulator("Test", emulator, handler,
            Duration.ofSeconds(20), Duration.ofMinutes(1));

    @AfterEach
    void stop() {
        emulator.close();
    }

    /**
     * A custom resource handler: the physical id is the logical id plus the Name property, so a new Name is a
     * replacement; isComplete answers complete after Polls calls; Fail=create|update|rollback|delete throws.
     */
    static final class ScriptedHandler implements java.util.function.UnaryOperator<Map<String, Object>> {
        final List<String> calls = new ArrayList<>();
        final List<Map<String, Object>> events = new ArrayList<>();
        /** isComplete calls so far, by request (operations of several resources interleave). */
        private final Map<Object, Integer> polls = new java.util.HashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> apply(Map<String, Object> event) {
            String type = (String) event.get("RequestType");
            Map<String, Object> props = (Map<String, Object>) event.get("ResourceProperties");
            Map<String, Object> old = (Map<String, Object>) event.getOrDefault("OldResourceProperties", Map.of());
            String fail = String.valueOf(props.get("Fail"));
            String physicalId = event.get("LogicalResourceId") + "-" + props.get("Name");
            if (event.containsKey("Started")) {
                calls.add("isComplete " + type + " " + event.get("PhysicalResourceId"));
                if (polls.merge(event.get("RequestId"), 1, Integer::sum)
                        < Integer.parseInt(String.valueOf(props.getOrDefault("Polls", "1")))) {
                    return Map.of("IsComplete", false);
                }
                return Map.of("IsComplete", true, "Data", Map.of("Arn", "arn:" + event.get("PhysicalResourceId")));
            }
            events.add(event);
            calls.add(type + " " + event.getOrDefault("PhysicalResourceId", physicalId));
            if (fail.equals(type.toLowerCase()) || type.equals("Update") && "rollback".equals(old.get("Fail"))
                    || type.equals("Update") && fail.equals("rollback")) {
                throw new IllegalStateException(type + " refused");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("PhysicalResourceId", type.equals("Delete") ? event.get("PhysicalResourceId") : physicalId);
            out.put("Started", true);
            return out;
        }
    }

    private static Map<String, Object> template(String resources) {
        try {
            return JSON.readValue("{\"Resources\": {" + resources + "}}", new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String custom(String id, String properties, String extra) {
        return "\"" + id + "\": {\"Type\": \"Custom::Thing\", \"Properties\": {\"ServiceToken\": \"arn:aws:lambda:"
                + "us-east-1:123456789012:function:framework\", " + properties + "}" + extra + "}";
    }

    @Test
    void createsInDependencyOrderResolvesIntrinsicsAndStringifiesCustomResourceProperties() {
        Result r = stack.deploy(template(String.join(",",
                custom("B", "\"Name\": \"b\", \"Parent\": {\"Ref\": \"A\"}, \"ParentArn\": {\"Fn::GetAtt\": [\"A\", "
                        + "\"Arn\"]}", ""),
                custom("A", "\"Name\": \"a\", \"Count\": 3, \"On\": true, \"List\": [1, {\"K\": false}], "
                        + "\"Key\": {\"Fn::Sub\": \"${AWS::Region}:${Key}:${Key.Arn}\"}, \"Part\": {\"Fn::Select\": "
                        + "[1, {\"Fn::Split\": [\"/\", {\"Fn::Join\": [\"/\", [\"x\", "
                        + "{\"Ref\": \"AWS::AccountId\"}]]}]}]}",
                        ""),
                "\"Key\": {\"Type\": \"AWS::KMS::Key\", \"Properties\": {}}")));

        assertThat(r.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(r.events()).extracting(e -> e.logicalId() + " " + e.action()).containsExactly(
                "Key CREATE", "A CREATE", "B CREATE");
        String keyId = stack.physicalId("Key");
        assertThat(handler.events.get(0)).containsEntry("RequestType", "Create").containsEntry("ResourceType",
                "Custom::Thing").containsKeys("RequestId", "ResponseURL", "StackId", "ServiceToken");
        assertThat((Map<String, Object>) handler.events.get(0).get("ResourceProperties"))
                .containsEntry("Count", "3").containsEntry("On", "true")
                .containsEntry("List", List.of("1", Map.of("K", "false")))
                .containsEntry("Key", "us-east-1:" + keyId + ":arn:aws:kms:us-east-1:123456789012:key/" + keyId)
                .containsEntry("Part", "123456789012");
        assertThat((Map<String, Object>) handler.events.get(1).get("ResourceProperties"))
                .containsEntry("Parent", "A-a").containsEntry("ParentArn", "arn:A-a");
        assertThat(handler.events.get(0).get("RequestId")).isNotEqualTo(handler.events.get(1).get("RequestId"));
    }

    @Test
    void aNewPhysicalIdIsAReplacementWhoseOldResourceIsDeletedInCleanupUnlessRetained() {
        String b = custom("B", "\"Name\": \"b\", \"Parent\": {\"Ref\": \"A\"}", "");
        stack.deploy(template(custom("A", "\"Name\": \"a1\"", "") + "," + b));
        handler.calls.clear();

        Result r = stack.deploy(template(custom("A", "\"Name\": \"a2\"", "") + "," + b));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        assertThat(r.events()).extracting(Object::toString).containsExactly("DEPLOY REPLACE A A-a2",
                "DEPLOY UPDATE B B-b", "CLEANUP DELETE A A-a1");
        assertThat(handler.calls).containsExactly("Update A-a1", "isComplete Update A-a2", "Update B-b",
                "isComplete Update B-b", "Delete A-a1", "isComplete Delete A-a1");

        Result retained = stack.deploy(template(custom("A", "\"Name\": \"a3\"", ", \"UpdateReplacePolicy\": "
                + "\"Retain\", \"DeletionPolicy\": \"Retain\"") + "," + b));
        assertThat(retained.events()).extracting(Object::toString).endsWith("CLEANUP RETAIN A A-a2");

        Result removed = stack.deploy(template(custom("A", "\"Name\": \"a3\"", ", \"DeletionPolicy\": "
                + "\"RetainExceptOnCreate\"")));
        assertThat(removed.events()).extracting(Object::toString).containsExactly("CLEANUP DELETE B B-b");
        assertThat(stack.destroy().events()).extracting(Object::toString).containsExactly("DESTROY RETAIN A A-a3");
        assertThat(stack.status()).isNull();
    }

    @Test
    void aFailedFirstCreateRollsBackDeletingAllButRetainAndTheNextDeployStartsAfresh() {
        String kept = custom("Kept", "\"Name\": \"k\"", ", \"DeletionPolicy\": \"Retain\"");
        String exceptOnCreate = custom("ExceptOnCreate", "\"Name\": \"e\"", ", \"DeletionPolicy\": "
                + "\"RetainExceptOnCreate\"");
        String failing = custom("Z", "\"Name\": \"z\", \"Fail\": \"create\"", ", \"DependsOn\": [\"Kept\", "
                + "\"ExceptOnCreate\"]");

        Result r = stack.deploy(template(String.join(",", kept, exceptOnCreate, failing)));

        assertThat(r.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(r.failedResource()).isEqualTo("Z");
        assertThat(r.reason()).startsWith("Received response status [FAILED] from custom resource. Message "
                + "returned: Error: Create refused\n\nLogs: /aws/lambda/handler");
        assertThat(r.events()).extracting(Object::toString).containsExactly(
                "DEPLOY CREATE ExceptOnCreate ExceptOnCreate-e", "DEPLOY CREATE Kept Kept-k",
                "DEPLOY CREATE Z " + ProviderFramework.CREATE_FAILED_MARKER + " FAILED: " + r.reason(),
                "ROLLBACK DELETE Z " + ProviderFramework.CREATE_FAILED_MARKER,
                "ROLLBACK RETAIN Kept Kept-k", "ROLLBACK DELETE ExceptOnCreate ExceptOnCreate-e");
        assertThat(handler.calls).filteredOn(c -> c.startsWith("Delete")).containsExactly("Delete ExceptOnCreate-e");

        Result again = stack.deploy(template(String.join(",", kept, exceptOnCreate)));
        assertThat(again.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(again.events().get(0).toString()).startsWith("DESTROY DELETE Test arn:aws:cloudformation:");
    }

    @Test
    void aFailedUpdateRevertsUpdatesKeepsReplacedResourcesAndDeletesWhatItCreated() {
        String b1 = custom("B", "\"Name\": \"b\", \"Value\": 1", "");
        stack.deploy(template(custom("A", "\"Name\": \"a1\"", "") + "," + b1));
        handler.events.clear();

        Result r = stack.deploy(template(String.join(",", custom("A", "\"Name\": \"a2\"", ""),
                custom("B", "\"Name\": \"b\", \"Value\": 2, \"Fail\": \"update\"", ", \"DependsOn\": [\"A\", \"C\"]"),
                custom("C", "\"Name\": \"c\"", ", \"DeletionPolicy\": \"RetainExceptOnCreate\""))));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(r.events()).extracting(e -> e.phase() + " " + e.action() + " " + e.physicalId()).containsExactly(
                "DEPLOY REPLACE A-a2", "DEPLOY CREATE C-c", "DEPLOY UPDATE B-b", "ROLLBACK UPDATE B-b",
                "ROLLBACK DELETE C-c", "ROLLBACK DELETE A-a2");
        Map<String, Object> rollback = handler.events.stream().filter(e -> e.get("RequestType").equals("Update")
                && e.get("LogicalResourceId").equals("B")).toList().get(1);
        assertThat(rollback.get("ResourceProperties")).isEqualTo(Map.of("ServiceToken",
                "arn:aws:lambda:us-east-1:123456789012:function:framework", "Name", "b", "Value", "1"));
        assertThat((Map<String, Object>) rollback.get("OldResourceProperties")).containsEntry("Value", "2");
        assertThat(stack.physicalId("A")).isEqualTo("A-a1");
        assertThat(stack.resource("C")).isNull();

        Result failing = stack.deploy(template(custom("A", "\"Name\": \"a1\"", "") + ","
                + custom("B", "\"Name\": \"b\", \"Value\": 3, \"Fail\": \"rollback\"", "")));
        assertThat(failing.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_FAILED);
        assertThatThrownBy(() -> stack.deploy(template(b1))).hasMessageContaining("UPDATE_ROLLBACK_FAILED");
    }

    @Test
    void isCompleteIsPolledOnTheEmulatorClockUntilTheTotalTimeout() {
        Instant start = emulator.clock().now();
        assertThat(stack.deploy(template(custom("A", "\"Name\": \"a\", \"Polls\": 3", ""))).status())
                .isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(emulator.clock().now()).isEqualTo(start.plusSeconds(40));

        Result r = stack.deploy(template(custom("A", "\"Name\": \"a\", \"Polls\": 100", "")));
        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(r.reason()).contains("Message returned: Operation timed out");
        assertThat(handler.calls).filteredOn(c -> c.startsWith("isComplete Update")).hasSize(1 + 60 / 20 + 3);
    }

    @Test
    void independentResourcesRunInParallelOnTheEmulatorClock() {
        Instant start = emulator.clock().now();

        Result r = stack.deploy(template(String.join(",", custom("A", "\"Name\": \"a\", \"Polls\": 3", ""),
                custom("B", "\"Name\": \"b\", \"Polls\": 4", ""),
                custom("C", "\"Name\": \"c\", \"Polls\": 2", ", \"DependsOn\": [\"A\", \"B\"]"))));

        assertThat(r.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        // A (40 s) and B (60 s) overlap: C starts when the longer one ends, not after their sum (100 s)
        assertThat(r.events()).extracting(e -> e.logicalId() + " " + Duration.between(start, e.start()).toSeconds()
                + "-" + Duration.between(start, e.end()).toSeconds()).containsExactly("A 0-40", "B 0-60", "C 60-80");
        assertThat(r.duration()).isEqualTo(Duration.ofSeconds(80));
        assertThat(handler.calls).containsExactly("Create A-a", "isComplete Create A-a", "Create B-b",
                "isComplete Create B-b", "isComplete Create A-a", "isComplete Create B-b", "isComplete Create A-a",
                "isComplete Create B-b", "isComplete Create B-b", "Create C-c", "isComplete Create C-c",
                "isComplete Create C-c");
    }

    @Test
    void afterAFailureNothingNewStartsAndOperationsInFlightFinishBeforeTheRollback() {
        Instant start = emulator.clock().now();

        Result r = stack.deploy(template(String.join(",", custom("A", "\"Name\": \"a\", \"Fail\": \"create\"", ""),
                custom("B", "\"Name\": \"b\", \"Polls\": 4", ""),
                custom("C", "\"Name\": \"c\"", ", \"DependsOn\": \"B\""))));

        assertThat(r.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(r.failedResource()).isEqualTo("A");
        assertThat(r.events()).extracting(e -> e.phase() + " " + e.action() + " " + e.logicalId() + " "
                + Duration.between(start, e.end()).toSeconds() + (e.failed() ? " FAILED" : "")).containsExactly(
                "DEPLOY CREATE A 0 FAILED", "DEPLOY CREATE B 60", "ROLLBACK DELETE B 120", "ROLLBACK DELETE A 120");
        assertThat(handler.calls).noneMatch(c -> c.contains("C-c"));
    }

    private static Map<String, Object> personalize(String schemaName, boolean eventType, String deletionPolicy) {
        String schema = "{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":["
                + "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                + "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}"
                + (eventType ? ",{\"name\":\"EVENT_TYPE\",\"type\":\"string\"}" : "") + "]}";
        return Map.of("Resources", Map.of(
                "Group", Map.of("Type", "AWS::Personalize::DatasetGroup", "Properties", Map.of("Name", "g"),
                        "DeletionPolicy", deletionPolicy),
                "Schema", Map.of("Type", "AWS::Personalize::Schema", "Properties", Map.of("Name", schemaName,
                        "Schema", schema), "DeletionPolicy", "Retain"),
                "Dataset", Map.of("Type", "AWS::Personalize::Dataset", "Properties", Map.of("Name", "d",
                        "DatasetType", "Interactions",
                        "DatasetGroupArn", Map.of("Fn::GetAtt", List.of("Group", "DatasetGroupArn")),
                        "SchemaArn", Map.of("Ref", "Schema")), "DeletionPolicy", deletionPolicy)));
    }

    @Test
    void nativePersonalizeReplacementsFollowTheRegistrySchemas() {
        assertThat(stack.deploy(personalize("s1", false, "Delete")).status())
                .isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(emulator.datasets()).singleElement().extracting(d -> d.status()).isEqualTo("ACTIVE");

        Result sameName = stack.deploy(personalize("s1", true, "Delete"));
        assertThat(sameName.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(sameName.failedResource()).isEqualTo("Schema");
        assertThat(sameName.reason()).startsWith("Resource handler returned message: \"").contains("already exists")
                .endsWith(", HandlerErrorCode: AlreadyExists)");

        Result renamed = stack.deploy(personalize("s2", true, "Delete"));
        assertThat(renamed.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        assertThat(renamed.events()).extracting(e -> e.phase() + " " + e.action() + " " + e.logicalId())
                .containsExactly("DEPLOY REPLACE Schema", "DEPLOY DELETE Dataset", "DEPLOY REPLACE Dataset",
                        "CLEANUP DELETE Schema");
        assertThat(renamed.calls()).containsEntry("CreateSchema", 1L).containsEntry("DeleteDataset", 1L)
                .containsEntry("CreateDataset", 1L).containsEntry("DeleteSchema", 1L);
        assertThat(emulator.schemas()).extracting(sc -> sc.name()).containsExactly("s2");
        assertThat(emulator.datasets()).singleElement().extracting(d -> d.schemaArn())
                .isEqualTo(stack.physicalId("Schema"));

        assertThat(stack.destroy().events()).extracting(e -> e.action() + " " + e.logicalId())
                .containsExactly("DELETE Dataset", "RETAIN Schema", "DELETE Group");
        assertThat(emulator.datasetGroups()).isEmpty();
    }

    @Test
    void aFailedNativeCreateRollsBackAndRetainExceptOnCreateIsDeleted() {
        emulator.datasetProgression(io.github.personalizecdk.handler.emulator.Progression.failAfterPolls(2,
                "bad schema"));

        Result r = stack.deploy(personalize("s1", false, "RetainExceptOnCreate"));

        assertThat(r.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(r.reason()).contains("status CREATE FAILED").contains("HandlerErrorCode: NotStabilized");
        // Group and Schema start together; a schema has no status, so it is complete before the group is ACTIVE
        assertThat(r.events()).extracting(e -> e.phase() + " " + e.action() + " " + e.logicalId()).containsExactly(
                "DEPLOY CREATE Schema", "DEPLOY CREATE Group", "DEPLOY CREATE Dataset", "ROLLBACK DELETE Dataset",
                "ROLLBACK RETAIN Schema", "ROLLBACK DELETE Group");
        assertThat(emulator.datasetGroups()).isEmpty();
        assertThat(emulator.datasets()).isEmpty();
        assertThat(emulator.schemas()).extracting(sc -> sc.name()).containsExactly("s1");
    }
}
