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
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * Local emulation of the Amazon Personalize control-plane API (AWS JSON 1.1) for dataset import and export jobs,
 * served over real HTTP so the AWS SDK's {@code PersonalizeClient} can talk to it through an endpoint override.
 *
 * <p>Jobs advance by {@link Progression}: a per-job-name one set with {@link #progression(String, Progression)}
 * wins, otherwise jobs created through the API use the default progression that was in force when they were
 * created, and pre-existing jobs keep their status. Statuses never move backwards and terminal statuses are
 * final. When a status changes, {@code lastUpdatedDateTime} becomes the emulated time of the change, bumped by
 * one second past the previous value if the clock has not moved.
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
    private static final int MAX_TAGS = 50;
    private static final int MAX_RESULTS = 100;

    private final ObjectMapper json = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    private final EmulatorClock clock = new EmulatorClock();
    private final HttpServer server;
    private final ExecutorService executor;
    private final URI endpoint;

    // all state below is guarded by lock
    private final Object lock = new Object();
    private Progression defaultProgression = Progression.activeAfterPolls(2);
    private final Map<String, Progression> progressions = new HashMap<>();
    private final Set<String> missingDatasets = new HashSet<>();
    private final Map<JobKind, Map<String, Job>> jobsByName = Map.of(
            JobKind.IMPORT, new LinkedHashMap<>(), JobKind.EXPORT, new LinkedHashMap<>());
    private final Map<String, Job> jobsByArn = new HashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private int throttleRemaining;
    private int serverErrorRemaining;
    private long requestCounter;
    private boolean closed;

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

    /** The next {@code requests} requests answer HTTP 400 ThrottlingException. */
    public PersonalizeEmulator throttleNext(int requests) {
        requireNotNegative(requests);
        synchronized (lock) {
            throttleRemaining = requests;
        }
        return this;
    }

    /** The next {@code requests} requests answer HTTP 500 InternalFailure (after any pending throttling). */
    public PersonalizeEmulator serverErrorNext(int requests) {
        requireNotNegative(requests);
        synchronized (lock) {
            serverErrorRemaining = requests;
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

    public void resetRequests() {
        synchronized (lock) {
            requests.clear();
        }
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Response response = dispatch(exchange.getRequestMethod(), target, raw);
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

    private Response dispatch(String method, String target, byte[] raw) {
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
                if (throttleRemaining > 0) {
                    throttleRemaining--;
                    throw new ApiException("ThrottlingException", "Rate exceeded");
                }
                if (serverErrorRemaining > 0) {
                    serverErrorRemaining--;
                    throw new ApiException(500, "InternalFailure",
                            "The request processing has failed because of an unknown error, exception or failure.");
                }
                responseBody = invoke(method, target, operation, raw);
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

    private JsonNode parseQuietly(byte[] raw) {
        try {
            return raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
        } catch (IOException e) {
            return TextNode.valueOf(new String(raw, StandardCharsets.UTF_8));
        }
    }

    private JsonNode invoke(String method, String target, String operation, byte[] raw) {
        if (!"POST".equals(method) || target == null || !target.startsWith(TARGET_PREFIX)) {
            throw new ApiException("UnknownOperationException", "Unknown operation: " + method + " " + target);
        }
        return switch (operation) {
            case "CreateDatasetImportJob" -> createJob(JobKind.IMPORT, parse(raw));
            case "CreateDatasetExportJob" -> createJob(JobKind.EXPORT, parse(raw));
            case "DescribeDatasetImportJob" -> describeJob(JobKind.IMPORT, parse(raw));
            case "DescribeDatasetExportJob" -> describeJob(JobKind.EXPORT, parse(raw));
            case "ListDatasetImportJobs" -> listJobs(JobKind.IMPORT, parse(raw));
            case "ListDatasetExportJobs" -> listJobs(JobKind.EXPORT, parse(raw));
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

    private JsonNode createJob(JobKind kind, JsonNode body) {
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
        v.required("roleArn", roleArn);
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
        if (tags.size() > MAX_TAGS) {
            throw new ApiException("TooManyTagsException", "A resource can have at most " + MAX_TAGS + " tags");
        }
        if (missingDatasets.contains(datasetArn)) {
            throw notFound(datasetArn);
        }
        if (jobsByName.get(kind).containsKey(jobName)) {
            throw new ApiException("ResourceAlreadyExistsException",
                    kind.description + " " + jobName + " already exists");
        }
        job.arn = kind.arn(datasetArn, jobName);
        job.created = clock.now();
        job.lastUpdated = job.created;
        job.status = Progression.CREATE_PENDING;
        job.progression = defaultProgression;
        register(job);

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
        int from = nextToken == null ? 0 : decodeToken(kind, nextToken);
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
            out.put("nextToken", encodeToken(kind, to));
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
        String datasetArn;
        String roleArn;
        Instant created;
        Instant lastUpdated;
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
        job.created = clock.now();
        job.lastUpdated = job.created;
        job.status = status;
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
        Progression p = progressions.getOrDefault(job.name, job.progression);
        Instant now = clock.now();
        Progression.State s = p.state(job.polls, job.created, now);
        if (s.status().equals(job.status) || Progression.rank(s.status()) < Progression.rank(job.status)) {
            return;
        }
        job.status = s.status();
        job.failureReason = s.failureReason();
        Instant at = s.since() != null ? s.since() : now;
        job.lastUpdated = at.isAfter(job.lastUpdated) ? at : job.lastUpdated.plusSeconds(1);
    }

    private ObjectNode description(Job job) {
        ObjectNode d = json.createObjectNode();
        d.put("jobName", job.name);
        d.put(job.kind.arnField, job.arn);
        d.put("datasetArn", job.datasetArn);
        if (job.kind == JobKind.IMPORT) {
            d.putObject("dataSource").put("dataLocation", job.dataLocation);
            d.put("roleArn", job.roleArn);
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

    private static String encodeToken(JobKind kind, int offset) {
        String token = kind.name() + ":" + offset;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(JobKind kind, String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String prefix = kind.name() + ":";
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

    /** Collects constraint violations and reports them as one InvalidInputException, as the service does. */
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
