package io.github.personalizecdk.handler.internal;

import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.handler.internal.JobSpec.JobType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.CreateDatasetExportJobRequest;
import software.amazon.awssdk.services.personalize.model.CreateDatasetImportJobRequest;
import software.amazon.awssdk.services.personalize.model.DataSource;
import software.amazon.awssdk.services.personalize.model.DatasetExportJob;
import software.amazon.awssdk.services.personalize.model.DatasetExportJobOutput;
import software.amazon.awssdk.services.personalize.model.DatasetImportJob;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.LimitExceededException;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;
import software.amazon.awssdk.services.personalize.model.S3DataConfig;
import software.amazon.awssdk.services.personalize.model.Tag;

/**
 * {@code Custom::PersonalizeDatasetImportJob} and {@code Custom::PersonalizeDatasetExportJob}: Create starts the
 * job (or adopts the one a retried request started) and waits until it is ACTIVE; an Update that changes the job
 * starts a new one (new physical id); Delete does nothing, since Personalize keeps jobs.
 *
 * <p>A job with a wait condition (its timeout is above an hour: {@link JobSpec#longWait()}) is not waited for here:
 * once it has started, its poller starts ({@link JobPoller}) and the resource completes; Delete stops the poller.
 *
 * <p>A job Personalize cannot start yet is not failed: onEvent answers with the job's future ARN (its name, and so
 * its ARN, is known before it exists) and {@link #NOT_STARTED}, and each isComplete call first describes that ARN
 * (an earlier isComplete may have started it) and otherwise tries the Create again, until the job starts or its
 * timeout, counted from the first try, passes. "Cannot start yet" is one of {@link Refusal}: the import quota
 * ({@code LimitExceededException}), another operation on the dataset ({@code ResourceInUseException}), throttling
 * or a 5xx answer the SDK's retries did not get past, and, for {@link #PROPAGATION_WINDOW} only, a role or bucket
 * policy that Personalize cannot use yet.
 */
public final class JobLifecycle extends ResourceLifecycle {
    /** Wait until the job is ACTIVE. */
    static final String WAIT = "WAIT";
    /** Describe the job once and report its status (not waiting, or an unchanged job). */
    static final String DESCRIBE = "DESCRIBE";
    /**
     * Personalize refused to start the job for now: isComplete describes the job's ARN and, while it does not
     * exist, tries the Create again. The framework hands isComplete the onEvent state unchanged, so every call
     * sees this action; {@link #STARTED_AT} is the first try, from which both the job's timeout and the
     * {@link #PROPAGATION_WINDOW} count.
     */
    static final String NOT_STARTED = "NOT_STARTED";

    /**
     * How long after the first try a role or bucket policy is given to become visible to Personalize. IAM changes
     * are eventually consistent and usually visible within seconds; after this window the error is taken for a
     * real permission problem. The window counts from the first try, since the role was created before it.
     */
    public static final Duration PROPAGATION_WINDOW = Duration.ofMinutes(5);

    /**
     * The longest pause before a queued job tries its Create again. Every waiting job tries on every poll, so the
     * quota is never left idle for longer than one query interval whatever the number of waiting jobs: N jobs of T
     * minutes finish within about ceil(N/5)·T plus a query interval or two. Skipping polls (random or per job) would
     * instead add up to a skipped poll per wave of five. What the jitter prevents is twenty waiters that
     * CloudFormation started in the same second calling Create in the same instant on every poll: a random pause of
     * up to this long (Lambda bills it by the millisecond) spreads the calls, so the SDK's throttling retries are
     * rarely needed, and a call still throttled after them only makes the job wait for the next poll.
     */
    public static final Duration MAX_RETRY_JITTER = Duration.ofMillis(1_000);

    /** The import quota per region, not adjustable (Personalize guide, "Common error messages"). */
    static final int IMPORT_QUOTA = 5;

    private final RandomGenerator random;
    private final LongConsumer pause;
    /** The last status this handler saw per job ARN: names the jobs that held the quota when listing is denied. */
    private final Map<String, String> seenStatus = new ConcurrentHashMap<>();
    /** The last refusal per queued job ARN (this execution environment only): words the timeout message. */
    private final Map<String, Refusal> lastRefusal = new ConcurrentHashMap<>();
    /** Starts and stops the pollers of long waits; null when this handler has no Step Functions client. */
    private JobPoller poller;

