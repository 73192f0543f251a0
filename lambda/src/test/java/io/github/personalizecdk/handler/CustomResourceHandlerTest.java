package io.github.personalizecdk.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.contract.SchemaResource;
import io.github.personalizecdk.handler.emulator.Progression;
import io.github.personalizecdk.handler.internal.BoundedFailure;
import io.github.personalizecdk.handler.internal.CloudFormationEvents;
import io.github.personalizecdk.handler.internal.EmulatedPersonalize;
import io.github.personalizecdk.handler.internal.ResourceLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The entry point hands each event to the lifecycle of its resource type, onEvent or isComplete by its state. */
class CustomResourceHandlerTest {
    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";

    private EmulatedPersonalize personalize;
    private CustomResourceHandler handler;
    private final List<String> logs = new ArrayList<>();

    @BeforeEach
    void start() {
        personalize = new EmulatedPersonalize();
        handler = new CustomResourceHandler(personalize.client(), personalize.clock(), EmulatedPersonalize.REGION,
                logs::add);
    }

    @AfterEach
    void stop() {
        personalize.close();
    }

    private static Map<String, Object> event(String resourceType, String requestType, Map<String, Object> props) {
        return CloudFormationEvents.event(resourceType, "Resource1A2B3C4D", requestType, props);
    }

    /** Runs one request as the Provider framework does: onEvent, then isComplete until complete. */
    private Map<String, Object> run(Map<String, Object> request) {
        Map<String, Object> started = handler.handleRequest(request, null);
        assertThat(started).containsKeys("PhysicalResourceId", ResourceLifecycle.STATE);
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(request, started);
        for (int i = 0; i < 20; i++) {
            Map<String, Object> answer = handler.handleRequest(poll, null);
            if (Boolean.TRUE.equals(answer.get("IsComplete"))) {
                Map<String, Object> out = new LinkedHashMap<>(answer);
                out.put("PhysicalResourceId", started.get("PhysicalResourceId"));
                return out;
            }
            personalize.emulator().clock().advance(Duration.ofSeconds(20));
        }
        throw new AssertionError("not complete after 20 polls");
    }

    @Test
    void importAndExportJobEventsGoToTheJobLifecycle() {
        personalize.emulator().defaultProgression(Progression.activeAfterPolls(2));
        Map<String, Object> importProps = new LinkedHashMap<>();
        importProps.put(JobResource.JOB_TYPE, "IMPORT");
        importProps.put(JobResource.DATASET_ARN, DATASET);
        importProps.put(JobResource.ROLE_ARN, "arn:aws:iam::123456789012:role/PersonalizeS3");
        importProps.put(JobResource.DATA_LOCATION, "s3://shop-data/interactions/");
        Map<String, Object> imported = run(event(JobResource.IMPORT_TYPE, "Create", importProps));
        assertThat((String) imported.get("PhysicalResourceId")).contains(":dataset-import-job/Resource1A2B3C4D-");
        assertThat(((Map<?, ?>) imported.get("Data")).get(JobResource.ATT_STATUS)).isEqualTo("ACTIVE");

        Map<String, Object> exportProps = new LinkedHashMap<>();
        exportProps.put(JobResource.JOB_TYPE, "EXPORT");
        exportProps.put(JobResource.DATASET_ARN, DATASET);
        exportProps.put(JobResource.ROLE_ARN, "arn:aws:iam::123456789012:role/PersonalizeS3");
        exportProps.put(JobResource.OUTPUT_PATH, "s3://shop-exports/");
        Map<String, Object> exported = run(event(JobResource.EXPORT_TYPE, "Create", exportProps));
        assertThat((String) exported.get("PhysicalResourceId")).contains(":dataset-export-job/Resource1A2B3C4D-");

        assertThat(personalize.operations()).containsExactly("CreateDatasetImportJob", "DescribeDatasetImportJob",
                "DescribeDatasetImportJob", "CreateDatasetExportJob", "DescribeDatasetExportJob",
                "DescribeDatasetExportJob");
        assertThat(logs).hasSize(4);
    }

