package io.github.personalizecdk.handler.internal;

import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.handler.internal.JobSpec.JobType;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.CreateDatasetExportJobRequest;
import software.amazon.awssdk.services.personalize.model.CreateDatasetImportJobRequest;
import software.amazon.awssdk.services.personalize.model.DataSource;
import software.amazon.awssdk.services.personalize.model.DatasetExportJob;
import software.amazon.awssdk.services.personalize.model.DatasetExportJobOutput;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.S3DataConfig;
import software.amazon.awssdk.services.personalize.model.Tag;

/**
 * What each custom-resource event means for a Personalize job, apart from the Lambda glue.
 *
 * <p>{@link #onEvent} starts the job (or adopts the one a retried request started) and returns at once;
 * {@link #isComplete} describes it once per call. The Provider framework calls isComplete again after its
 * query interval until it answers complete, throws, or the framework's total timeout passes.
 */
public final class JobLifecycle {
    /** Top-level key of the onEvent result; the framework passes it on to isComplete. */
    public static final String STATE = "PersonalizeJob";
    static final String ACTION = "Action";
    static final String STARTED_AT = "StartedAt";
    static final String WAIT = "WAIT";
    static final String DESCRIBE = "DESCRIBE";
    static final String DONE = "DONE";

    public static final String ACTIVE = "ACTIVE";
    public static final String CREATE_FAILED = "CREATE FAILED";

    private static final Map<String, String> LAST_LOGGED_STATUS = new ConcurrentHashMap<>();

    private final PersonalizeClient client;
    private final Clock clock;
    private final String region;
    private final Consumer<String> log;

