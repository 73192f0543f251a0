package io.github.personalizecdk.handler.emulator;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.personalizecdk.contract.TagRules;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Local emulation of the Amazon Personalize control-plane API (AWS JSON 1.1) for dataset groups, schemas,
 * datasets and dataset import and export jobs, served over real HTTP so the AWS SDK's {@code PersonalizeClient}
 * can talk to it through an endpoint override.
 *
 * <p>Jobs advance by {@link Progression}: a per-job-name one set with {@link #progression(String, Progression)}
 * wins, then one set for the job's data location with {@link #progressionForLocation(String, Progression)},
 * otherwise jobs created through the API use the default progression that was in force when they were
 * created, and pre-existing jobs keep their status. Statuses never move backwards and terminal statuses are
 * final. When a status changes, {@code lastUpdatedDateTime} becomes the emulated time of the change, bumped by
 * one second past the previous value if the clock has not moved.
 *
 * <p>Dataset groups, datasets and schema updates of datasets advance the same way (their own default and
 * per-name-or-ARN progressions; a failing progression gives CREATE FAILED, or UPDATE FAILED for an update).
 * Deleted groups and datasets report DELETE PENDING and are gone after {@link #deleteAfterPolls(int)} Describe
 * calls. Personalize's rules hold: names unique per account and region per resource kind, one dataset per type
 * per group, a schema in use or a group holding datasets cannot be deleted, schema replacements follow
 * {@link SchemaRules}. ARNs use the region the request was signed for and {@link #ACCOUNT}.
 *
 * <p>By default every job, dataset group and dataset reports CREATE PENDING on its first Describe, CREATE
 * IN_PROGRESS on the second and ACTIVE from the third on. Personalize's quota of {@value #DEFAULT_IMPORT_QUOTA}
 * pending or in-progress import jobs per region is enforced ({@link #importQuota(int)}, {@link
 * #peakConcurrentImports()}). Faults of a real deploy can be scripted: any error for the next calls of an
 * operation ({@link #failNext(String, String, String, int)}, {@link #resourceInUseNext(String, int)}, {@link
 * #throttleNext(int)}, {@link #serverErrorNext(int)}) and a role or bucket policy that Personalize cannot use yet
 * ({@link #propagationDelayUntil(Instant)}).
 */
public final class PersonalizeEmulator implements AutoCloseable {

    private static final String TARGET_PREFIX = "AmazonPersonalize.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    // constraints from the service model
    private static final Pattern JOB_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
    private static final Pattern PERSONALIZE_ARN = Pattern.compile("arn:([a-z\\d-]+):personalize:.*:.*:.+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:([a-z\\d-]+):iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
    private static final Pattern S3_LOCATION = Pattern.compile("(s3|http|https)://.+");
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws.*:kms:.*:[0-9]{12}:key/.*");
    private static final List<String> IMPORT_MODES = List.of("FULL", "INCREMENTAL");
    private static final List<String> INGESTION_MODES = List.of("BULK", "PUT", "ALL");
    /** The service model's {@code Tags} list allows at most 200 members. */
    private static final int MAX_TAGS = 200;
    private static final int MAX_RESULTS = 100;
    private static final List<String> DOMAINS = List.of("ECOMMERCE", "VIDEO_ON_DEMAND");
    private static final List<String> DATASET_TYPES = List.of(
            "INTERACTIONS", "ITEMS", "USERS", "ACTIONS", "ACTION_INTERACTIONS");
    private static final Pattern DATASET_TYPE = Pattern.compile("^[A-Za-z_]+$");
    private static final Pattern CREDENTIAL_SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([a-z0-9-]+)/");
    private static final String DEFAULT_REGION = "us-east-1";
    private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/]+)/");

    /** The account of every ARN the emulator makes. */
    public static final String ACCOUNT = "123456789012";

    /** Personalize's quota of dataset import jobs in CREATE PENDING or CREATE IN_PROGRESS per region. */
    public static final int DEFAULT_IMPORT_QUOTA = 5;

    /**
     * The error type of a Create*Job call while a new role or bucket policy is not yet usable (see
     * {@link #propagationDelayUntil(Instant)}).
     */
    public static final String PROPAGATION_ERROR_TYPE = "InvalidInputException";

    /** The documented end of the message of such a refusal; the message starts with what failed to be created. */
    public static final String INSUFFICIENT_S3_PRIVILEGES = "Insufficient privileges for accessing data in Amazon S3.";

    /**
     * The documented message of an import Personalize cannot read, e.g. "Failed to create a data import job for
     * Items dataset....Insufficient privileges for accessing data in Amazon S3."; also usable as a failureReason.
     *
     * @param datasetType the dataset type in any case, e.g. {@code ITEMS} or {@code Action_Interactions}
     */
    public static String insufficientPrivilegesMessage(String datasetType) {
        return "Failed to create a data import job for " + titleCase(datasetType) + " dataset...."
                + INSUFFICIENT_S3_PRIVILEGES;
    }

    /** {@code ACTION_INTERACTIONS} → {@code Action_Interactions}, as the guide names dataset types. */
    private static String titleCase(String datasetType) {
        StringBuilder out = new StringBuilder();
        for (String part : datasetType.toLowerCase(java.util.Locale.ROOT).split("_", -1)) {
            if (out.length() > 0) {
                out.append('_');
            }
            out.append(part.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }

    private final ObjectMapper json = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private final EmulatorClock clock = new EmulatorClock();
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;

    // all state below is guarded by lock
    private final Object lock = new Object();
    private Progression defaultProgression = Progression.activeAfterPolls(3);
    private final Map<String, Progression> progressions = new HashMap<>();
    /** The permissions of callers that have them, by access key id; other callers may do anything. */
    private final Map<String, Permissions> permissions = new HashMap<>();
    /** CloudFormation stack statuses by stack id or name, for DescribeStacks. */
    private final Map<String, String> stackStatuses = new HashMap<>();
    private final Set<String> missingDatasets = new HashSet<>();
    private final Map<JobKind, Map<String, Job>> jobsByName = Map.of(
            JobKind.IMPORT, new LinkedHashMap<>(), JobKind.EXPORT, new LinkedHashMap<>());
    private final Map<String, Job> jobsByArn = new HashMap<>();
    private final Map<String, Progression> locationProgressions = new LinkedHashMap<>();
    private boolean strictDatasets;
    // data model, by ARN in creation order
    private final Map<String, DatasetGroup> groups = new LinkedHashMap<>();
    private final Map<String, Schema> schemas = new LinkedHashMap<>();
    private final Map<String, Dataset> datasets = new LinkedHashMap<>();
    private Progression defaultGroupProgression = Progression.activeAfterPolls(3);
    private Progression defaultDatasetProgression = Progression.activeAfterPolls(3);
    private Progression defaultUpdateProgression = Progression.activeAfterPolls(3);
    private final Map<String, Progression> groupProgressions = new HashMap<>();
    private final Map<String, Progression> datasetProgressions = new HashMap<>();
    private final Map<String, Progression> updateProgressions = new HashMap<>();
    private int deleteAfterPolls = 2;
    private final List<RecordedRequest> requests = new ArrayList<>();
    /** Scheduled faults, consumed in the order they were scheduled. */
    private final List<Fault> faults = new ArrayList<>();
    private int importQuota = DEFAULT_IMPORT_QUOTA;
    private int peakConcurrentImports;
    /** Create*Job calls fail as if a new role or bucket policy were not yet visible until this instant, or null. */
    private Instant propagationUntil;
    /** ... and for this many more calls that would otherwise start a job. */
    private int propagationCalls;
    private long requestCounter;
    private boolean closed;

    static {
        // without TCP_NODELAY every response waits ~40 ms for the client's delayed ACK on loopback; read once by
        // the JDK server's configuration, so set before the first server starts (unless the test run chose)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private PersonalizeEmulator() {
        try {
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Personalize emulator", e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "personalize-emulator-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Starts an emulator on 127.0.0.1 on an ephemeral port. */
    public static PersonalizeEmulator start() {
        return new PersonalizeEmulator();
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- scripting ----

    /** Progression for jobs created from now on that have no progression of their own. */
    public PersonalizeEmulator defaultProgression(Progression p) {
        Objects.requireNonNull(p, "p");
        synchronized (lock) {
            defaultProgression = p;
        }
        return this;
    }

    /** Progression for the import or export job with exactly this name, including one that already exists. */
    public PersonalizeEmulator progression(String jobName, Progression p) {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(p, "p");
        synchronized (lock) {
            progressions.put(jobName, p);
        }
        return this;
    }

    /**
     * Progression for import jobs whose data location, and export jobs whose output path, starts with
     * {@code dataLocationOrPrefix}, including existing ones; a per-name progression wins, the longest prefix wins.
     */
    public PersonalizeEmulator progressionForLocation(String dataLocationOrPrefix, Progression p) {
        Objects.requireNonNull(dataLocationOrPrefix, "dataLocationOrPrefix");
        Objects.requireNonNull(p, "p");
        synchronized (lock) {
            locationProgressions.put(dataLocationOrPrefix, p);
        }
        return this;
    }

    /**
     * Create*Job calls must name a dataset the emulator knows (else ResourceNotFoundException). Without it, jobs
     * on unknown dataset ARNs are accepted; jobs on known datasets need them ACTIVE either way.
     */
    public PersonalizeEmulator strictDatasets() {
        synchronized (lock) {
            strictDatasets = true;
        }
        return this;
    }

    /** Progression for dataset groups created from now on; the default is ACTIVE on the 3rd Describe. */
    public PersonalizeEmulator datasetGroupProgression(Progression p) {
        Objects.requireNonNull(p, "p");
        synchronized (lock) {
            defaultGroupProgression = p;
        }
        return this;
    }

    /** Progression for the dataset group with this name or ARN, including one that already exists. */
    public PersonalizeEmulator datasetGroupProgression(String nameOrArn, Progression p) {
        return put(groupProgressions, nameOrArn, p);
    }

    /** Progression for the creation of datasets created from now on; the default is ACTIVE on the 3rd Describe. */
    public PersonalizeEmulator datasetProgression(Progression p) {
        Objects.requireNonNull(p, "p");
        synchronized (lock) {
            defaultDatasetProgression = p;
        }
        return this;
    }

    /** Progression for the creation of the dataset with this name or ARN, including one that already exists. */
    public PersonalizeEmulator datasetProgression(String nameOrArn, Progression p) {
        return put(datasetProgressions, nameOrArn, p);
    }

    /**
     * Progression for schema updates (UpdateDataset) started from now on, read as UPDATE PENDING, UPDATE
     * IN_PROGRESS, ACTIVE or UPDATE FAILED; the default is ACTIVE on the 3rd Describe after the update.
     */
    public PersonalizeEmulator datasetUpdateProgression(Progression p) {
        Objects.requireNonNull(p, "p");
        synchronized (lock) {
            defaultUpdateProgression = p;
        }
        return this;
    }

    /** Progression for schema updates of the dataset with this name or ARN, including a running one. */
    public PersonalizeEmulator datasetUpdateProgression(String nameOrArn, Progression p) {
        return put(updateProgressions, nameOrArn, p);
    }

    /**
     * Deleted dataset groups and datasets answer Describe #1..#n-1 after the delete with DELETE PENDING (first)
     * then DELETE IN_PROGRESS, and ResourceNotFoundException from Describe #n on (default 2). Until then they
     * keep their name, and a dataset its type's place in its group.
     */
    public PersonalizeEmulator deleteAfterPolls(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        synchronized (lock) {
            deleteAfterPolls = n;
        }
        return this;
    }

    private PersonalizeEmulator put(Map<String, Progression> map, String nameOrArn, Progression p) {
        Objects.requireNonNull(nameOrArn, "nameOrArn");
        Objects.requireNonNull(p, "p");
        synchronized (lock) {
            map.put(nameOrArn, p);
        }
        return this;
    }

    /**
     * The next {@code times} requests of {@code operation} (e.g. {@code "CreateDatasetImportJob"}; null for any
     * operation) answer HTTP 400 with this {@code __type} and message, before any other check. Faults apply in the
     * order they were scheduled; a request consumes at most one.
     */
    public PersonalizeEmulator failNext(String operation, String errorType, String message, int times) {
        return failNext(operation, 400, errorType, message, times);
    }

    /** Like {@link #failNext(String, String, String, int)} with another HTTP status (e.g. 429, 500, 503). */
    public PersonalizeEmulator failNext(String operation, int httpStatus, String errorType, String message,
            int times) {
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(message, "message");
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be an error status (4xx or 5xx): " + httpStatus);
        }
        return schedule(new Fault(operation, httpStatus, errorType, message, times));
    }

    /**
     * The next {@code times} requests of {@code operation} (null for any) answer HTTP 400 ResourceInUseException,
     * as Personalize does while another operation holds the resource they name; the message names that resource.
     */
    public PersonalizeEmulator resourceInUseNext(String operation, int times) {
        return schedule(new Fault(operation, 400, "ResourceInUseException", null, times));
    }

    /** The next {@code requests} requests answer HTTP 400 ThrottlingException, which the SDK retries. */
    public PersonalizeEmulator throttleNext(int requests) {
        return failNext(null, "ThrottlingException", "Rate exceeded", requests);
    }

    /** The next {@code requests} requests answer HTTP 500 InternalFailure, which the SDK retries. */
    public PersonalizeEmulator serverErrorNext(int requests) {
        return failNext(null, 500, "InternalFailure",
                "The request processing has failed because of an unknown error, exception or failure.", requests);
    }

    private PersonalizeEmulator schedule(Fault fault) {
        requireNotNegative(fault.remaining);
        synchronized (lock) {
            if (fault.remaining > 0) {
                faults.add(fault);
            }
        }
        return this;
    }

    /**
     * At most {@code quota} dataset import jobs per region may be in CREATE PENDING or CREATE IN_PROGRESS at once
     * (default {@value #DEFAULT_IMPORT_QUOTA}, Personalize's fixed quota); one more CreateDatasetImportJob answers
     * HTTP 400 LimitExceededException "More than 5 resources with PENDING or IN_PROGRESS status.". Each job's
     * status is read at the current emulated time without counting a poll: a clock-driven job ({@link
     * Progression#activeAfter}) frees its place when the clock passes its end, while a poll-driven one ({@link
     * Progression#activeAfterPolls}) holds it until Describe calls have moved it to ACTIVE or CREATE FAILED.
     * Pre-existing jobs in a pending status count too; export jobs never do.
     */
    public PersonalizeEmulator importQuota(int quota) {
        if (quota < 0) {
            throw new IllegalArgumentException("quota must not be negative: " + quota);
        }
        synchronized (lock) {
            importQuota = quota;
        }
        return this;
    }

    /**
     * Until the emulated clock reaches {@code until}, CreateDatasetImportJob and CreateDatasetExportJob calls that
     * would otherwise start a job fail as Personalize does while it cannot yet use a freshly created service role
     * or bucket policy: HTTP 400 {@value #PROPAGATION_ERROR_TYPE} ending with "{@value
     * #INSUFFICIENT_S3_PRIVILEGES}". {@link Instant#MAX} never clears; null ends the delay. Refused calls create
     * nothing and use no quota.
     */
    public PersonalizeEmulator propagationDelayUntil(Instant until) {
        synchronized (lock) {
            propagationUntil = until;
        }
        return this;
    }

    /** {@link #propagationDelayUntil(Instant)} the current emulated time plus {@code d}. */
    public PersonalizeEmulator propagationDelay(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
        synchronized (lock) {
            propagationUntil = clock.now().plus(d);
        }
        return this;
    }

    /**
     * The next {@code calls} CreateDatasetImportJob or CreateDatasetExportJob calls that would otherwise start a
     * job fail as in {@link #propagationDelayUntil(Instant)}, whatever the time.
     */
    public PersonalizeEmulator propagationDelayCalls(int calls) {
        requireNotNegative(calls);
        synchronized (lock) {
            propagationCalls = calls;
        }
        return this;
    }

    /** Create*Job calls naming this dataset answer ResourceNotFoundException. */
    public PersonalizeEmulator missingDataset(String datasetArn) {
        Objects.requireNonNull(datasetArn, "datasetArn");
        synchronized (lock) {
            missingDatasets.add(datasetArn);
        }
        return this;
    }

    /** Adds an import job as if created earlier, created at the current emulated time with the given status. */
    public PersonalizeEmulator existingImportJob(String jobName, String datasetArn, String dataLocation,
            String status) {
        Objects.requireNonNull(dataLocation, "dataLocation");
        synchronized (lock) {
            Job job = existingJob(JobKind.IMPORT, jobName, datasetArn, status);
            job.dataLocation = dataLocation;
            job.importMode = "FULL";
            register(job);
        }
        return this;
    }

    /** Adds an export job as if created earlier, created at the current emulated time with the given status. */
    public PersonalizeEmulator existingExportJob(String jobName, String datasetArn, String outputPath,
            String status) {
        Objects.requireNonNull(outputPath, "outputPath");
        synchronized (lock) {
            Job job = existingJob(JobKind.EXPORT, jobName, datasetArn, status);
            job.outputPath = outputPath;
            job.ingestionMode = "PUT";
            register(job);
        }
        return this;
    }

    public EmulatorClock clock() {
        return clock;
    }

    /** A {@link java.time.Clock} that reads the emulated time, for code under test that shares it. */
    public java.time.Clock javaClock() {
        return clock.asClock();
    }

    /**
     * The status CloudFormation's DescribeStacks reports for this stack (by stack id or name): the endpoint also
     * answers that one CloudFormation query-protocol action, so a handler can read its stack's status.
     */
    public PersonalizeEmulator stackStatus(String stackIdOrName, String status) {
        Objects.requireNonNull(stackIdOrName, "stackIdOrName");
        Objects.requireNonNull(status, "status");
        synchronized (lock) {
            stackStatuses.put(stackIdOrName, status);
        }
        return this;
    }

    /**
     * From now on, calls signed with this access key id are authorized as IAM would: each resource the call
     * names must be allowed (AccessDeniedException otherwise). Callers without permissions may do anything.
     */
    public PersonalizeEmulator permissions(String accessKeyId, Permissions allowed) {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(allowed, "allowed");
        synchronized (lock) {
            permissions.put(accessKeyId, allowed);
        }
        return this;
    }

    // ---- inspection ----

    /** Every request received so far, in order, including throttled and failed ones. */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** How many requests named this operation, e.g. {@code "DescribeDatasetImportJob"}. */
    public long count(String operation) {
        synchronized (lock) {
            return requests.stream().filter(r -> r.operation().equals(operation)).count();
        }
    }

    /** How many Create*, Update* and Delete* requests were received, whatever their answer. */
    public long writeCount() {
        synchronized (lock) {
            return requests.stream().filter(r -> isWrite(r.operation())).count();
        }
    }

    /** The Create*, Update* and Delete* requests received so far, in order, whatever their answer. */
    public List<RecordedRequest> writeRequests() {
        synchronized (lock) {
            return requests.stream().filter(r -> isWrite(r.operation())).toList();
        }
    }

    private static boolean isWrite(String operation) {
        return operation.startsWith("Create") || operation.startsWith("Update") || operation.startsWith("Delete");
    }

    /** A dataset group as the emulator holds it (status without counting a poll). */
    public record DatasetGroupState(String name, String arn, String status, String domain, String roleArn,
            String kmsKeyArn, String failureReason) {
    }

    /** A schema as the emulator holds it. */
    public record SchemaState(String name, String arn, String domain, String definition) {
    }

    /**
     * A dataset as the emulator holds it (statuses without counting a poll).
     *
     * @param schemaArn       the schema in force (switches when an update becomes ACTIVE)
     * @param updateSchemaArn the latest update's target schema, or null if never updated
     * @param updateStatus    the latest update's status (UPDATE PENDING, UPDATE IN_PROGRESS, ACTIVE, UPDATE
     *                        FAILED), or null if never updated
     * @param updateFailureReason the latest update's failure reason, or null
     * @param importedData    see {@link #importedData(String)}
     */
    public record DatasetState(String name, String arn, String datasetGroupArn, String datasetType, String status,
            String schemaArn, String updateSchemaArn, String updateStatus, String updateFailureReason,
            List<String> importedData) {
    }

    /** Dataset groups that exist (including ones being deleted), in creation order. */
    public List<DatasetGroupState> datasetGroups() {
        synchronized (lock) {
            List<DatasetGroupState> out = new ArrayList<>();
            for (DatasetGroup g : groups.values()) {
                refresh(g);
                out.add(new DatasetGroupState(g.name, g.arn, g.life.status, g.domain, g.roleArn, g.kmsKeyArn,
                        g.life.failureReason));
            }
            return List.copyOf(out);
        }
    }

    /** Schemas that exist, in creation order. */
    public List<SchemaState> schemas() {
        synchronized (lock) {
            return schemas.values().stream()
                    .map(s -> new SchemaState(s.name, s.arn, s.domain, s.definition))
                    .toList();
        }
    }

    /** Datasets that exist (including ones being deleted), in creation order. */
    public List<DatasetState> datasets() {
        synchronized (lock) {
            List<DatasetState> out = new ArrayList<>();
            for (Dataset d : datasets.values()) {
                refresh(d);
                out.add(new DatasetState(d.name, d.arn, d.groupArn, d.type, d.life.status, d.schemaArn,
                        d.update == null ? null : d.update.schemaArn,
                        d.update == null ? null : updateStatus(d.update.life.status),
                        d.update == null ? null : d.update.life.failureReason,
                        importedData(d)));
            }
            return List.copyOf(out);
        }
    }

    /**
     * The data locations of the import jobs that completed (ACTIVE) on this dataset while it existed, oldest
     * first: a FULL import replaces what was there, an INCREMENTAL one adds to it. Kept across schema updates,
     * dropped by DeleteDataset; empty for a dataset the emulator does not know.
     */
    public List<String> importedData(String datasetArn) {
        Objects.requireNonNull(datasetArn, "datasetArn");
        synchronized (lock) {
            Dataset d = datasets.get(datasetArn);
            return d == null ? List.of() : importedData(d);
        }
    }

    private List<String> importedData(Dataset d) {
        jobsByArn.values().stream().filter(j -> j.kind == JobKind.IMPORT && d.arn.equals(j.datasetArn))
                .forEach(this::refresh);
        return List.copyOf(d.importedData);
    }

    /**
     * An import job as the emulator holds it (status without counting a poll).
     *
     * @param region   the region whose import quota it counts against
     * @param finished when it reached ACTIVE or CREATE FAILED (emulated time), or null while pending
     */
    public record ImportJobState(String name, String arn, String region, String status, Instant created,
            Instant finished) {
    }

    /** Import jobs (created and pre-existing), in creation order. */
    public List<ImportJobState> importJobs() {
        synchronized (lock) {
            List<ImportJobState> out = new ArrayList<>();
            for (Job j : jobsByName.get(JobKind.IMPORT).values()) {
                refresh(j);
                out.add(new ImportJobState(j.name, j.arn, j.region, j.status, j.created, j.finished));
            }
            return List.copyOf(out);
        }
    }

    /** Import jobs of {@code region} in CREATE PENDING or CREATE IN_PROGRESS at the current emulated time. */
    public int concurrentImports(String region) {
        Objects.requireNonNull(region, "region");
        synchronized (lock) {
            return pendingImports(region);
        }
    }

    /**
     * The most import jobs of one region that were pending or in progress at once, counted at each successful
     * CreateDatasetImportJob (including the new job).
     */
    public int peakConcurrentImports() {
        synchronized (lock) {
            return peakConcurrentImports;
        }
    }

    public void resetRequests() {
        synchronized (lock) {
            requests.clear();
        }
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
                respondToCloudFormation(exchange, raw);
                return;
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String region = region(exchange.getRequestHeaders().getFirst("Authorization"));
            Response response = dispatch(exchange.getRequestMethod(), target, region, raw,
                    permissions(accessKeyId(exchange.getRequestHeaders().getFirst("Authorization"))));
            byte[] bytes = json.writeValueAsBytes(response.body());
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", CONTENT_TYPE);
            headers.set("x-amzn-RequestId", response.requestId());
            if (response.errorType() != null) {
                headers.set("x-amzn-ErrorType", response.errorType());
            }
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } finally {
            exchange.close();
        }
    }

    /** CloudFormation's query protocol (form-encoded request, XML answer), DescribeStacks only. */
    private void respondToCloudFormation(HttpExchange exchange, byte[] raw) throws IOException {
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(raw, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String action = form.getOrDefault("Action", "");
        String stack = form.get("StackName");
        String status;
        int code;
        String xml;
        Permissions caller = permissions(accessKeyId(exchange.getRequestHeaders().getFirst("Authorization")));
        boolean denied = caller != null && !caller.allows("cloudformation:" + action, String.valueOf(stack));
        synchronized (lock) {
            status = stack == null ? null : stackStatuses.get(stack);
            code = denied ? 403 : "DescribeStacks".equals(action) && status != null ? 200 : 400;
            requests.add(new RecordedRequest(action, json.valueToTree(form), code));
        }
        if (code == 200) {
            String name = stack.startsWith("arn:") ? stack.split("/")[1] : stack;
            xml = "<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                    + "<DescribeStacksResult><Stacks><member><StackName>" + name + "</StackName><StackId>" + stack
                    + "</StackId><CreationTime>" + EmulatorClock.START + "</CreationTime><StackStatus>" + status
                    + "</StackStatus></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>"
                    + "00000000-0000-4000-8000-000000000000</RequestId></ResponseMetadata></DescribeStacksResponse>";
        } else {
            String message = denied ? denial("cloudformation:" + action, stack)
                    : "DescribeStacks".equals(action) ? "Stack with id " + stack + " does not exist"
                    : "Unsupported action " + action;
            xml = "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error>"
                    + "<Type>Sender</Type><Code>" + (denied ? "AccessDenied" : "ValidationError") + "</Code><Message>"
                    + message + "</Message></Error>"
                    + "<RequestId>00000000-0000-4000-8000-000000000000</RequestId></ErrorResponse>";
        }
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Permissions permissions(String accessKeyId) {
        synchronized (lock) {
            return accessKeyId == null ? null : permissions.get(accessKeyId);
        }
    }

    /** IAM's wording of a refusal. */
    private static String denial(String action, String resource) {
        return "User: arn:aws:sts::" + ACCOUNT + ":assumed-role/handler is not authorized to perform: " + action
                + " on resource: " + resource + " because no identity-based policy allows the " + action + " action";
    }

    /** The access key id of a SigV4 Authorization header, or null without one. */
    private static String accessKeyId(String authorization) {
        if (authorization == null) {
            return null;
        }
        java.util.regex.Matcher m = ACCESS_KEY.matcher(authorization);
        return m.find() ? m.group(1) : null;
    }

    /** The region of a SigV4 Authorization header's credential scope, us-east-1 without one. */
    private static String region(String authorization) {
        if (authorization != null) {
            java.util.regex.Matcher m = CREDENTIAL_SCOPE.matcher(authorization);
            if (m.find()) {
                return m.group(1);
            }
        }
        return DEFAULT_REGION;
    }

    private record Response(int status, JsonNode body, String errorType, String requestId) {
    }

    /** An error the service answers with. */
    private static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;

        ApiException(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }

        ApiException(String type, String message) {
            this(400, type, message);
        }
    }

    private Response dispatch(String method, String target, String region, byte[] raw, Permissions caller) {
        synchronized (lock) {
            long n = ++requestCounter;
            String requestId = String.format("00000000-0000-4000-8000-%012d", n);
            String operation = target == null ? ""
                    : target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
            JsonNode body = parseQuietly(raw);
            int status;
            JsonNode responseBody;
            String errorType = null;
            try {
                Fault fault = nextFault(operation);
                if (fault != null) {
                    throw new ApiException(fault.status, fault.type,
                            fault.message != null ? fault.message : inUseMessage(operation, body));
                }
                if (caller != null) {
                    for (String resource : Permissions.resources(operation, body, region)) {
                        if (!caller.allows("personalize:" + operation, resource)) {
                            throw new ApiException("AccessDeniedException",
                                    denial("personalize:" + operation, resource));
                        }
                    }
                }
                responseBody = invoke(method, target, operation, region, raw);
                status = 200;
            } catch (ApiException e) {
                status = e.status;
                errorType = e.type;
                ObjectNode error = json.createObjectNode();
                error.put("__type", e.type);
                error.put("message", e.getMessage());
                responseBody = error;
            }
            requests.add(new RecordedRequest(operation, body, status));
            return new Response(status, responseBody, errorType, requestId);
        }
    }

    /** A scheduled fault that applies to {@code operation}. */
    private static final class Fault {
        final String operation;
        final int status;
        final String type;
        /** null: made from the request ({@link #inUseMessage}). */
        final String message;
        int remaining;

        Fault(String operation, int status, String type, String message, int remaining) {
            this.operation = operation;
            this.status = status;
            this.type = type;
            this.message = message;
            this.remaining = remaining;
        }
    }

    /** Consumes one use of the first scheduled fault for {@code operation}, or returns null. */
    private Fault nextFault(String operation) {
        for (java.util.Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (f.operation == null || f.operation.equals(operation)) {
                if (--f.remaining <= 0) {
                    it.remove();
                }
                return f;
            }
        }
        return null;
    }

    /** A ResourceInUseException message naming the resource the request acts on. */
    private static String inUseMessage(String operation, JsonNode body) {
        for (String field : List.of("datasetArn", "datasetGroupArn", "schemaArn")) {
            String arn = body.path(field).asText("");
            if (!arn.isEmpty()) {
                return "The resource " + arn + " is in use by another operation; " + operation
                        + " cannot proceed until it finishes.";
            }
        }
        return "The resource is in use by another operation; " + operation + " cannot proceed until it finishes.";
    }

    private JsonNode parseQuietly(byte[] raw) {
        try {
            return raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
        } catch (IOException e) {
            return TextNode.valueOf(new String(raw, StandardCharsets.UTF_8));
        }
    }

    private JsonNode invoke(String method, String target, String operation, String region, byte[] raw) {
        if (!"POST".equals(method) || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new ApiException("UnknownOperationException", "Unknown operation: " + method + " " + target);
        }
        return switch (operation) {
            case "CreateDatasetImportJob" -> createJob(JobKind.IMPORT, region, parse(raw));
            case "CreateDatasetExportJob" -> createJob(JobKind.EXPORT, region, parse(raw));
            case "DescribeDatasetImportJob" -> describeJob(JobKind.IMPORT, parse(raw));
            case "DescribeDatasetExportJob" -> describeJob(JobKind.EXPORT, parse(raw));
            case "ListDatasetImportJobs" -> listJobs(JobKind.IMPORT, parse(raw));
            case "ListDatasetExportJobs" -> listJobs(JobKind.EXPORT, parse(raw));
            case "CreateDatasetGroup" -> createDatasetGroup(region, parse(raw));
            case "DescribeDatasetGroup" -> describeDatasetGroup(parse(raw));
            case "DeleteDatasetGroup" -> deleteDatasetGroup(parse(raw));
            case "ListDatasetGroups" -> listDatasetGroups(parse(raw));
            case "CreateSchema" -> createSchema(region, parse(raw));
            case "DescribeSchema" -> describeSchema(parse(raw));
            case "DeleteSchema" -> deleteSchema(parse(raw));
            case "ListSchemas" -> listSchemas(parse(raw));
            case "CreateDataset" -> createDataset(parse(raw));
            case "DescribeDataset" -> describeDataset(parse(raw));
            case "UpdateDataset" -> updateDataset(parse(raw));
            case "DeleteDataset" -> deleteDataset(parse(raw));
            case "ListDatasets" -> listDatasets(parse(raw));
            default -> throw new ApiException("UnknownOperationException", "Unknown operation: " + target);
        };
    }

    private JsonNode parse(byte[] raw) {
        if (raw.length == 0) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (IOException e) {
            throw new ApiException("SerializationException", "Malformed JSON request body");
        }
        if (node == null || !node.isObject()) {
            throw new ApiException("SerializationException", "The request body must be a JSON object");
        }
        return node;
    }

    // ---- operations ----

    private JsonNode createJob(JobKind kind, String region, JsonNode body) {
        Validator v = new Validator();
        String jobName = text(body, "jobName");
        v.required("jobName", jobName);
        v.length("jobName", jobName, 1, 63);
        v.pattern("jobName", jobName, JOB_NAME);
        String datasetArn = text(body, "datasetArn");
        v.required("datasetArn", datasetArn);
        v.length("datasetArn", datasetArn, 0, 256);
        v.pattern("datasetArn", datasetArn, PERSONALIZE_ARN);
        String roleArn = text(body, "roleArn");
        if (kind == JobKind.EXPORT) {
            // the service model requires roleArn for exports only; an import may rely on the group's role
            v.required("roleArn", roleArn);
        }
        v.length("roleArn", roleArn, 0, 256);
        v.pattern("roleArn", roleArn, ROLE_ARN);
        List<String[]> tags = tags(body, v);

        Job job = new Job(kind);
        job.name = jobName;
        job.datasetArn = datasetArn;
        job.roleArn = roleArn;
        job.tags = tags;
        if (kind == JobKind.IMPORT) {
            JsonNode dataSource = object(body, "dataSource");
            v.required("dataSource", dataSource);
            String dataLocation = dataSource == null ? null : text(dataSource, "dataLocation");
            if (dataSource != null) {
                v.required("dataSource.dataLocation", dataLocation);
            }
            v.length("dataSource.dataLocation", dataLocation, 0, 256);
            v.pattern("dataSource.dataLocation", dataLocation, S3_LOCATION);
            String importMode = text(body, "importMode");
            v.oneOf("importMode", importMode, IMPORT_MODES);
            Boolean publish = bool(body, "publishAttributionMetricsToS3");
            job.dataLocation = dataLocation;
            job.importMode = importMode == null ? "FULL" : importMode;
            job.publishAttributionMetricsToS3 = Boolean.TRUE.equals(publish);
        } else {
            JsonNode jobOutput = object(body, "jobOutput");
            v.required("jobOutput", jobOutput);
            JsonNode destination = jobOutput == null ? null : object(jobOutput, "s3DataDestination");
            if (jobOutput != null) {
                v.required("jobOutput.s3DataDestination", destination);
            }
            String path = destination == null ? null : text(destination, "path");
            String kmsKeyArn = destination == null ? null : text(destination, "kmsKeyArn");
            if (destination != null) {
                v.required("jobOutput.s3DataDestination.path", path);
            }
            v.length("jobOutput.s3DataDestination.path", path, 0, 256);
            v.pattern("jobOutput.s3DataDestination.path", path, S3_LOCATION);
            v.length("jobOutput.s3DataDestination.kmsKeyArn", kmsKeyArn, 0, 2048);
            v.pattern("jobOutput.s3DataDestination.kmsKeyArn", kmsKeyArn, KMS_KEY_ARN);
            String ingestionMode = text(body, "ingestionMode");
            v.oneOf("ingestionMode", ingestionMode, INGESTION_MODES);
            job.outputPath = path;
            job.kmsKeyArn = kmsKeyArn;
            job.ingestionMode = ingestionMode == null ? "PUT" : ingestionMode;
        }
        v.check();
        if (missingDatasets.contains(datasetArn)) {
            throw notFound(datasetArn);
        }
        Dataset dataset = datasets.get(datasetArn);
        if (dataset == null && strictDatasets) {
            throw notFound(datasetArn);
        }
        if (dataset != null) {
            refresh(dataset);
            if (!Progression.ACTIVE.equals(dataset.life.status) || updateRunning(dataset)) {
                throw new ApiException("ResourceInUseException", "Dataset " + datasetArn + " is not ACTIVE: "
                        + (dataset.life.deleting() || !Progression.ACTIVE.equals(dataset.life.status)
                                ? "its status is " + dataset.life.status
                                : "its schema update is " + updateStatus(dataset.update.life.status)));
            }
        }
        if (jobsByName.get(kind).containsKey(jobName)) {
            throw new ApiException("ResourceAlreadyExistsException",
                    kind.description + " " + jobName + " already exists");
        }
        int running = kind == JobKind.IMPORT ? pendingImports(region) : 0;
        if (kind == JobKind.IMPORT && running >= importQuota) {
            // Personalize guide, "Common error messages": the wording of the fixed quota of 5 per region
            throw new ApiException("LimitExceededException", "More than " + importQuota
                    + " resources with PENDING or IN_PROGRESS status.");
        }
        checkPropagation(kind, datasetArn);
        job.region = region;
        job.arn = kind.arn(datasetArn, jobName);
        job.created = clock.now();
        job.lastUpdated = job.created;
        job.status = Progression.CREATE_PENDING;
        job.progression = defaultProgression;
        register(job);
        if (kind == JobKind.IMPORT) {
            peakConcurrentImports = Math.max(peakConcurrentImports, running + 1);
        }

        ObjectNode out = json.createObjectNode();
        out.put(kind.arnField, job.arn);
        return out;
    }

    private JsonNode describeJob(JobKind kind, JsonNode body) {
        Validator v = new Validator();
        String arn = text(body, kind.arnField);
        v.required(kind.arnField, arn);
        v.length(kind.arnField, arn, 0, 256);
        v.pattern(kind.arnField, arn, PERSONALIZE_ARN);
        v.check();
        Job job = jobsByArn.get(arn);
        if (job == null || job.kind != kind) {
            throw notFound(arn);
        }
        job.polls++;
        refresh(job);
        ObjectNode out = json.createObjectNode();
        out.set(kind.describeKey, description(job));
        return out;
    }

    private JsonNode listJobs(JobKind kind, JsonNode body) {
        Validator v = new Validator();
        String datasetArn = text(body, "datasetArn");
        v.length("datasetArn", datasetArn, 0, 256);
        v.pattern("datasetArn", datasetArn, PERSONALIZE_ARN);
        String nextToken = text(body, "nextToken");
        v.length("nextToken", nextToken, 0, 1500);
        Integer maxResults = integer(body, "maxResults");
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_RESULTS)) {
            v.fail("maxResults", maxResults, "Member must have value between 1 and " + MAX_RESULTS);
        }
        v.check();
        int max = maxResults == null ? MAX_RESULTS : maxResults;
        List<Job> matching = jobsByName.get(kind).values().stream()
                .filter(j -> datasetArn == null || datasetArn.equals(j.datasetArn))
                .toList();
        int from = nextToken == null ? 0 : decodeToken(kind.name(), nextToken);
        if (from > matching.size()) {
            throw new ApiException("InvalidNextTokenException", "Invalid next token: " + nextToken);
        }
        int to = Math.min(matching.size(), from + max);

        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray(kind.listKey);
        for (Job job : matching.subList(from, to)) {
            refresh(job);
            items.add(summary(job));
        }
        if (to < matching.size()) {
            out.put("nextToken", encodeToken(kind.name(), to));
        }
        return out;
    }

    // ---- dataset groups ----

    private JsonNode createDatasetGroup(String region, JsonNode body) {
        Validator v = new Validator();
        String name = name(body, v);
        String roleArn = text(body, "roleArn");
        v.length("roleArn", roleArn, 0, 256);
        v.pattern("roleArn", roleArn, ROLE_ARN);
        String kmsKeyArn = text(body, "kmsKeyArn");
        v.length("kmsKeyArn", kmsKeyArn, 0, 2048);
        v.pattern("kmsKeyArn", kmsKeyArn, KMS_KEY_ARN);
        String domain = text(body, "domain");
        v.oneOf("domain", domain, DOMAINS);
        List<String[]> tags = tags(body, v);
        v.check();
        if (kmsKeyArn != null && roleArn == null) {
            throw new ApiException("InvalidInputException", "A roleArn is required when kmsKeyArn is specified:"
                    + " Amazon Personalize uses the role to access the key " + kmsKeyArn);
        }
        String arn = "arn:aws:personalize:" + region + ":" + ACCOUNT + ":dataset-group/" + name;
        if (groups.containsKey(arn)) {
            throw alreadyExists(arn);
        }
        DatasetGroup g = new DatasetGroup();
        g.name = name;
        g.arn = arn;
        g.roleArn = roleArn;
        g.kmsKeyArn = kmsKeyArn;
        g.domain = domain;
        g.tags = tags;
        g.life = new Lifecycle(clock.now(), defaultGroupProgression);
        groups.put(arn, g);

        ObjectNode out = json.createObjectNode();
        out.put("datasetGroupArn", arn);
        if (domain != null) {
            out.put("domain", domain);
        }
        return out;
    }

    private JsonNode describeDatasetGroup(JsonNode body) {
        DatasetGroup g = group(arnParameter(body, "datasetGroupArn"));
        if (g.life.deleting()) {
            if (g.life.pollDeletion(deleteAfterPolls, clock.now())) {
                groups.remove(g.arn);
                throw notFound(g.arn);
            }
        } else {
            g.life.polls++;
            refresh(g);
        }
        ObjectNode d = json.createObjectNode();
        d.put("name", g.name);
        d.put("datasetGroupArn", g.arn);
        d.put("status", g.life.status);
        putIfPresent(d, "roleArn", g.roleArn);
        putIfPresent(d, "kmsKeyArn", g.kmsKeyArn);
        d.set("creationDateTime", epochSeconds(g.life.created));
        d.set("lastUpdatedDateTime", epochSeconds(g.life.lastUpdated));
        putIfPresent(d, "failureReason", g.life.failureReason);
        putIfPresent(d, "domain", g.domain);
        ObjectNode out = json.createObjectNode();
        out.set("datasetGroup", d);
        return out;
    }

    private JsonNode deleteDatasetGroup(JsonNode body) {
        DatasetGroup g = group(arnParameter(body, "datasetGroupArn"));
        refresh(g);
        List<String> held = datasets.values().stream().filter(d -> d.groupArn.equals(g.arn)).map(d -> d.arn)
                .toList();
        if (!held.isEmpty()) {
            throw new ApiException("ResourceInUseException", "Dataset group " + g.arn
                    + " cannot be deleted while it has datasets: " + String.join(", ", held));
        }
        if (!g.life.deleting() && !Progression.isTerminal(g.life.status)) {
            throw inUse("Dataset group", g.arn, g.life.status);
        }
        g.life.startDelete(clock.now());
        return json.createObjectNode();
    }

    private JsonNode listDatasetGroups(JsonNode body) {
        List<DatasetGroup> all = List.copyOf(groups.values());
        return page(body, "DATASET_GROUP", "datasetGroups", all, g -> {
            refresh(g);
            ObjectNode s = json.createObjectNode();
            s.put("name", g.name);
            s.put("datasetGroupArn", g.arn);
            s.put("status", g.life.status);
            s.set("creationDateTime", epochSeconds(g.life.created));
            s.set("lastUpdatedDateTime", epochSeconds(g.life.lastUpdated));
            putIfPresent(s, "failureReason", g.life.failureReason);
            putIfPresent(s, "domain", g.domain);
            return s;
        });
    }

    private DatasetGroup group(String arn) {
        DatasetGroup g = groups.get(arn);
        if (g == null) {
            throw notFound(arn);
        }
        return g;
    }

    private void refresh(DatasetGroup g) {
        g.life.advance(progression(groupProgressions, g.name, g.arn, g.life.progression), clock.now());
    }

    // ---- schemas ----

    private JsonNode createSchema(String region, JsonNode body) {
        Validator v = new Validator();
        String name = name(body, v);
        String definition = text(body, "schema");
        v.required("schema", definition);
        v.length("schema", definition, 1, SchemaRules.MAX_SCHEMA_LENGTH);
        String domain = text(body, "domain");
        v.oneOf("domain", domain, DOMAINS);
        v.check();
        Map<String, SchemaRules.Field> fields;
        try {
            fields = SchemaRules.parse(definition);
        } catch (IllegalArgumentException e) {
            throw new ApiException("InvalidInputException", "Invalid schema: " + e.getMessage());
        }
        String arn = "arn:aws:personalize:" + region + ":" + ACCOUNT + ":schema/" + name;
        if (schemas.containsKey(arn)) {
            throw alreadyExists(arn);
        }
        Schema schema = new Schema();
        schema.name = name;
        schema.arn = arn;
        schema.definition = definition;
        schema.domain = domain;
        schema.fields = fields;
        schema.created = clock.now();
        schemas.put(arn, schema);

        ObjectNode out = json.createObjectNode();
        out.put("schemaArn", arn);
        return out;
    }

    private JsonNode describeSchema(JsonNode body) {
        Schema schema = schema(arnParameter(body, "schemaArn"));
        ObjectNode d = json.createObjectNode();
        d.put("name", schema.name);
        d.put("schemaArn", schema.arn);
        d.put("schema", schema.definition);
        d.set("creationDateTime", epochSeconds(schema.created));
        d.set("lastUpdatedDateTime", epochSeconds(schema.created));
        putIfPresent(d, "domain", schema.domain);
        ObjectNode out = json.createObjectNode();
        out.set("schema", d);
        return out;
    }

    private JsonNode deleteSchema(JsonNode body) {
        Schema schema = schema(arnParameter(body, "schemaArn"));
        for (Dataset d : datasets.values()) {
            refresh(d);
            boolean updatingTo = updateRunning(d) && d.update.schemaArn.equals(schema.arn);
            if (d.schemaArn.equals(schema.arn) || updatingTo) {
                throw new ApiException("ResourceInUseException", "Schema " + schema.arn + " is in use by dataset "
                        + d.arn + (updatingTo ? " (schema update " + updateStatus(d.update.life.status) + ")" : ""));
            }
        }
        schemas.remove(schema.arn);
        return json.createObjectNode();
    }

    private JsonNode listSchemas(JsonNode body) {
        List<Schema> all = List.copyOf(schemas.values());
        return page(body, "SCHEMA", "schemas", all, schema -> {
            ObjectNode s = json.createObjectNode();
            s.put("name", schema.name);
            s.put("schemaArn", schema.arn);
            s.set("creationDateTime", epochSeconds(schema.created));
            s.set("lastUpdatedDateTime", epochSeconds(schema.created));
            putIfPresent(s, "domain", schema.domain);
            return s;
        });
    }

    private Schema schema(String arn) {
        Schema schema = schemas.get(arn);
        if (schema == null) {
            throw notFound(arn);
        }
        return schema;
    }

    // ---- datasets ----

    private JsonNode createDataset(JsonNode body) {
        Validator v = new Validator();
        String name = name(body, v);
        String schemaArn = arnField(body, "schemaArn", v);
        String groupArn = arnField(body, "datasetGroupArn", v);
        String datasetType = text(body, "datasetType");
        v.required("datasetType", datasetType);
        v.length("datasetType", datasetType, 0, 256);
        v.pattern("datasetType", datasetType, DATASET_TYPE);
        List<String[]> tags = tags(body, v);
        v.check();
        String type = datasetType.toUpperCase(java.util.Locale.ROOT);
        if (!DATASET_TYPES.contains(type)) {
            throw new ApiException("InvalidInputException", "Invalid dataset type: " + datasetType
                    + ". Valid types are Interactions, Items, Users, Actions and Action_Interactions");
        }
        DatasetGroup g = group(groupArn);
        Schema schema = schema(schemaArn);
        refresh(g);
        if (g.life.deleting() || !Progression.ACTIVE.equals(g.life.status)) {
            throw inUse("Dataset group", g.arn, g.life.status);
        }
        checkDomain(schema, g);
        String accountAndRegion = g.arn.substring(0, g.arn.indexOf(":dataset-group/"));
        String arn = accountAndRegion + ":dataset/" + g.name + "/" + type;
        for (Dataset other : datasets.values()) {
            if (other.name.equals(name) && other.arn.startsWith(accountAndRegion + ":")) {
                throw alreadyExists(other.arn);
            }
        }
        if (datasets.containsKey(arn)) {
            throw new ApiException("ResourceAlreadyExistsException", "Another resource with Arn " + arn
                    + " already exists: dataset group " + g.arn + " already has a " + type + " dataset");
        }
        Dataset d = new Dataset();
        d.name = name;
        d.arn = arn;
        d.groupArn = g.arn;
        d.type = type;
        d.schemaArn = schema.arn;
        d.tags = tags;
        d.life = new Lifecycle(clock.now(), defaultDatasetProgression);
        datasets.put(arn, d);

        ObjectNode out = json.createObjectNode();
        out.put("datasetArn", arn);
        return out;
    }

    private JsonNode describeDataset(JsonNode body) {
        Dataset d = dataset(arnParameter(body, "datasetArn"));
        if (d.life.deleting()) {
            if (d.life.pollDeletion(deleteAfterPolls, clock.now())) {
                datasets.remove(d.arn);
                throw notFound(d.arn);
            }
        } else {
            d.life.polls++;
            if (d.update != null) {
                d.update.life.polls++;
            }
            refresh(d);
        }
        ObjectNode out = json.createObjectNode();
        ObjectNode o = out.putObject("dataset");
        o.put("name", d.name);
        o.put("datasetArn", d.arn);
        o.put("datasetGroupArn", d.groupArn);
        o.put("datasetType", d.type);
        o.put("schemaArn", d.schemaArn);
        o.put("status", d.life.status);
        o.set("creationDateTime", epochSeconds(d.life.created));
        o.set("lastUpdatedDateTime", epochSeconds(d.life.lastUpdated));
        if (d.update != null) {
            ObjectNode u = o.putObject("latestDatasetUpdate");
            u.put("schemaArn", d.update.schemaArn);
            u.put("status", updateStatus(d.update.life.status));
            putIfPresent(u, "failureReason", d.update.life.failureReason);
            u.set("creationDateTime", epochSeconds(d.update.life.created));
            u.set("lastUpdatedDateTime", epochSeconds(d.update.life.lastUpdated));
        }
        // the service model's Dataset has no failureReason: a CREATE FAILED dataset shows its status alone
        return out;
    }

    private JsonNode updateDataset(JsonNode body) {
        Validator v = new Validator();
        String arn = arnField(body, "datasetArn", v);
        String schemaArn = arnField(body, "schemaArn", v);
        v.check();
        Dataset d = dataset(arn);
        Schema next = schema(schemaArn);
        refresh(d);
        if (d.life.deleting() || !Progression.ACTIVE.equals(d.life.status)) {
            throw inUse("Dataset", d.arn, d.life.status);
        }
        if (updateRunning(d)) {
            throw new ApiException("ResourceInUseException", "Dataset " + d.arn + " has a schema update in "
                    + "status " + updateStatus(d.update.life.status));
        }
        Job running = runningImport(d);
        if (running != null) {
            throw new ApiException("ResourceInUseException", "Dataset " + d.arn + " has dataset import job "
                    + running.arn + " in status " + running.status);
        }
        checkDomain(next, groups.get(d.groupArn));
        Schema current = schemas.get(d.schemaArn);
        String violation = SchemaRules.replacementViolation(d.type,
                current == null ? Map.of() : current.fields, next.fields);
        if (violation != null) {
            throw new ApiException("InvalidInputException", "Cannot update dataset " + d.arn + " to schema "
                    + next.arn + ": " + violation);
        }
        Update u = new Update();
        u.schemaArn = next.arn;
        u.life = new Lifecycle(clock.now(), defaultUpdateProgression);
        d.update = u;

        ObjectNode out = json.createObjectNode();
        out.put("datasetArn", d.arn);
        return out;
    }

    private JsonNode deleteDataset(JsonNode body) {
        Dataset d = dataset(arnParameter(body, "datasetArn"));
        refresh(d);
        if (d.life.deleting()) {
            return json.createObjectNode();
        }
        if (!Progression.isTerminal(d.life.status)) {
            throw inUse("Dataset", d.arn, d.life.status);
        }
        if (updateRunning(d)) {
            throw new ApiException("ResourceInUseException", "Dataset " + d.arn + " has a schema update in "
                    + "status " + updateStatus(d.update.life.status));
        }
        Job running = runningImport(d);
        if (running != null) {
            throw new ApiException("ResourceInUseException", "Dataset " + d.arn + " cannot be deleted while "
                    + "dataset import job " + running.arn + " is in status " + running.status);
        }
        d.life.startDelete(clock.now());
        d.importedData.clear();
        return json.createObjectNode();
    }

    private JsonNode listDatasets(JsonNode body) {
        String groupArn = text(body, "datasetGroupArn");
        List<Dataset> matching = datasets.values().stream()
                .filter(d -> groupArn == null || groupArn.equals(d.groupArn)).toList();
        return page(body, "DATASET", "datasets", matching, d -> {
            refresh(d);
            ObjectNode s = json.createObjectNode();
            s.put("name", d.name);
            s.put("datasetArn", d.arn);
            s.put("datasetType", d.type);
            s.put("status", d.life.status);
            s.set("creationDateTime", epochSeconds(d.life.created));
            s.set("lastUpdatedDateTime", epochSeconds(d.life.lastUpdated));
            return s;
        });
    }

    private Dataset dataset(String arn) {
        Dataset d = datasets.get(arn);
        if (d == null) {
            throw notFound(arn);
        }
        return d;
    }

    /** Brings the dataset's creation and its latest update up to date; an ACTIVE update switches the schema. */
    private void refresh(Dataset d) {
        d.life.advance(progression(datasetProgressions, d.name, d.arn, d.life.progression), clock.now());
        if (d.update != null && !d.life.deleting()) {
            d.update.life.advance(progression(updateProgressions, d.name, d.arn, d.update.life.progression),
                    clock.now());
            if (Progression.ACTIVE.equals(d.update.life.status) && !d.update.schemaArn.equals(d.schemaArn)) {
                d.schemaArn = d.update.schemaArn;
            }
        }
    }

    private static boolean updateRunning(Dataset d) {
        return d.update != null && !Progression.isTerminal(d.update.life.status);
    }

    private Job runningImport(Dataset d) {
        for (Job j : jobsByArn.values()) {
            if (j.kind == JobKind.IMPORT && d.arn.equals(j.datasetArn)) {
                refresh(j);
                if (!Progression.isTerminal(j.status)) {
                    return j;
                }
            }
        }
        return null;
    }

    private static String updateStatus(String status) {
        return switch (status) {
            case Progression.CREATE_PENDING -> "UPDATE PENDING";
            case Progression.CREATE_IN_PROGRESS -> "UPDATE IN_PROGRESS";
            case Progression.CREATE_FAILED -> "UPDATE FAILED";
            default -> status;
        };
    }

    private static void checkDomain(Schema schema, DatasetGroup g) {
        if (!Objects.equals(schema.domain, g.domain)) {
            throw new ApiException("InvalidInputException", "The domain of schema " + schema.arn + " ("
                    + (schema.domain == null ? "none" : schema.domain) + ") does not match the domain of dataset"
                    + " group " + g.arn + " (" + (g.domain == null ? "none" : g.domain) + ")");
        }
    }

    private static Progression progression(Map<String, Progression> byNameOrArn, String name, String arn,
            Progression fallback) {
        Progression p = byNameOrArn.get(arn);
        if (p == null) {
            p = byNameOrArn.get(name);
        }
        return p == null ? fallback : p;
    }

    private static final class DatasetGroup {
        String name;
        String arn;
        String roleArn;
        String kmsKeyArn;
        String domain;
        List<String[]> tags;
        Lifecycle life;
    }

    private static final class Schema {
        String name;
        String arn;
        String definition;
        String domain;
        Map<String, SchemaRules.Field> fields;
        Instant created;
    }

    private static final class Dataset {
        String name;
        String arn;
        String groupArn;
        String type;
        String schemaArn;
        List<String[]> tags;
        Lifecycle life;
        Update update;
        final List<String> importedData = new ArrayList<>();
    }

    private static final class Update {
        String schemaArn;
        Lifecycle life;
    }

    // ---- data-model request helpers ----

    private static String name(JsonNode body, Validator v) {
        String name = text(body, "name");
        v.required("name", name);
        v.length("name", name, 1, 63);
        v.pattern("name", name, JOB_NAME);
        return name;
    }

    private static String arnField(JsonNode body, String field, Validator v) {
        String arn = text(body, field);
        v.required(field, arn);
        v.length(field, arn, 0, 256);
        v.pattern(field, arn, PERSONALIZE_ARN);
        return arn;
    }

    private static String arnParameter(JsonNode body, String field) {
        Validator v = new Validator();
        String arn = arnField(body, field, v);
        v.check();
        return arn;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static ApiException alreadyExists(String arn) {
        return new ApiException("ResourceAlreadyExistsException", "Another resource with Arn " + arn
                + " already exists.");
    }

    private static ApiException inUse(String what, String arn, String status) {
        return new ApiException("ResourceInUseException", what + " " + arn + " is in status " + status
                + "; retry when it is ACTIVE");
    }

    /** One page of {@code all} under {@code listKey}, with Personalize's nextToken and maxResults. */
    private <T> ObjectNode page(JsonNode body, String tokenKind, String listKey, List<T> all,
            java.util.function.Function<T, ObjectNode> summary) {
        Validator v = new Validator();
        String nextToken = text(body, "nextToken");
        v.length("nextToken", nextToken, 0, 1500);
        Integer maxResults = integer(body, "maxResults");
        if (maxResults != null && (maxResults < 1 || maxResults > MAX_RESULTS)) {
            v.fail("maxResults", maxResults, "Member must have value between 1 and " + MAX_RESULTS);
        }
        v.check();
        int max = maxResults == null ? MAX_RESULTS : maxResults;
        int from = nextToken == null ? 0 : decodeToken(tokenKind, nextToken);
        if (from > all.size()) {
            throw new ApiException("InvalidNextTokenException", "Invalid next token: " + nextToken);
        }
        int to = Math.min(all.size(), from + max);
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray(listKey);
        for (T item : all.subList(from, to)) {
            items.add(summary.apply(item));
        }
        if (to < all.size()) {
            out.put("nextToken", encodeToken(tokenKind, to));
        }
        return out;
    }

    // ---- jobs ----

    private enum JobKind {
        IMPORT("Dataset import job", "dataset-import-job", "datasetImportJobArn", "datasetImportJob",
                "datasetImportJobs"),
        EXPORT("Dataset export job", "dataset-export-job", "datasetExportJobArn", "datasetExportJob",
                "datasetExportJobs");

        final String description;
        final String arnResource;
        final String arnField;
        final String describeKey;
        final String listKey;

        JobKind(String description, String arnResource, String arnField, String describeKey, String listKey) {
            this.description = description;
            this.arnResource = arnResource;
            this.arnField = arnField;
            this.describeKey = describeKey;
            this.listKey = listKey;
        }

        /** The job's ARN in the partition, region and account of the dataset. */
        String arn(String datasetArn, String jobName) {
            String[] parts = datasetArn.split(":", 6);
            return "arn:" + parts[1] + ":personalize:" + parts[3] + ":" + parts[4] + ":" + arnResource + "/"
                    + jobName;
        }
    }

    private static final class Job {
        final JobKind kind;
        String name;
        String arn;
        /** The region whose quota the job counts against. */
        String region;
        String datasetArn;
        String roleArn;
        Instant created;
        Instant lastUpdated;
        /** When the job reached ACTIVE or CREATE FAILED, or null. */
        Instant finished;
        String status;
        String failureReason;
        int polls;
        Progression progression;
        List<String[]> tags = List.of();
        // import
        String dataLocation;
        String importMode;
        boolean publishAttributionMetricsToS3;
        // export
        String ingestionMode;
        String outputPath;
        String kmsKeyArn;

        Job(JobKind kind) {
            this.kind = kind;
        }
    }

    private Job existingJob(JobKind kind, String jobName, String datasetArn, String status) {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(datasetArn, "datasetArn");
        Objects.requireNonNull(status, "status");
        if (jobName.length() > 63 || !JOB_NAME.matcher(jobName).matches()) {
            throw new IllegalArgumentException("invalid job name: " + jobName);
        }
        if (!PERSONALIZE_ARN.matcher(datasetArn).matches()) {
            throw new IllegalArgumentException("invalid dataset ARN: " + datasetArn);
        }
        if (!Progression.STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + Progression.STATUSES + ": " + status);
        }
        if (jobsByName.get(kind).containsKey(jobName)) {
            throw new IllegalStateException(kind.description + " " + jobName + " already exists");
        }
        String[] arnParts = datasetArn.split(":", 6);
        Job job = new Job(kind);
        job.name = jobName;
        job.datasetArn = datasetArn;
        job.arn = kind.arn(datasetArn, jobName);
        job.roleArn = "arn:" + arnParts[1] + ":iam::" + arnParts[4] + ":role/PersonalizeRole";
        job.region = arnParts[3];
        job.created = clock.now();
        job.lastUpdated = job.created;
        job.status = status;
        job.finished = Progression.isTerminal(status) ? job.created : null;
        job.failureReason = Progression.CREATE_FAILED.equals(status) ? "The job failed." : null;
        job.progression = Progression.fixed(status, job.failureReason);
        return job;
    }

    private void register(Job job) {
        jobsByName.get(job.kind).put(job.name, job);
        jobsByArn.put(job.arn, job);
    }

    /** Brings the job's status up to date with its progression; statuses only move forward. */
    private void refresh(Job job) {
        if (Progression.isTerminal(job.status)) {
            return;
        }
        Progression p = progressions.get(job.name);
        if (p == null) {
            p = locationProgression(job.kind == JobKind.IMPORT ? job.dataLocation : job.outputPath);
        }
        if (p == null) {
            p = job.progression;
        }
        Instant now = clock.now();
        Progression.State s = p.state(job.polls, job.created, now);
        if (s.status().equals(job.status) || Progression.rank(s.status()) < Progression.rank(job.status)) {
            return;
        }
        job.status = s.status();
        job.failureReason = s.failureReason();
        Instant at = s.since() != null ? s.since() : now;
        job.lastUpdated = at.isAfter(job.lastUpdated) ? at : job.lastUpdated.plusSeconds(1);
        if (Progression.isTerminal(job.status)) {
            job.finished = job.lastUpdated;
        }
        if (job.kind == JobKind.IMPORT && Progression.ACTIVE.equals(job.status)) {
            Dataset dataset = datasets.get(job.datasetArn);
            if (dataset != null && !dataset.life.deleting()) {
                if ("FULL".equals(job.importMode)) {
                    dataset.importedData.clear();
                }
                dataset.importedData.add(job.dataLocation);
            }
        }
    }

    /** Import jobs of {@code region} in CREATE PENDING or CREATE IN_PROGRESS now (statuses refreshed, no poll). */
    private int pendingImports(String region) {
        int n = 0;
        for (Job j : jobsByName.get(JobKind.IMPORT).values()) {
            if (region.equals(j.region)) {
                refresh(j);
                if (!Progression.isTerminal(j.status)) {
                    n++;
                }
            }
        }
        return n;
    }

    // ---- IAM and bucket-policy propagation ----
    //
    // What Personalize answers when it cannot (yet) use the service role or the bucket policy of a job:
    //   type:    InvalidInputException (HTTP 400)
    //   message: "Failed to create a data import job for <dataset type> dataset....Insufficient privileges for
    //            accessing data in Amazon S3."  (<dataset type> as the guide names it: Interactions, Items, ...)
    // Source: Amazon Personalize Developer Guide, "Common error messages in Amazon Personalize", section "Data
    // import and management" (https://docs.aws.amazon.com/personalize/latest/dg/error-messages.html): "Error
    // message: Failed to create a data import job for <dataset type> dataset....Insufficient privileges for
    // accessing data in Amazon S3." with the remedy: attach access policies to the bucket and to the Personalize
    // service role (granting-personalize-s3-access.html), and KMS grants for encrypted data. The page gives the
    // message, not the type; InvalidInputException is the only client error the service model declares for a
    // request Personalize refuses as given (the others name a quota, a name clash, a missing or busy resource, or
    // tags). The page does not say whether the refusal comes from the Create call or as the failureReason of a
    // CREATE FAILED job; this mode refuses the Create call (script the other form with Progression.failAfterPolls
    // and insufficientPrivilegesMessage). The guide documents no wording for export jobs; the emulator uses the
    // same type and sentence with "dataset export job". A freshly created role or bucket policy answers the same way until IAM and S3 have
    // propagated it, so a caller can recognise the case only by this message, and only retry it for a bounded time.

    /** Refuses a Create*Job as Personalize does while the role or bucket policy is not yet usable, if scripted. */
    private void checkPropagation(JobKind kind, String datasetArn) {
        boolean byTime = propagationUntil != null && clock.now().isBefore(propagationUntil);
        boolean byCalls = propagationCalls > 0;
        if (!byTime && !byCalls) {
            return;
        }
        if (byCalls) {
            propagationCalls--;
        }
        String message = insufficientPrivilegesMessage(datasetArn.substring(datasetArn.lastIndexOf('/') + 1));
        throw new ApiException(PROPAGATION_ERROR_TYPE, kind == JobKind.IMPORT ? message
                : message.replace("data import job", "dataset export job"));
    }

    /** The progression set for the longest prefix of {@code location}, or null. */
    private Progression locationProgression(String location) {
        if (location == null) {
            return null;
        }
        String best = null;
        for (String prefix : locationProgressions.keySet()) {
            if (location.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : locationProgressions.get(best);
    }

    private ObjectNode description(Job job) {
        ObjectNode d = json.createObjectNode();
        d.put("jobName", job.name);
        d.put(job.kind.arnField, job.arn);
        d.put("datasetArn", job.datasetArn);
        if (job.kind == JobKind.IMPORT) {
            d.putObject("dataSource").put("dataLocation", job.dataLocation);
            putIfPresent(d, "roleArn", job.roleArn);
            d.put("status", job.status);
            d.put("importMode", job.importMode);
            d.put("publishAttributionMetricsToS3", job.publishAttributionMetricsToS3);
        } else {
            d.put("ingestionMode", job.ingestionMode);
            d.put("roleArn", job.roleArn);
            d.put("status", job.status);
            ObjectNode destination = d.putObject("jobOutput").putObject("s3DataDestination");
            destination.put("path", job.outputPath);
            if (job.kmsKeyArn != null) {
                destination.put("kmsKeyArn", job.kmsKeyArn);
            }
        }
        d.set("creationDateTime", epochSeconds(job.created));
        d.set("lastUpdatedDateTime", epochSeconds(job.lastUpdated));
        if (job.failureReason != null) {
            d.put("failureReason", job.failureReason);
        }
        return d;
    }

    private ObjectNode summary(Job job) {
        ObjectNode s = json.createObjectNode();
        s.put(job.kind.arnField, job.arn);
        s.put("jobName", job.name);
        s.put("status", job.status);
        s.set("creationDateTime", epochSeconds(job.created));
        s.set("lastUpdatedDateTime", epochSeconds(job.lastUpdated));
        if (job.failureReason != null) {
            s.put("failureReason", job.failureReason);
        }
        if (job.kind == JobKind.IMPORT) {
            s.put("importMode", job.importMode);
        }
        return s;
    }

    /** Epoch seconds with at least one fraction digit, e.g. {@code 1767225600.0}. */
    private static DecimalNode epochSeconds(Instant t) {
        BigDecimal v = BigDecimal.valueOf(t.getEpochSecond())
                .add(BigDecimal.valueOf(t.getNano(), 9))
                .stripTrailingZeros();
        return DecimalNode.valueOf(v.scale() < 1 ? v.setScale(1) : v);
    }

    private static String encodeToken(String kind, int offset) {
        String token = kind + ":" + offset;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String kind, String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String prefix = kind + ":";
            if (decoded.startsWith(prefix)) {
                int offset = Integer.parseInt(decoded.substring(prefix.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the service error
        }
        throw new ApiException("InvalidNextTokenException", "Invalid next token: " + token);
    }

    private static ApiException notFound(String arn) {
        return new ApiException("ResourceNotFoundException", "Could not find resource: " + arn);
    }

    // ---- request parsing and validation ----

    private static List<String[]> tags(JsonNode body, Validator v) {
        JsonNode tags = body.get("tags");
        if (tags == null || tags.isNull()) {
            return List.of();
        }
        if (!tags.isArray()) {
            throw typeError("tags", "a list");
        }
        if (tags.size() > MAX_TAGS) {
            // a constraint of the service model's Tags list (max 200), checked like every other constraint
            v.fail("tags", "[" + tags.size() + " tags]", "Member must have length less than or equal to " + MAX_TAGS);
        } else if (tags.size() > TagRules.MAX_TAGS) {
            // the guide's limit of 50 tags per resource; the service model declares TooManyTagsException for it
            throw new ApiException("TooManyTagsException", "You have exceeded the maximum number of tags ("
                    + TagRules.MAX_TAGS + ") you can apply to this resource: " + tags.size() + " tags");
        }
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            JsonNode tag = tags.get(i);
            String at = "tags." + (i + 1) + ".member";
            if (!tag.isObject()) {
                throw typeError(at, "a structure");
            }
            String key = text(tag, "tagKey");
            String value = text(tag, "tagValue");
            v.required(at + ".tagKey", key);
            v.length(at + ".tagKey", key, 1, 128);
            v.required(at + ".tagValue", value);
            v.length(at + ".tagValue", value, 0, 256);
            v.pattern(at + ".tagKey", key, TagRules.PATTERN);
            v.pattern(at + ".tagValue", value, TagRules.PATTERN);
            // the guide: "Your tag keys and tag values can't start with aws:"
            if (key != null && TagRules.isReserved(key)) {
                v.fail(at + ".tagKey", key, "Tag keys can't start with " + TagRules.RESERVED_PREFIX);
            }
            if (value != null && TagRules.isReserved(value)) {
                v.fail(at + ".tagValue", value, "Tag values can't start with " + TagRules.RESERVED_PREFIX);
            }
            out.add(new String[] {key, value});
        }
        return out;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw typeError(field, "a string");
        }
        return n.asText();
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw typeError(field, "a structure");
        }
        return n;
    }

    private static Boolean bool(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw typeError(field, "a boolean");
        }
        return n.booleanValue();
    }

    private static Integer integer(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw typeError(field, "an integer");
        }
        return n.intValue();
    }

    private static ApiException typeError(String field, String expected) {
        return new ApiException("SerializationException", "Expected " + expected + " for '" + field + "'");
    }

    /**
     * Collects constraint violations of the service model (required, length, pattern, enum, list size) and reports
     * them as one InvalidInputException. Personalize's service model declares InvalidInputException ("Provide a
     * valid value for the field or parameter") and no ValidationException for every operation, so that is the type
     * kept here.
     */
    private static final class Validator {
        private final List<String> errors = new ArrayList<>();

        void required(String field, Object value) {
            if (value == null) {
                errors.add("Value null at '" + field + "' failed to satisfy constraint: Member must not be null");
            }
        }

        void length(String field, String value, int min, int max) {
            if (value == null) {
                return;
            }
            if (value.length() < min) {
                fail(field, value, "Member must have length greater than or equal to " + min);
            } else if (value.length() > max) {
                fail(field, value, "Member must have length less than or equal to " + max);
            }
        }

        void pattern(String field, String value, Pattern pattern) {
            if (value != null && !pattern.matcher(value).matches()) {
                fail(field, value, "Member must satisfy regular expression pattern: " + pattern.pattern());
            }
        }

        void oneOf(String field, String value, List<String> allowed) {
            if (value != null && !allowed.contains(value)) {
                fail(field, value, "Member must satisfy enum value set: " + allowed);
            }
        }

        void fail(String field, Object value, String constraint) {
            errors.add("Value '" + value + "' at '" + field + "' failed to satisfy constraint: " + constraint);
        }

        void check() {
            if (!errors.isEmpty()) {
                throw new ApiException("InvalidInputException", errors.size() + " validation error"
                        + (errors.size() == 1 ? "" : "s") + " detected: " + String.join("; ", errors));
            }
        }
    }

    private static void requireNotNegative(int requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must not be negative: " + requests);
        }
    }
}