    @Test
    void datasetEventsGoToTheDatasetLifecycle() {
        personalize.emulator().datasetGroupProgression(Progression.activeAfter(Duration.ZERO));
        String group = personalize.client().createDatasetGroup(r -> r.name("shop")).datasetGroupArn();
        String definition = "{\"type\":\"record\",\"name\":\"Interactions\",\"namespace\":"
                + "\"com.amazonaws.personalize.schema\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"},"
                + "{\"name\":\"ITEM_ID\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}],"
                + "\"version\":\"1.0\"}";
        String schema = personalize.client().createSchema(r -> r.name("interactions").schema(definition)).schemaArn();
        personalize.emulator().resetRequests();
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(DatasetResource.DATASET_NAME, "shop-interactions");
        props.put(DatasetResource.DATASET_TYPE, "INTERACTIONS");
        props.put(DatasetResource.DATASET_GROUP_ARN, group);
        props.put(DatasetResource.SCHEMA_ARN, schema);
        props.put(DatasetResource.SCHEMA_DEFINITION, definition);

        Map<String, Object> created = run(event(DatasetResource.TYPE, "Create", props));
        assertThat(created.get("PhysicalResourceId")).isEqualTo(DATASET);
        assertThat(created.get("Data")).isEqualTo(Map.of(DatasetResource.ATT_DATASET_ARN, DATASET,
                DatasetResource.ATT_DATASET_NAME, "shop-interactions", DatasetResource.ATT_SCHEMA_ARN, schema));