    public JobLifecycle(PersonalizeClient client, Clock clock, String region, Consumer<String> log) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.region = region;
        this.log = Objects.requireNonNull(log, "log");
    }

    /** A job as Describe reports it. */
    public record Status(String arn, String name, String status, String failureReason, String datasetArn,
            String location) {
    }

    // ---- onEvent

    public Map<String, Object> onEvent(Map<String, Object> event) {
        String requestType = string(event, "RequestType");
        return switch (requestType) {
            case "Create" -> start(event);
            case "Update" -> update(event);
            case "Delete" -> result(string(event, "PhysicalResourceId"), DONE, null);
            default -> throw new IllegalArgumentException("unknown RequestType \"" + requestType + "\"");
        };
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> update(Map<String, Object> event) {
        Map<String, Object> now = (Map<String, Object>) event.get("ResourceProperties");
        Map<String, Object> before = (Map<String, Object>) event.get("OldResourceProperties");
        if (JobSpec.sameJob(now, before)) {
            return result(string(event, "PhysicalResourceId"), DESCRIBE, null);
        }
        return start(event);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> start(Map<String, Object> event) {
        JobSpec spec = JobSpec.parse((Map<String, Object>) event.get("ResourceProperties"));
        checkRegion(spec);
        String name = spec.jobName(string(event, "LogicalResourceId"), string(event, "RequestId"));
        String arn;
        try {
            arn = spec.type() == JobType.IMPORT ? createImport(spec, name) : createExport(spec, name);
        } catch (ResourceAlreadyExistsException e) {
            arn = adopt(spec, name);
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("Personalize cannot find dataset " + spec.datasetArn() + " in region "
                    + region + " (" + message(e) + "); check that the dataset exists in this account and region", e);
        } catch (PersonalizeException e) {
            throw new IllegalStateException("Personalize rejected " + spec.type().description() + " " + name + ": "
                    + errorCode(e) + ": " + message(e), e);
        }
        logStatus(spec.type(), arn, "CREATE PENDING", 0);
        Map<String, Object> result = result(arn, spec.waitForCompletion() ? WAIT : DESCRIBE, clock.millis());
        result.put("Data", data(arn, name, "CREATE PENDING"));
        return result;
    }

    private void checkRegion(JobSpec spec) {
        String datasetRegion = spec.datasetRegion();
        if (region != null && !region.isEmpty() && !datasetRegion.equals(region)) {
            throw new IllegalArgumentException("dataset " + spec.datasetArn() + " is in region " + datasetRegion
                    + " but this handler runs in " + region + "; a job must be created in its dataset's region");
        }
    }

    private String createImport(JobSpec spec, String name) {
        return client.createDatasetImportJob(CreateDatasetImportJobRequest.builder()
                .jobName(name)
                .datasetArn(spec.datasetArn())
                .dataSource(DataSource.builder().dataLocation(spec.dataLocation()).build())
                .roleArn(spec.roleArn())
                .importMode(spec.importMode())
                .publishAttributionMetricsToS3(spec.publishAttributionMetricsToS3())
                .tags(tags(spec))
                .build()).datasetImportJobArn();
    }

    private String createExport(JobSpec spec, String name) {
        return client.createDatasetExportJob(CreateDatasetExportJobRequest.builder()
                .jobName(name)
                .datasetArn(spec.datasetArn())
                .ingestionMode(spec.ingestionMode())
                .roleArn(spec.roleArn())
                .jobOutput(DatasetExportJobOutput.builder().s3DataDestination(S3DataConfig.builder()
                        .path(spec.outputPath()).kmsKeyArn(spec.kmsKeyArn()).build()).build())
                .tags(tags(spec))
                .build()).datasetExportJobArn();
    }

    private static java.util.List<Tag> tags(JobSpec spec) {
        return spec.tags().isEmpty() ? null : spec.tags().stream()
                .map(t -> Tag.builder().tagKey(t.getKey()).tagValue(t.getValue()).build())
                .toList();
    }

    /** A retried request meets the job it started: adopt it if it is the same job, fail otherwise. */
    private String adopt(JobSpec spec, String name) {
        String arn = spec.jobArn(name);
        Status existing = describe(spec.type(), arn);
        if (spec.datasetArn().equals(existing.datasetArn()) && spec.location().equals(existing.location())) {
            return arn;
        }
        throw new IllegalStateException("a " + spec.type().description() + " named " + name
                + " already exists for dataset " + existing.datasetArn() + " and location " + existing.location()
                + ", not for dataset " + spec.datasetArn() + " and location " + spec.location()
                + "; job names are unique per account and region: choose another jobNamePrefix");
    }

    // ---- isComplete

    @SuppressWarnings("unchecked")
    public Map<String, Object> isComplete(Map<String, Object> event) {
        String requestType = string(event, "RequestType");
        if (!requestType.equals("Create") && !requestType.equals("Update") && !requestType.equals("Delete")) {
            throw new IllegalArgumentException("unknown RequestType \"" + requestType + "\"");
        }
        Map<String, Object> state = (Map<String, Object>) event.get(STATE);
        String action = state == null ? DONE : String.valueOf(state.get(ACTION));
        if (requestType.equals("Delete") || action.equals(DONE)) {
            return Map.of("IsComplete", true);
        }
        JobSpec spec = JobSpec.parse((Map<String, Object>) event.get("ResourceProperties"));
        String arn = string(event, "PhysicalResourceId");
        Status status = describe(spec.type(), arn);
        long elapsedMillis = state.get(STARTED_AT) == null ? 0 : clock.millis() - toLong(state.get(STARTED_AT));
        logStatus(spec.type(), arn, status.status(), elapsedMillis);
        if (action.equals(DESCRIBE) || status.status().equals(ACTIVE)) {
            return complete(status);
        }
        if (status.status().equals(CREATE_FAILED)) {
            throw new IllegalStateException(spec.type().description() + " " + arn + " failed: "
                    + (status.failureReason() == null ? "(Personalize gave no failureReason)" : status.failureReason()));
        }
        if (!status.status().startsWith("CREATE")) {
            throw new IllegalStateException(spec.type().description() + " " + arn + " has unexpected status "
                    + status.status());
        }
        Duration timeout = Duration.ofSeconds(spec.timeoutSeconds());
        if (elapsedMillis > timeout.toMillis()) {
            throw new IllegalStateException("timed out after " + elapsedMillis / 1000 + " s (timeout "
                    + timeout.toSeconds() + " s) waiting for " + spec.type().description() + " " + arn
                    + "; last status " + status.status() + ". The job goes on in Personalize; "
                    + "raise the timeout (at most 54 minutes) or set wait to false for longer jobs");
        }
        return Map.of("IsComplete", false);
    }

    private Map<String, Object> complete(Status status) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("IsComplete", true);
        out.put("Data", data(status.arn(), status.name(), status.status()));
        return out;
    }

    /** @return the job as Personalize describes it */
    public Status describe(JobType type, String arn) {
        try {
            if (type == JobType.IMPORT) {
                DatasetImportJob job = client.describeDatasetImportJob(r -> r.datasetImportJobArn(arn))
                        .datasetImportJob();
                return new Status(job.datasetImportJobArn(), job.jobName(), job.status(), job.failureReason(),
                        job.datasetArn(), job.dataSource() == null ? null : job.dataSource().dataLocation());
            }
            DatasetExportJob job = client.describeDatasetExportJob(r -> r.datasetExportJobArn(arn))
                    .datasetExportJob();
            String path = job.jobOutput() == null || job.jobOutput().s3DataDestination() == null ? null
                    : job.jobOutput().s3DataDestination().path();
            return new Status(job.datasetExportJobArn(), job.jobName(), job.status(), job.failureReason(),
                    job.datasetArn(), path);
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("Personalize has no " + type.description() + " " + arn + " in region "
                    + region + ": " + message(e), e);
        }
    }

    // ---- helpers

    private void logStatus(JobType type, String arn, String status, long elapsedMillis) {
        String previous = LAST_LOGGED_STATUS.put(arn, status);
        if (status.equals(previous)) {
            return;
        }
        log.accept("{\"event\":\"jobStatus\",\"jobType\":\"" + type + "\",\"jobArn\":\"" + json(arn)
                + "\",\"status\":\"" + json(status) + "\",\"previousStatus\":"
                + (previous == null ? "null" : "\"" + json(previous) + "\"")
                + ",\"elapsedSeconds\":" + elapsedMillis / 1000 + "}");
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static Map<String, Object> result(String physicalId, String action, Long startedAt) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put(ACTION, action);
        if (startedAt != null) {
            state.put(STARTED_AT, startedAt);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("PhysicalResourceId", Objects.requireNonNull(physicalId, "PhysicalResourceId"));
        out.put(STATE, state);
        return out;
    }

    private static Map<String, Object> data(String arn, String name, String status) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(JobResource.ATT_JOB_ARN, arn);
        data.put(JobResource.ATT_JOB_NAME, name);
        data.put(JobResource.ATT_STATUS, status);
        return data;
    }

    private static String string(Map<String, Object> event, String key) {
        Object value = Objects.requireNonNull(event, "event").get(key);
        return Objects.requireNonNull(value, key).toString();
    }

    private static long toLong(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }

    private static String errorCode(PersonalizeException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }

    private static String message(PersonalizeException e) {
        return e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    }
}
