package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.examples.SampleData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.assertions.Template;

/**
 * The examples' sample data would pass Personalize's import: every file under the folder an import job reads is
 * checked against the schema of that job's dataset as the synthesized template defines it (columns, types, required
 * fields), against Personalize's minimums for a FULL and an INCREMENTAL interactions import, and for references
 * to users and items that exist; and every import job waits for the deployment that uploads the files.
 */
class SampleDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIN_INTERACTIONS = 1_000;
    private static final int MIN_USERS = 25;
    private static final int MIN_INTERACTIONS_PER_USER = 2;
    private static final int MIN_INCREMENTAL_RECORDS = 1_000;
    /** 2000-01-01 and 2100-01-01 in epoch seconds: a timestamp outside is in milliseconds or not a date. */
    private static final long EARLIEST = 946_684_800L;
    private static final long LATEST = 4_102_444_800L;

    private static final Map<String, Map<String, String>> FILES = Map.of(
            "PersonalizeEcommerceExample", SampleData.ecommerce(),
            "PersonalizeEncryptedCustomExample", SampleData.custom());

    @Test
    void everyImportJobReadsSchemaValidDataThatMeetsPersonalizesMinimums() throws IOException {
        int checked = 0;
        for (Map.Entry<String, Template> example : Templates.examples().entrySet()) {
            Map<String, String> files = FILES.get(example.getKey());
            Map<String, Map<String, Object>> resources = resources(example.getValue());
            Map<String, List<Map<String, String>>> byType = new HashMap<>();
            List<ImportJob> jobs = new ArrayList<>();
            Set<String> read = new TreeSet<>();
            for (Map.Entry<String, Map<String, Object>> job : example.getValue()
                    .findResources(JobResource.IMPORT_TYPE).entrySet()) {
                Map<String, Object> properties = properties(job.getValue());
                String folder = folder(properties.get(JobResource.DATA_LOCATION));
                String datasetId = getAttTarget(properties.get(JobResource.DATASET_ARN));
                Map<String, Object> dataset = properties(resources.get(datasetId));
                String datasetType = (String) dataset.get(DatasetResource.DATASET_TYPE);
                JsonNode schema = JSON.readTree((String) dataset.get(DatasetResource.SCHEMA_DEFINITION));
                Map<String, String> folderFiles = files.entrySet().stream()
                        .filter(f -> f.getKey().startsWith(folder))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
                assertThat(folderFiles).as("files under %s read by %s", folder, job.getKey()).isNotEmpty();
                read.addAll(folderFiles.keySet());
                List<Map<String, String>> rows = new ArrayList<>();
                folderFiles.forEach((key, csv) -> rows.addAll(parse(example.getKey() + "/" + key, csv, schema)));
                String mode = String.valueOf(properties.getOrDefault(JobResource.IMPORT_MODE, "FULL"));
                jobs.add(new ImportJob(job.getKey(), datasetType, mode, rows));
                byType.computeIfAbsent(datasetType, t -> new ArrayList<>()).addAll(rows);
                assertThat(dependsOn(job.getValue())).as("%s waits for the sample data", job.getKey())
                        .anySatisfy(dep -> assertThat(resources.get(dep).get("Type"))
                                .isEqualTo("Custom::CDKBucketDeployment"));
                checked++;
            }
            assertThat(read).as("every sample file of %s is imported", example.getKey())
                    .containsExactlyInAnyOrderElementsOf(files.keySet());
            for (ImportJob job : jobs) {
                if (job.datasetType.equals("INTERACTIONS")) {
                    checkInteractions(job, byType.get("USERS"), byType.get("ITEMS"));
                }
            }
        }
        assertThat(checked).as("import jobs checked").isEqualTo(5);
    }

    @Test
    void sampleDataIsTheSameOnEveryCall() {
        assertThat(SampleData.ecommerce()).isEqualTo(SampleData.ecommerce());
        assertThat(SampleData.custom()).isEqualTo(SampleData.custom());
        int bytes = SampleData.ecommerce().values().stream().mapToInt(String::length).sum()
                + SampleData.custom().values().stream().mapToInt(String::length).sum();
        assertThat(bytes).as("sample data size").isLessThan(300_000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "wrong header|USER_ID,ITEM_ID,EVENT,TIMESTAMP\\nu1,i1,View,1735689600\\n|header",
        "missing column|USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\\nu1,i1,1735689600\\n|has 3 values",
        "empty required field|USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\\n,i1,View,1735689600\\n|USER_ID is required",
        "timestamp in milliseconds|USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\\nu1,i1,View,1735689600000\\n|epoch seconds",
        "not a long|USER_ID,ITEM_ID,EVENT_TYPE,TIMESTAMP\\nu1,i1,View,soon\\n|not a long",
    })
    void theCheckRejectsDataPersonalizeWouldReject(String name, String csv, String message) throws IOException {
        JsonNode schema = JSON.readTree("{\"type\":\"record\",\"name\":\"Interactions\",\"fields\":["
                + "{\"name\":\"USER_ID\",\"type\":\"string\"},{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                + "{\"name\":\"EVENT_TYPE\",\"type\":\"string\"},{\"name\":\"TIMESTAMP\",\"type\":\"long\"}]}");
        assertThatThrownBy(() -> parse(name, csv.replace("\\n", "\n"), schema))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(message);
    }

    @Test
    void theMinimumsRejectTooFewInteractionsOrUsers() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int r = 0; r < MIN_INTERACTIONS; r++) {
            rows.add(Map.of("USER_ID", "u" + (r % 24), "ITEM_ID", "i1", "TIMESTAMP", "1735689600"));
        }
        assertThatThrownBy(() -> checkInteractions(new ImportJob("J", "INTERACTIONS", "FULL", rows), null, null))
                .hasMessageContaining("users with 2 or more interactions");
        assertThatThrownBy(() -> checkInteractions(
                new ImportJob("J", "INTERACTIONS", "INCREMENTAL", rows.subList(0, 999)), null, null))
                .hasMessageContaining("records");
    }

    private record ImportJob(String id, String datasetType, String mode, List<Map<String, String>> rows) {
    }

    private static void checkInteractions(ImportJob job, List<Map<String, String>> users,
            List<Map<String, String>> items) {
        if (job.mode.equals("INCREMENTAL")) {
            assertThat(job.rows).as("new records in the INCREMENTAL import %s", job.id)
                    .hasSizeGreaterThanOrEqualTo(MIN_INCREMENTAL_RECORDS);
        } else {
            assertThat(job.rows).as("interactions in the FULL import %s", job.id)
                    .hasSizeGreaterThanOrEqualTo(MIN_INTERACTIONS);
            Map<String, Long> perUser = job.rows.stream()
                    .collect(Collectors.groupingBy(r -> r.get("USER_ID"), Collectors.counting()));
            long active = perUser.values().stream().filter(n -> n >= MIN_INTERACTIONS_PER_USER).count();
            assertThat(active).as("users with 2 or more interactions in %s", job.id)
                    .isGreaterThanOrEqualTo(MIN_USERS);
        }
        if (users != null) {
            Set<String> known = users.stream().map(r -> r.get("USER_ID")).collect(Collectors.toSet());
            assertThat(job.rows).as("users of %s", job.id).allSatisfy(r -> assertThat(known).contains(r.get("USER_ID")));
        }
        if (items != null) {
            Set<String> known = items.stream().map(r -> r.get("ITEM_ID")).collect(Collectors.toSet());
            assertThat(job.rows).as("items of %s", job.id).allSatisfy(r -> assertThat(known).contains(r.get("ITEM_ID")));
        }
        job.rows.stream().map(r -> r.get("EVENT_TYPE")).filter(e -> e != null && !e.isEmpty())
                .forEach(e -> assertThat(e).as("EVENT_TYPE in %s", job.id).isIn("View", "Purchase"));
    }

    /** Parses a CSV without quoted values against an Avro record schema, failing on the first mismatch. */
    private static List<Map<String, String>> parse(String file, String csv, JsonNode schema) {
        assertThat(csv).as("%s has no quoted values", file).doesNotContain("\"");
        String[] lines = csv.split("\n");
        List<String> names = new ArrayList<>();
        schema.path("fields").forEach(f -> names.add(f.path("name").asText()));
        assertThat(List.of(lines[0].split(",", -1))).as("%s header", file).isEqualTo(names);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int n = 1; n < lines.length; n++) {
            String[] values = lines[n].split(",", -1);
            assertThat(values.length).as("%s line %d has %d values", file, n + 1, values.length)
                    .isEqualTo(names.size());
            Map<String, String> row = new LinkedHashMap<>();
            int i = 0;
            for (JsonNode field : schema.path("fields")) {
                String name = field.path("name").asText();
                String value = values[i++];
                row.put(name, value);
                String where = file + " line " + (n + 1) + " " + name;
                if (value.isEmpty()) {
                    assertThat(nullable(field)).as("%s is required", where).isTrue();
                    continue;
                }
                checkType(where, baseType(field), value);
                if (name.endsWith("TIMESTAMP")) {
                    assertThat(Long.parseLong(value)).as("%s in epoch seconds", where).isBetween(EARLIEST, LATEST);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static void checkType(String where, String type, String value) {
        try {
            switch (type) {
                case "long" -> Long.parseLong(value);
                case "int" -> Integer.parseInt(value);
                case "float", "double" -> assertThat(Double.parseDouble(value)).as("%s", where).isFinite();
                case "boolean" -> assertThat(value).as("%s", where).isIn("true", "false");
                case "string" -> assertThat(value).as("%s", where).isNotBlank();
                default -> throw new AssertionError(where + ": unexpected type " + type);
            }
        } catch (NumberFormatException e) {
            throw new AssertionError(where + ": '" + value + "' is not a " + type, e);
        }
    }

    private static boolean nullable(JsonNode field) {
        JsonNode type = field.path("type");
        if (!type.isArray()) {
            return false;
        }
        for (JsonNode t : type) {
            if (t.asText().equals("null")) {
                return true;
            }
        }
        return false;
    }

    private static String baseType(JsonNode field) {
        JsonNode type = field.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        return type.asText();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> resources(Template template) {
        return (Map<String, Map<String, Object>>) template.toJSON().get("Resources");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Object resource) {
        return (Map<String, Object>) ((Map<String, Object>) resource).get("Properties");
    }

    @SuppressWarnings("unchecked")
    private static List<String> dependsOn(Object resource) {
        Object deps = ((Map<String, Object>) resource).get("DependsOn");
        return deps == null ? List.of() : (List<String>) deps;
    }

    /** @return the folder of {@code {"Fn::Join": ["", ["s3://", {"Ref": bucket}, "/folder/"]]}} */
    @SuppressWarnings("unchecked")
    private static String folder(Object dataLocation) {
        List<Object> join = (List<Object>) ((Map<String, Object>) dataLocation).get("Fn::Join");
        List<Object> parts = (List<Object>) join.get(1);
        String last = (String) parts.get(parts.size() - 1);
        assertThat(last).startsWith("/").endsWith("/");
        return last.substring(1);
    }

    @SuppressWarnings("unchecked")
    private static String getAttTarget(Object getAtt) {
        return ((List<String>) ((Map<String, Object>) getAtt).get("Fn::GetAtt")).get(0);
    }
}
