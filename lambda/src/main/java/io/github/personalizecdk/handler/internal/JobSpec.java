package io.github.personalizecdk.handler.internal;

import static io.github.personalizecdk.contract.JobResource.DATASET_ARN;
import static io.github.personalizecdk.contract.JobResource.DATA_LOCATION;
import static io.github.personalizecdk.contract.JobResource.IMPORT_MODE;
import static io.github.personalizecdk.contract.JobResource.INGESTION_MODE;
import static io.github.personalizecdk.contract.JobResource.JOB_NAME_PREFIX;
import static io.github.personalizecdk.contract.JobResource.JOB_TYPE;
import static io.github.personalizecdk.contract.JobResource.KMS_KEY_ARN;
import static io.github.personalizecdk.contract.JobResource.OUTPUT_PATH;
import static io.github.personalizecdk.contract.JobResource.PUBLISH_ATTRIBUTION_METRICS;
import static io.github.personalizecdk.contract.JobResource.ROLE_ARN;
import static io.github.personalizecdk.contract.JobResource.TAGS;
import static io.github.personalizecdk.contract.JobResource.TIMEOUT_SECONDS;
import static io.github.personalizecdk.contract.JobResource.WAIT;
import static io.github.personalizecdk.contract.JobResource.WAITER_ARN;
import static io.github.personalizecdk.contract.JobResource.WAIT_HANDLE;
import static io.github.personalizecdk.handler.internal.Properties.optional;
import static io.github.personalizecdk.handler.internal.Properties.orDefault;
import static io.github.personalizecdk.handler.internal.Properties.required;

import io.github.personalizecdk.contract.JobNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A job as the custom resource's properties describe it. */
public record JobSpec(
        JobType type,
        String datasetArn,
        String roleArn,
        String jobNamePrefix,
        String dataLocation,
        String importMode,
        boolean publishAttributionMetricsToS3,
        String outputPath,
        String kmsKeyArn,
        String ingestionMode,
        List<Map.Entry<String, String>> tags,
        boolean waitForCompletion,
        long timeoutSeconds,
        String waitHandle,
        String waiterArn) {

    /** Properties that only steer waiting; changing them starts no new job. */
    private static final List<String> NOT_JOB_RELEVANT = List.of(WAIT, TIMEOUT_SECONDS, TAGS, WAIT_HANDLE,
            WAITER_ARN, "ServiceToken", "ServiceTimeout");

    /** The kind of job. */
    public enum JobType {
        IMPORT("dataset import job", "dataset-import-job"),
        EXPORT("dataset export job", "dataset-export-job");

        private final String description;
        private final String arnResource;

        JobType(String description, String arnResource) {
            this.description = description;
            this.arnResource = arnResource;
        }

        public String description() {
            return description;
        }

        public String arnResource() {
            return arnResource;
        }
    }

    /** Reads the resource properties; a missing required property fails with its name. */
    public static JobSpec parse(Map<String, Object> properties) {
        Objects.requireNonNull(properties, "ResourceProperties");
        JobType type = JobType.valueOf(required(properties, JOB_TYPE));
        String datasetArn = required(properties, DATASET_ARN);
        String roleArn = required(properties, ROLE_ARN);
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        if (properties.get(TAGS) instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> tag) {
                    tags.add(Map.entry(String.valueOf(tag.get("Key")), String.valueOf(tag.get("Value"))));
                }
            }
        }
        return new JobSpec(type, datasetArn, roleArn,
                optional(properties, JOB_NAME_PREFIX),
                type == JobType.IMPORT ? required(properties, DATA_LOCATION) : null,
                type == JobType.IMPORT ? orDefault(properties, IMPORT_MODE, "FULL") : null,
                Boolean.parseBoolean(optional(properties, PUBLISH_ATTRIBUTION_METRICS)),
                type == JobType.EXPORT ? required(properties, OUTPUT_PATH) : null,
                type == JobType.EXPORT ? optional(properties, KMS_KEY_ARN) : null,
                type == JobType.EXPORT ? orDefault(properties, INGESTION_MODE, "PUT") : null,
                List.copyOf(tags),
                !"false".equalsIgnoreCase(optional(properties, WAIT)),
                Long.parseLong(orDefault(properties, TIMEOUT_SECONDS, "3000")),
                optional(properties, WAIT_HANDLE),
                optional(properties, WAITER_ARN));
    }

    /** @return whether a wait condition waits for the job (long wait): the resource only starts it and its poller */
    public boolean longWait() {
        return waitForCompletion && waitHandle != null && waiterArn != null;
    }

    /** @return whether two property sets describe the same job (ignoring waiting and tags) */
    public static boolean sameJob(Map<String, Object> a, Map<String, Object> b) {
        return jobRelevant(a).equals(jobRelevant(b));
    }

    private static Map<String, String> jobRelevant(Map<String, Object> properties) {
        Map<String, String> out = new TreeMap<>();
        if (properties != null) {
            properties.forEach((k, v) -> {
                if (!NOT_JOB_RELEVANT.contains(k) && v != null) {
                    out.put(k, String.valueOf(v));
                }
            });
        }
        return out;
    }

    /**
     * A name unique to one CloudFormation request: the prefix (or logical id), then a hash of the request id,
     * cut to Personalize's 63 characters of {@code [a-zA-Z0-9][a-zA-Z0-9\-_]*}.
     */
    public String jobName(String logicalResourceId, String requestId) {
        return JobNames.name(sanitize(jobNamePrefix != null ? jobNamePrefix : logicalResourceId),
                Objects.requireNonNull(requestId, "RequestId"));
    }

    static String sanitize(String raw) {
        String cleaned = (raw == null ? "" : raw).replaceAll("[^a-zA-Z0-9\\-_]", "-");
        if (cleaned.isEmpty() || !Character.isLetterOrDigit(cleaned.charAt(0))) {
            cleaned = "job" + cleaned;
        }
        return cleaned;
    }

    /** @return the ARN Personalize gives a job of this name, in the dataset's partition, region and account */
    public String jobArn(String jobName) {
        String[] parts = datasetArn.split(":", 6);
        if (parts.length < 6 || !parts[0].equals("arn") || !parts[2].equals("personalize")) {
            throw new IllegalArgumentException("DatasetArn \"" + datasetArn + "\" is not a Personalize dataset ARN");
        }
        return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], type.arnResource() + "/" + jobName);
    }

    /** @return the region in the dataset ARN */
    public String datasetRegion() {
        String[] parts = datasetArn.split(":", 6);
        return parts.length > 3 ? parts[3] : "";
    }

    /** @return where the job reads (import) or writes (export) */
    public String location() {
        return type == JobType.IMPORT ? dataLocation : outputPath;
    }
}