    /** Lets jobs with a wait condition (long wait) start and stop their pollers through this poller. */
    public void poller(JobPoller poller) {
        this.poller = poller;
    }

    public JobLifecycle(PersonalizeClient client, Clock clock, String region, Consumer<String> log) {
        this(client, clock, region, log, RandomGenerator.getDefault(), JobLifecycle::sleep);
    }

    /**
     * @param random picks the pause before a queued job's retry, up to {@link #MAX_RETRY_JITTER}
     * @param pause  pauses that many milliseconds (tests record instead of sleeping)
     */
    public JobLifecycle(PersonalizeClient client, Clock clock, String region, Consumer<String> log,
            RandomGenerator random, LongConsumer pause) {
        super(client, clock, region, log);
        this.random = Objects.requireNonNull(random, "random");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    /** A job as Describe reports it. */
    public record Status(String arn, String name, String status, String failureReason, String datasetArn,
            String location) {
    }

    /**
     * Why Personalize did not start a job now, when trying again later can succeed.
     *
     * @param kind    {@code QUOTA}, {@code IN_USE}, {@code PROPAGATION} or {@code BUSY}
     * @param code    Personalize's error code
     * @param message Personalize's message
     */
    record Refusal(String kind, String code, String message) {
        static final String QUOTA = "QUOTA";
        static final String IN_USE = "IN_USE";
        static final String PROPAGATION = "PROPAGATION";
        static final String BUSY = "BUSY";

        /**
         * Messages of a role or bucket policy Personalize cannot use (yet), answered by CreateDatasetImportJob and
         * CreateDatasetExportJob as {@code InvalidInputException} (the only client error their API reference
         * declares for a request refused as given). The documented one: the Personalize Developer Guide, "Common
         * error messages in Amazon Personalize" (error-messages.html), section "Data import and management":
         * "Failed to create a data import job for &lt;dataset type&gt; dataset....Insufficient privileges for
         * accessing data in Amazon S3.", remedied by access policies on the bucket and the Personalize service role
         * (granting-personalize-s3-access.html) and KMS key grants (granting-personalize-key-access.html). Not
         * documented, but of the same cause: a role Personalize cannot assume (its trust policy). A role, role
         * policy or bucket policy created by the same deploy answers the same until IAM and S3 have propagated it,
         * so these are retried for {@link #PROPAGATION_WINDOW}, then reported with what to check. A job that was
         * created and then fails with such a reason (CREATE FAILED) is not retried: its name, and so the
         * resource's physical id, is taken.
         */
        static final List<String> PROPAGATION_MESSAGES = List.of("insufficient privileges", "assume role",
                "assume the role", "assumerole");

        /** @return the refusal, or null when the error is final */
        static Refusal of(SdkException e) {
            if (e instanceof LimitExceededException p) {
                return new Refusal(QUOTA, ResourceLifecycle.errorCode(p), ResourceLifecycle.message(p));
            }
            if (e instanceof ResourceInUseException p) {
                return new Refusal(IN_USE, ResourceLifecycle.errorCode(p), ResourceLifecycle.message(p));
            }
            if (e instanceof InvalidInputException p && ResourceLifecycle.message(p) != null) {
                String text = ResourceLifecycle.message(p).toLowerCase(Locale.ROOT);
                if (PROPAGATION_MESSAGES.stream().anyMatch(text::contains)) {
                    return new Refusal(PROPAGATION, ResourceLifecycle.errorCode(p), ResourceLifecycle.message(p));
                }
            }
            if (e instanceof AwsServiceException s && !(e instanceof ResourceNotFoundException)
                    && (s.isThrottlingException() || s.statusCode() >= 500)) {
                return new Refusal(BUSY, s.awsErrorDetails() == null ? "HTTP " + s.statusCode()
                        : s.awsErrorDetails().errorCode(), s.awsErrorDetails() == null ? s.getMessage()
                        : s.awsErrorDetails().errorMessage());
            }
            return null;
        }

        String text() {
            return code + ": " + message;
        }
    }

    // ---- onEvent

    @Override
    protected Map<String, Object> onCreate(Request request) {
        return start(request);
    }

    @Override
    protected Map<String, Object> onUpdate(Request request) {
        if (JobSpec.sameJob(request.properties(), request.oldProperties())) {
            // the same job under a new wait condition (e.g. a short wait made long): the new one needs a poller
            JobSpec spec = JobSpec.parse(request.properties());
            JobSpec old = JobSpec.parse(request.oldProperties());
            if (!Objects.equals(spec.waitHandle(), old.waitHandle())) {
                if (old.longWait()) {
                    poller().stop(old, request.physicalId());
                }
                if (spec.longWait()) {
                    poller().start(spec, request.physicalId(), clock.millis());
                }
            }
            return result(request.physicalId(), DESCRIBE, null, null);
        }
        return start(request);
    }

    /** Personalize keeps jobs; a long wait's poller is stopped (the job was replaced, or the stack rolls back). */
    @Override
    protected Map<String, Object> onDelete(Request request) {
        if (request.properties() != null) {
            JobSpec spec = JobSpec.parse(request.properties());
            if (spec.longWait()) {
                poller().stop(spec, request.physicalId());
            }
        }
        return result(request.physicalId(), DONE, null, null);
    }

    private JobPoller poller() {
        if (poller == null) {
            throw new IllegalStateException("this handler cannot start or stop the pollers of long waits");
        }
        return poller;
    }

    private Map<String, Object> start(Request request) {
        JobSpec spec = JobSpec.parse(request.properties());
        checkRegion(spec.datasetArn(), "dataset", "a job must be created in its dataset's region");
        String name = spec.jobName(request.logicalResourceId(), request.requestId());
        String arn = spec.jobArn(name);
        Refusal refusal = tryStart(spec, name);
        if (refusal != null) {
            logNotStarted(spec, arn, refusal, 0);
            return result(arn, NOT_STARTED, clock.millis(), data(arn, name, null));
        }
        logStatus(spec.type(), arn, "CREATE PENDING", 0);
        long startedAt = clock.millis();
        if (spec.longWait()) {
            poller().start(spec, arn, startedAt);
        }
        return result(arn, spec.waitForCompletion() && !spec.longWait() ? WAIT : DESCRIBE, startedAt,
                data(arn, name, "CREATE PENDING"));
    }

    /**
     * Calls Create once: a job of this name that already exists is adopted (a retried request, or an earlier
     * isComplete that started it).
     *
     * @return null when the job started (or was adopted), else why Personalize cannot start it now
     */
    private Refusal tryStart(JobSpec spec, String name) {
        try {
            String arn = spec.type() == JobType.IMPORT ? createImport(spec, name) : createExport(spec, name);
            seenStatus.put(arn, "CREATE PENDING");
            return null;
        } catch (ResourceAlreadyExistsException e) {
            adopt(spec, name);
            return null;
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("Personalize cannot find dataset " + spec.datasetArn() + " in region "
                    + region + " (" + message(e) + "); check that the dataset exists in this account and region", e);
        } catch (SdkException e) {
            Refusal refusal = Refusal.of(e);
            if (refusal == null) {
                if (e instanceof PersonalizeException p) {
                    throw rejected(spec.type().description() + " " + name, p);
                }
                throw e;
            }
            lastRefusal.put(spec.jobArn(name), refusal);
            return refusal;
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
        if (action.equals(NOT_STARTED)) {
            return notStarted(request, spec, arn, elapsedMillis);
        }
        return progress(spec, arn, describe(spec.type(), arn), action.equals(DESCRIBE), elapsedMillis);
    }

    private Progress progress(JobSpec spec, String arn, Status status, boolean describeOnly, long elapsedMillis) {
        logStatus(spec.type(), arn, status.status(), elapsedMillis);
        if (describeOnly || status.status().equals(ACTIVE)) {
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

    /**
     * A job Personalize refused to start so far: describe it (an earlier isComplete may have started it), else,
     * within the timeout, try again after a short random pause ({@link #MAX_RETRY_JITTER}).
     */
    private Progress notStarted(Request request, JobSpec spec, String arn, long elapsedMillis) {
        Status existing = describeOrNull(spec.type(), arn);
        boolean describeOnly = !spec.waitForCompletion() || spec.longWait();
        long startedAt = clock.millis() - elapsedMillis;
        if (existing != null) {
            lastRefusal.remove(arn);
            if (spec.longWait()) {
                poller().start(spec, arn, startedAt);
            }
            return progress(spec, arn, existing, describeOnly, elapsedMillis);
        }
        Duration timeout = timeout(request);
        if (elapsedMillis > timeout.toMillis()) {
            Refusal last = lastRefusal.remove(arn);
            throw new IllegalStateException(neverStarted(spec, arn, elapsedMillis, timeout, last));
        }
        long jitter = random.nextLong(MAX_RETRY_JITTER.toMillis() + 1);
        if (jitter > 0) {
            pause.accept(jitter);
        }
        String name = arn.substring(arn.lastIndexOf('/') + 1);
        Refusal refusal = tryStart(spec, name);
        if (refusal == null) {
            lastRefusal.remove(arn);
            logStatus(spec.type(), arn, "CREATE PENDING", elapsedMillis);
            if (spec.longWait()) {
                poller().start(spec, arn, startedAt);
            }
            return describeOnly ? new Complete(data(arn, name, "CREATE PENDING"))
                    : new Waiting(spec.type().description() + " " + arn, "CREATE PENDING");
        }
        logNotStarted(spec, arn, refusal, elapsedMillis);
        if (refusal.kind().equals(Refusal.PROPAGATION) && elapsedMillis > PROPAGATION_WINDOW.toMillis()) {
            throw new IllegalStateException(permissionAdvice(spec, arn, elapsedMillis, refusal));
        }
        return new Waiting(spec.type().description() + " " + arn + " (not started: " + refusal.text() + ")",
                "NOT STARTED");
    }

    private String neverStarted(JobSpec spec, String arn, long elapsedMillis, Duration timeout, Refusal last) {
        String what = spec.type().description() + " " + arn + " never started within its timeout ("
                + elapsedMillis / 1000 + " s since the first try, timeout " + timeout.toSeconds() + " s)";
        if (last != null && last.kind().equals(Refusal.IN_USE)) {
            return what + ": another operation kept dataset " + spec.datasetArn() + " in use (last answer "
                    + last.text() + "). Deploy again once it has finished, or raise the timeout.";
        }
        if (last != null && last.kind().equals(Refusal.PROPAGATION)) {
            return permissionAdvice(spec, arn, elapsedMillis, last);
        }
        if (spec.type() == JobType.IMPORT) {
            return what + ": the quota of " + IMPORT_QUOTA + " pending or in-progress dataset import jobs per "
                    + "region (not adjustable) was never free" + (last == null ? "" : " (last answer "
                    + last.text() + ")") + ". " + holders(spec, arn) + " Start fewer import jobs at once (e.g. "
                    + "make some depend on others), or raise the timeout.";
        }
        return what + (last == null ? "" : ": last answer " + last.text()) + ". Raise the timeout, or deploy again "
                + "later.";
    }

    private String permissionAdvice(JobSpec spec, String arn, long elapsedMillis, Refusal refusal) {
        return "Personalize still cannot use role " + spec.roleArn() + " with " + spec.location() + " for "
                + spec.type().description() + " " + arn + " " + elapsedMillis / 1000 + " s after the first try ("
                + refusal.text() + "); this is no longer IAM propagation. Check: the role's trust policy lets "
                + "personalize.amazonaws.com assume it (and its aws:SourceAccount/aws:SourceArn conditions match); "
                + "its permissions allow " + (spec.type() == JobType.IMPORT ? "s3:GetObject and s3:ListBucket"
                        : "s3:PutObject and s3:ListBucket") + " on the location; the bucket policy allows the "
                + "Personalize service principal the same; and, for a KMS-encrypted bucket or dataset group, the "
                + "key policy lets Personalize and the role use the key.";
    }

    /**
     * @return the jobs that held the import quota: from ListDatasetImportJobs (region-wide; the handler's role
     *         needs {@code personalize:ListDatasetImportJobs}, which has no resource-level permission), else the
     *         jobs this handler last saw pending or in progress
     */
    private String holders(JobSpec spec, String arn) {
        List<String> running = new ArrayList<>();
        String listError = null;
        try {
            client.listDatasetImportJobsPaginator(r -> r.maxResults(100)).datasetImportJobs().stream()
                    .filter(j -> j.status() != null && j.status().startsWith("CREATE")
                            && !CREATE_FAILED.equals(j.status()) && !arn.equals(j.datasetImportJobArn()))
                    .limit(20)
                    .forEach(j -> running.add(j.datasetImportJobArn() + " (" + j.status() + ")"));
        } catch (SdkException e) {
            listError = e instanceof PersonalizeException p ? errorCode(p) : e.getClass().getSimpleName();
        }
        if (listError != null) {
            seenStatus.forEach((job, status) -> {
                if (!job.equals(arn) && job.contains(":dataset-import-job/") && status.startsWith("CREATE")
                        && !CREATE_FAILED.equals(status)) {
                    running.add(job + " (" + status + ", as last seen by this handler)");
                }
            });
        }
        if (running.isEmpty()) {
            return "Which jobs held it is not known" + (listError == null ? "." : " (ListDatasetImportJobs: "
                    + listError + ").");
        }
        return "Jobs holding it: " + String.join(", ", running) + ".";
    }

    @Override
    protected Duration timeout(Request request) {
        JobSpec spec = JobSpec.parse(request.properties());
        // a long wait's job must still start within the custom resource's hour
        return Duration.ofSeconds(spec.longWait() ? Math.min(spec.timeoutSeconds(), LONG_WAIT_START_SECONDS)
                : spec.timeoutSeconds());
    }

    /** How long a long wait's job may queue before it starts: within the Provider's total timeout. */
    static final long LONG_WAIT_START_SECONDS = 54 * 60;

    @Override
    protected String timeoutAdvice() {
        return "The job goes on in Personalize; raise the timeout (up to 12 hours: above 54 minutes a wait "
                + "condition waits for the job)";
    }

    /** @return the job as Personalize describes it */
    public Status describe(JobType type, String arn) {
        Status status = describeOrNull(type, arn);
        if (status == null) {
            throw new IllegalStateException("Personalize has no " + type.description() + " " + arn + " in region "
                    + region);
        }
        return status;
    }

    private Status describeOrNull(JobType type, String arn) {
        try {
            Status status;
            if (type == JobType.IMPORT) {
                DatasetImportJob job = client.describeDatasetImportJob(r -> r.datasetImportJobArn(arn))
                        .datasetImportJob();
                status = new Status(job.datasetImportJobArn(), job.jobName(), job.status(), job.failureReason(),
                        job.datasetArn(), job.dataSource() == null ? null : job.dataSource().dataLocation());
            } else {
                DatasetExportJob job = client.describeDatasetExportJob(r -> r.datasetExportJobArn(arn))
                        .datasetExportJob();
                String path = job.jobOutput() == null || job.jobOutput().s3DataDestination() == null ? null
                        : job.jobOutput().s3DataDestination().path();
                status = new Status(job.datasetExportJobArn(), job.jobName(), job.status(), job.failureReason(),
                        job.datasetArn(), path);
            }
            seenStatus.put(arn, status.status());
            return status;
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    // ---- helpers

    private void logStatus(JobType type, String arn, String status, long elapsedMillis) {
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("jobType", type.name());
        identity.put("jobArn", arn);
        logStatus("jobStatus", identity, status, elapsedMillis);
    }

    /** One line per refusal: which job, why, and since when. */
    private void logNotStarted(JobSpec spec, String arn, Refusal refusal, long elapsedMillis) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("jobType", spec.type().name());
        fields.put("jobArn", arn);
        fields.put("reason", refusal.kind());
        fields.put("error", refusal.text());
        fields.put("elapsedSeconds", Long.toString(elapsedMillis / 1000));
        logEvent("jobNotStarted", fields);
    }

    private static Map<String, Object> data(String arn, String name, String status) {
        return data(JobResource.ATT_JOB_ARN, arn, JobResource.ATT_JOB_NAME, name, JobResource.ATT_STATUS, status);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
