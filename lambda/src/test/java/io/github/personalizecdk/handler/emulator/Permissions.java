package io.github.personalizecdk.handler.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * What IAM would ask of a caller before a call: {@link #allows} for the action on each resource the call names.
 * The resource types per action follow the Service Authorization Reference for Amazon Personalize (CreateDataset:
 * the dataset and its group; a Create*Job: the dataset and the job; the rest: the resource they name).
 */
@FunctionalInterface
public interface Permissions {
    /** @return whether the caller's policies allow {@code action} (e.g. {@code personalize:DeleteDataset}) on it */
    boolean allows(String action, String resourceArn);

    /** @return the ARNs a Personalize operation is authorized on, {@code *} for list operations */
    static List<String> resources(String operation, JsonNode body, String region) {
        String prefix = "arn:aws:personalize:" + region + ":" + PersonalizeEmulator.ACCOUNT + ":";
        return switch (operation) {
            case "CreateDatasetGroup" -> List.of(prefix + "dataset-group/" + body.path("name").asText());
            case "DescribeDatasetGroup", "DeleteDatasetGroup" -> List.of(body.path("datasetGroupArn").asText());
            case "CreateSchema" -> List.of(prefix + "schema/" + body.path("name").asText());
            case "DescribeSchema", "DeleteSchema" -> List.of(body.path("schemaArn").asText());
            case "CreateDataset" -> {
                String group = body.path("datasetGroupArn").asText();
                yield List.of(prefix + "dataset/" + group.substring(group.indexOf('/') + 1) + "/"
                        + body.path("datasetType").asText().toUpperCase(Locale.ROOT), group);
            }
            case "DescribeDataset", "UpdateDataset", "DeleteDataset" -> List.of(body.path("datasetArn").asText());
            case "CreateDatasetImportJob" -> List.of(body.path("datasetArn").asText(),
                    prefix + "dataset-import-job/" + body.path("jobName").asText());
            case "CreateDatasetExportJob" -> List.of(body.path("datasetArn").asText(),
                    prefix + "dataset-export-job/" + body.path("jobName").asText());
            case "DescribeDatasetImportJob" -> List.of(body.path("datasetImportJobArn").asText());
            case "DescribeDatasetExportJob" -> List.of(body.path("datasetExportJobArn").asText());
            default -> List.of("*");
        };
    }
}