        Map<String, Object> delete = event(DatasetResource.TYPE, "Delete", props);
        delete.put("PhysicalResourceId", DATASET);
        assertThat(run(delete)).containsEntry("IsComplete", true).doesNotContainKey("Data");
        assertThat(personalize.operations()).containsExactly("CreateDataset", "DescribeDataset", "DescribeDataset",
                "DescribeDataset", "DeleteDataset", "DescribeDataset", "DescribeDataset");
        assertThat(personalize.emulator().datasets()).isEmpty();
    }

    @Test
    void schemaEventsGoToTheSchemaLifecycle() {
        String definition = "{\"type\":\"record\",\"name\":\"Users\",\"namespace\":"
                + "\"com.amazonaws.personalize.schema\",\"fields\":[{\"name\":\"USER_ID\",\"type\":\"string\"}],"
                + "\"version\":\"1.0\"}";
        String arn = "arn:aws:personalize:us-east-1:123456789012:schema/shop-users";
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("ServiceToken", "arn:aws:lambda:us-east-1:123456789012:function:Shop-framework-onEvent");
        props.put(SchemaResource.SCHEMA_NAME, "shop-users");
        props.put(SchemaResource.DEFINITION, definition);

        Map<String, Object> created = run(event(SchemaResource.TYPE, "Create", props));
        assertThat(created.get("PhysicalResourceId")).isEqualTo(arn);
        assertThat(created.get("Data")).isEqualTo(Map.of(SchemaResource.ATT_SCHEMA_ARN, arn));
        // a second stack (or a redeploy after cdk destroy) meets the schema and adopts it
        assertThat(run(event(SchemaResource.TYPE, "Create", props)).get("PhysicalResourceId")).isEqualTo(arn);

        Map<String, Object> delete = event(SchemaResource.TYPE, "Delete", props);
        delete.put("PhysicalResourceId", arn);
        assertThat(run(delete)).containsEntry("IsComplete", true).doesNotContainKey("Data");
        assertThat(personalize.operations()).containsExactly("CreateSchema", "CreateSchema", "DescribeSchema",
                "DeleteSchema");
        assertThat(personalize.emulator().schemas()).isEmpty();
        assertThat(logs).singleElement().asString().contains("\"event\":\"schemaAdopted\"");
    }

    @Test
    void anUnknownResourceTypeIsRejectedByName() {
        assertThatThrownBy(() -> handler.handleRequest(event("Custom::Other", "Create", Map.of()), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown ResourceType \"Custom::Other\"; this handler serves ");
        assertThatThrownBy(() -> handler.handleRequest(new HashMap<>(), null))
                .hasMessageStartingWith("unknown ResourceType \"null\"");
        assertThat(personalize.emulator().requests()).isEmpty();
    }

    /**
     * A 6,000-character failureReason, with characters JSON escapes and multi-byte ones: the thrown message keeps
     * its start verbatim, says it was cut, names the handler's log group, and the Provider framework's FAILED
     * response built from it stays within CloudFormation's 4,096 bytes even with every field of the framework's
     * envelope at its largest (composition: aws-cdk-lib provider-framework runtime framework.js invokeUserFunction
     * and cfn-response.js submitResponse, with includeStackTraces).
     */
    @Test
    void aLongFailureReasonIsCutToFitTheFrameworksResponse() throws Exception {
        String logGroup = "/aws/vendedlogs/personalize-cdk/Shop-PersonalizeHandler";
        handler = CustomResourceHandler.builder(personalize.client()).clock(personalize.clock())
                .region(EmulatedPersonalize.REGION).log(logs::add).logGroup(logGroup).build();
        StringBuilder reason = new StringBuilder("Input CSV is missing the following columns: ");
        while (reason.length() < 6_000) {
            reason.append("\"ITEM_ID\" ist ungültig – row ").append(reason.length()).append(";\n");
        }
        String failureReason = reason.substring(0, 6_000);
        personalize.emulator().defaultProgression(Progression.failAfterPolls(2, failureReason));
        Map<String, Object> importProps = new LinkedHashMap<>();
        importProps.put(JobResource.JOB_TYPE, "IMPORT");
        importProps.put(JobResource.DATASET_ARN, DATASET);
        importProps.put(JobResource.ROLE_ARN, "arn:aws:iam::123456789012:role/PersonalizeS3");
        importProps.put(JobResource.DATA_LOCATION, "s3://shop-data/interactions/");
        importProps.put(JobResource.JOB_NAME_PREFIX, "J".repeat(63));
        Map<String, Object> request = event(JobResource.IMPORT_TYPE, "Create", importProps);
        Map<String, Object> started = handler.handleRequest(request, null);
        String arn = (String) started.get("PhysicalResourceId");
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(request, started);
        assertThat(handler.handleRequest(poll, null)).containsEntry("IsComplete", false);

        Throwable thrown = null;
        try {
            handler.handleRequest(poll, null);
        } catch (IllegalStateException e) {
            thrown = e;
        }
        assertThat(thrown).isNotNull();
        String message = thrown.getMessage();
        String full = "dataset import job " + arn + " failed: " + failureReason;
        assertThat(BoundedFailure.jsonBytes(message)).isLessThanOrEqualTo(BoundedFailure.MAX_MESSAGE_BYTES);
        String kept = message.substring(0, message.indexOf(" [... cut here: "));
        assertThat(full).startsWith(kept);
        assertThat(kept.length()).isGreaterThan(1_000);
        assertThat(message).contains(" [... cut here: the full message has " + full.length() + " characters (")
                .endsWith("bytes) and is in the handler's log] (handler logs: " + logGroup + ")");
        assertThat(logs).anySatisfy(l -> assertThat(new ObjectMapper().readTree(l).path("message").asText())
                .isEqualTo(full));

        // the framework's FAILED response, every field it adds at its largest
        String functionName = "F".repeat(64);
        StringBuilder stack = new StringBuilder("Error: " + message + "\n\nLogs: /aws/lambda/" + functionName + "\n");
        for (int i = 0; i < 6; i++) {
            stack.append("\n    at ").append("f".repeat(92));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("Status", "FAILED");
        response.put("Reason", stack.toString());
        response.put("StackId", "arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/" + "S".repeat(128)
                + "/" + UUID.randomUUID());
        response.put("RequestId", UUID.randomUUID().toString());
        response.put("PhysicalResourceId", arn);
        response.put("LogicalResourceId", "L".repeat(255));
        response.put("Data", started.get("Data"));
        byte[] body = new ObjectMapper().writeValueAsBytes(response);
        assertThat(body.length).isLessThanOrEqualTo(4_096);
    }

    @Test
    void aShortFailureIsThrownAsItIsWhenNoLogGroupIsKnown() {
        assertThatThrownBy(() -> handler.handleRequest(event("Custom::Other", "Create", Map.of()), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasNoCause();
        assertThat(logs).singleElement().asString().startsWith("{\"event\":\"requestFailed\"")
                .contains("\"cut\":\"false\"");
    }
}
