package io.github.personalizecdk.handler.internal;

import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.handler.internal.JobSpec.JobType;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.CreateDatasetExportJobRequest;
import software.amazon.awssdk.services.personalize.model.CreateDatasetImportJobRequest;
import software.amazon.awssdk.services.personalize.model.DataSource;
import software.amazon.awssdk.services.personalize.model.DatasetExportJob;
import software.amazon.awssdk.services.personalize.model.DatasetExportJobOutput;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.S3DataConfig;
import software.amazon.awssdk.services.personalize.model.Tag;

/**
 * {@code Custom::PersonalizeDatasetImportJob} and {@code Custom::PersonalizeDatasetExportJob}: Create starts the
 * job (or adopts the one a retried request started) and waits until it is ACTIVE; an Update that changes the job
 * starts a new one (new physical id); Delete does nothing, since Personalize keeps jobs.
 */
public final class JobLifecycle extends ResourceLifecycle {
    /** Wait until the job is ACTIVE. */
    static final String WAIT = "WAIT";
    /** Describe the job once and report its status (not waiting, or an unchanged job). */
    static final String DESCRIBE = "DESCRIBE";

    public JobLifecycle(PersonalizeClient client, Clock clock, String region, Consumer<String> log) {
        super(client, clock, region, log);
    }

    /** A job as Describe reports it. */
    public record Status(String arn, String name, String status, String failureReason, String datasetArn,
            String location) {
    }

    // ---- onEvent

    @Override
    protected Map<String, Object> onCreate(Request request) {
        return start(request);
    }

    @Override
    protected Map<String, Object> onUpdate(Request request) {
        if (JobSpec.sameJob(request.properties(), request.oldProperties())) {
            return result(request.physicalId(), DESCRIBE, null, null);
        }
        return start(request);
    }

    @Override
    protected Map<String, Object> onDelete(Request request) {
        return result(request.physicalId(), DONE, null, null);
    }

    private Map<String, Object> start(Request request) {
        JobSpec spec = JobSpec.parse(request.properties());
        checkRegion(spec.datasetArn(), "dataset", "a job must be created in its dataset's region");
        String name = spec.jobName(request.logicalResourceId(), request.requestId());
        String arn = createOrAdopt(spec.type().description() + " " + name,
                () -> spec.type() == JobType.IMPORT ? createImport(spec, name) : createExport(spec, name),
                exists -> adopt(spec, name),
                notFound -> new IllegalStateException("Personalize cannot find dataset " + spec.datasetArn()
                        + " in region " + region + " (" + message(notFound)
                        + "); check that the dataset exists in this account and region", notFound));
        logStatus(spec.type(), arn, "CREATE PENDING", 0);
        return result(arn, spec.waitForCompletion() ? WAIT : DESCRIBE, clock.millis(),
                data(arn, name, "CREATE PENDING"));
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

    private static List<Tag> tags(JobSpec spec) {
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

    @Override
    protected Progress isDeleteComplete(Request request, String action, long elapsedMillis) {
        return new Complete(null);
    }

    @Override
    protected Progress isCreateOrUpdateComplete(Request request, String action, long elapsedMillis) {
        if (action.equals(DONE)) {
            return new Complete(null);
        }
        JobSpec spec = JobSpec.parse(request.properties());
        String arn = request.physicalId();
        Status status = describe(spec.type(), arn);
        logStatus(spec.type(), arn, status.status(), elapsedMillis);
        if (action.equals(DESCRIBE) || status.status().equals(ACTIVE)) {
            return new Complete(data(status.arn(), status.name(), status.status()));
        }
        if (status.status().equals(CREATE_FAILED)) {
            throw new IllegalStateException(spec.type().description() + " " + arn + " failed: "
                    + reason(status.failureReason()));
        }
        if (!status.status().startsWith("CREATE")) {
            throw new IllegalStateException(spec.type().description() + " " + arn + " has unexpected status "
                    + status.status());
        }
        return new Waiting(spec.type().description() + " " + arn, status.status());
    }

    @Override
    protected Duration timeout(Request request) {
        return Duration.ofSeconds(JobSpec.parse(request.properties()).timeoutSeconds());
    }

    @Override
    protected String timeoutAdvice() {
        return "The job goes on in Personalize; raise the timeout (at most 54 minutes) or set wait to false for "
                + "longer jobs";
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
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("jobType", type.name());
        identity.put("jobArn", arn);
        logStatus("jobStatus", identity, status, elapsedMillis);
    }

    private static Map<String, Object> data(String arn, String name, String status) {
        return data(JobResource.ATT_JOB_ARN, arn, JobResource.ATT_JOB_NAME, name, JobResource.ATT_STATUS, status);
    }
}
