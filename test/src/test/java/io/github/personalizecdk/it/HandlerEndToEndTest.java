package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.contract.SchemaResource;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.Progression;
import io.github.personalizecdk.handler.emulator.RecordedRequest;
import io.github.personalizecdk.internal.HandlerJar;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes the examples, takes every job and schema custom resource, resolves it to plausible ARNs, and runs
 * the shaded handler shipped in the library jar in its own JVM (the class the template names, with the template's
 * JAVA_TOOL_OPTIONS) through Create and isComplete polls against the Personalize emulator.
 */
class HandlerEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> JOB_TYPES = Set.of(JobResource.IMPORT_TYPE, JobResource.EXPORT_TYPE);

    @Test
    @SuppressWarnings("unchecked")
    void everyExampleJobRunsThroughTheShadedHandlerAndSendsWhatTheTemplateSays() throws Exception {
        int jobsRun = 0;
        for (Map.Entry<String, Template> example : Templates.examples().entrySet()) {
            Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) example.getValue()
                    .toJSON().get("Resources");
            Map<String, Object> function = javaHandler(resources);
            String handler = (String) function.get("Handler");
            String toolOptions = (String) ((Map<String, Object>) ((Map<String, Object>) function.get("Environment"))
                    .get("Variables")).get("JAVA_TOOL_OPTIONS");
            TemplateResolver resolver = new TemplateResolver(resources);
            Map<String, Map<String, Object>> jobs = resources.entrySet().stream()
                    .filter(e -> JOB_TYPES.contains(String.valueOf(e.getValue().get("Type"))))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                            java.util.TreeMap::new));
            assertThat(jobs).as("jobs in %s", example.getKey()).isNotEmpty();

            try (PersonalizeEmulator emulator = PersonalizeEmulator.start()) {
                emulator.defaultProgression(Progression.activeAfterPolls(3));
                try (HandlerProcess process = new HandlerProcess(HandlerJar.path(), handler, toolOptions,
                        emulator.endpoint())) {
                    for (Map.Entry<String, Map<String, Object>> job : jobs.entrySet()) {
                        Map<String, Object> props = (Map<String, Object>) resolver.resolve(
                                job.getValue().get("Properties"));
                        runToCompletion(process, job.getKey(), (String) job.getValue().get("Type"), props);
                        assertCreateMatches(emulator, props);
                        jobsRun++;
                    }
                    assertThat(process.logLines()).hasSize(3 * jobs.size());
                }
                long imports = jobs.values().stream().filter(j -> j.get("Type").toString().contains("Import")).count();
                assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(imports);
                assertThat(emulator.count("CreateDatasetExportJob")).isEqualTo(jobs.size() - imports);
                assertThat(emulator.count("DescribeDatasetImportJob")).isEqualTo(3 * imports);
                assertThat(emulator.count("DescribeDatasetExportJob")).isEqualTo(3 * (jobs.size() - imports));
                assertThat(emulator.requests()).hasSize(4 * jobs.size());
            }
        }
        assertThat(jobsRun).isEqualTo(6);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyExampleSchemaIsCreatedThenAdoptedThroughTheShadedHandler() throws Exception {
        int schemasRun = 0;
        for (Map.Entry<String, Template> example : Templates.examples().entrySet()) {
            Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) example.getValue()
                    .toJSON().get("Resources");
            Map<String, Object> function = javaHandler(resources);
            String toolOptions = (String) ((Map<String, Object>) ((Map<String, Object>) function.get("Environment"))
                    .get("Variables")).get("JAVA_TOOL_OPTIONS");
            TemplateResolver resolver = new TemplateResolver(resources);
            Map<String, Map<String, Object>> schemas = resources.entrySet().stream()
                    .filter(e -> SchemaResource.TYPE.equals(e.getValue().get("Type")))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                            java.util.TreeMap::new));
            assertThat(schemas).as("schemas in %s", example.getKey()).isNotEmpty();

            try (PersonalizeEmulator emulator = PersonalizeEmulator.start();
                    HandlerProcess process = new HandlerProcess(HandlerJar.path(), (String) function.get("Handler"),
                            toolOptions, emulator.endpoint())) {
                for (Map.Entry<String, Map<String, Object>> schema : schemas.entrySet()) {
                    Map<String, Object> props = (Map<String, Object>) resolver.resolve(
                            schema.getValue().get("Properties"));
                    String expectedArn = (String) resolver.resolve(Map.of("Fn::GetAtt",
                            List.of(schema.getKey(), SchemaResource.ATT_SCHEMA_ARN)));
                    // the second Create meets the schema the first made, as a redeploy after cdk destroy does
                    for (int attempt = 1; attempt <= 2; attempt++) {
                        Map<String, Object> event = new HashMap<>();
                        event.put("RequestType", "Create");
                        event.put("RequestId", schema.getKey() + "-" + attempt);
                        event.put("LogicalResourceId", schema.getKey());
                        event.put("ResourceType", SchemaResource.TYPE);
                        event.put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/Example/guid");
                        event.put("ResponseURL", "...");
                        event.put("ResourceProperties", props);
                        Map<String, Object> answer = process.invoke(event);
                        assertThat(answer).as("onEvent of %s", schema.getKey()).doesNotContainKey("errorMessage");
                        Map<String, Object> started = (Map<String, Object>) answer.get("result");
                        assertThat(started.get("PhysicalResourceId")).isEqualTo(expectedArn);
                        Map<String, Object> poll = new HashMap<>(event);
                        poll.putAll(started);
                        Map<String, Object> result = (Map<String, Object>) process.invoke(poll).get("result");
                        assertThat(result).containsEntry("IsComplete", true)
                                .containsEntry("Data", Map.of(SchemaResource.ATT_SCHEMA_ARN, expectedArn));
                    }
                    JsonNode create = emulator.requests().stream().filter(r -> r.operation().equals("CreateSchema"))
                            .map(RecordedRequest::body)
                            .filter(b -> b.get("name").asText().equals(props.get(SchemaResource.SCHEMA_NAME)))
                            .findFirst().orElseThrow();
                    assertThat(create.get("schema").asText()).isEqualTo(props.get(SchemaResource.DEFINITION));
                    assertThat(create.path("domain").asText(null)).isEqualTo(props.get(SchemaResource.DOMAIN));
                    schemasRun++;
                }
                assertThat(process.logLines()).hasSize(schemas.size())
                        .allMatch(line -> line.contains("\"event\":\"schemaAdopted\""));
                assertThat(emulator.count("CreateSchema")).isEqualTo(2L * schemas.size());
                assertThat(emulator.count("DescribeSchema")).isEqualTo(schemas.size());
                assertThat(emulator.schemas()).hasSize(schemas.size());
            }
        }
        assertThat(schemasRun).isEqualTo(4);
    }

    private static Map<String, Object> javaHandler(Map<String, Map<String, Object>> resources) {
        List<Map<String, Object>> functions = resources.values().stream()
                .filter(r -> "AWS::Lambda::Function".equals(r.get("Type")))
                .map(r -> (Map<String, Object>) r.get("Properties"))
                .filter(p -> String.valueOf(p.get("Runtime")).startsWith("java"))
                .toList();
        assertThat(functions).hasSize(1);
        return functions.get(0);
    }

    @SuppressWarnings("unchecked")
    private static void runToCompletion(HandlerProcess process, String logicalId, String type,
            Map<String, Object> props) throws Exception {
        Map<String, Object> event = new HashMap<>();
        event.put("RequestType", "Create");
        event.put("RequestId", UUID.nameUUIDFromBytes(logicalId.getBytes(StandardCharsets.UTF_8)).toString());
        event.put("LogicalResourceId", logicalId);
        event.put("ResourceType", type);
        event.put("StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/Example/guid");
        event.put("ResponseURL", "...");
        event.put("ResourceProperties", props);
        Map<String, Object> answer = process.invoke(event);
        assertThat(answer).as("onEvent of %s", logicalId).doesNotContainKey("errorMessage");
        Map<String, Object> started = (Map<String, Object>) answer.get("result");
        Map<String, Object> poll = new HashMap<>(event);
        poll.putAll(started);
        for (int i = 1; i <= 3; i++) {
            Map<String, Object> result = (Map<String, Object>) process.invoke(poll).get("result");
            assertThat(result).as("isComplete %d of %s", i, logicalId).isNotNull();
            assertThat(result.get("IsComplete")).isEqualTo(i == 3);
            if (i == 3) {
                assertThat((Map<String, Object>) result.get("Data")).containsEntry("Status", "ACTIVE")
                        .containsEntry("JobArn", started.get("PhysicalResourceId"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertCreateMatches(PersonalizeEmulator emulator, Map<String, Object> props) {
        String prefix = props.get("JobNamePrefix") + "-";
        List<JsonNode> creates = emulator.requests().stream()
                .filter(r -> r.operation().startsWith("Create"))
                .map(RecordedRequest::body)
                .filter(b -> b.get("jobName").asText().startsWith(prefix))
                .toList();
        assertThat(creates).hasSize(1);
        JsonNode body = creates.get(0);
        assertThat(body.get("datasetArn").asText()).isEqualTo(props.get("DatasetArn"));
        assertThat(body.get("roleArn").asText()).isEqualTo(props.get("RoleArn"));
        if ("IMPORT".equals(props.get("JobType"))) {
            assertThat(body.get("dataSource").get("dataLocation").asText()).isEqualTo(props.get("DataLocation"));
            assertThat(body.get("importMode").asText()).isEqualTo(props.get("ImportMode"));
            assertThat(body.get("publishAttributionMetricsToS3").asText())
                    .isEqualTo(props.get("PublishAttributionMetricsToS3"));
        } else {
            JsonNode destination = body.get("jobOutput").get("s3DataDestination");
            assertThat(destination.get("path").asText()).isEqualTo(props.get("OutputPath"));
            assertThat(destination.path("kmsKeyArn").asText(null)).isEqualTo(props.get("KmsKeyArn"));
            assertThat(body.get("ingestionMode").asText()).isEqualTo(props.get("IngestionMode"));
        }
    }

    @Test
    void aFreshJvmHandlesItsFirstEvent() throws Exception {
        try (PersonalizeEmulator emulator = PersonalizeEmulator.start()) {
            Map<String, Object> props = new HashMap<>();
            props.put("JobType", "IMPORT");
            props.put("DatasetArn", "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS");
            props.put("RoleArn", "arn:aws:iam::123456789012:role/PersonalizeS3");
            props.put("JobNamePrefix", "ColdStart");
            props.put("DataLocation", "s3://shop-data/imports/");
            Map<String, Object> event = new HashMap<>();
            event.put("RequestType", "Create");
            event.put("RequestId", "cold-start");
            event.put("LogicalResourceId", "ColdStart");
            event.put("ResourceType", JobResource.IMPORT_TYPE);
            event.put("ResourceProperties", props);

            long start = System.nanoTime();
            try (HandlerProcess process = new HandlerProcess(HandlerJar.path(), HandlerJar.HANDLER,
                    "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC", emulator.endpoint())) {
                Map<String, Object> answer = process.invoke(event);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(answer).containsKey("result");
                System.out.println("fresh JVM to first handled event: " + millis + " ms");
            }
            assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(1);
        }
    }
}
