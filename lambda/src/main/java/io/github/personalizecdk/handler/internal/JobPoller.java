package io.github.personalizecdk.handler.internal;

import io.github.personalizecdk.contract.Hashes;
import io.github.personalizecdk.contract.JobWaiter;
import io.github.personalizecdk.handler.internal.JobLifecycle.Status;
import io.github.personalizecdk.handler.internal.JobSpec.JobType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * The long wait of a job: its poller (one execution of the stack's {@link JobWaiter} state machine, named after the
 * job and its wait condition handle, so a retried request starts no second one) and the signal to the job's wait
 * condition handle that the execution asks for when the job has ended or its deadline has passed.
 *
 * <p>The signal is CloudFormation's wait condition signal: a PUT of
 * {@code {"Status": "SUCCESS"|"FAILURE", "Reason", "UniqueId", "Data"}} to the handle's presigned URL, without a
 * Content-Type (the URL is signed without one). UniqueId is the job's ARN; Data its status; a FAILURE's Reason is
 * Personalize's failureReason, bounded as the handler's own failures are ({@link BoundedFailure}).
 */
public final class JobPoller {
    private final Supplier<SfnClient> stepFunctions;
    private final JobLifecycle jobs;
    private final Clock clock;
    private final Consumer<String> log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public JobPoller(Supplier<SfnClient> stepFunctions, JobLifecycle jobs, Clock clock, Consumer<String> log) {
        this.stepFunctions = stepFunctions;
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Starts the job's poller; an execution of the same name that exists already (a retried request) is kept.
     *
     * @param startedAt when the job was first tried: its deadline counts from there
     */
    void start(JobSpec spec, String jobArn, long startedAt) {
        Instant deadline = Instant.ofEpochMilli(startedAt)
                .plusSeconds(spec.timeoutSeconds() - JobWaiter.DEADLINE_MARGIN_SECONDS);
        String input = "{" + field(JobWaiter.JOB_ARN, jobArn) + "," + field(JobWaiter.JOB_TYPE, spec.type().name())
                + "," + field(JobWaiter.HANDLE, spec.waitHandle()) + "," + field(JobWaiter.DEADLINE, deadline.toString())
                + "," + field(JobWaiter.TIMEOUT_SECONDS, Long.toString(spec.timeoutSeconds())) + "}";
        String name = executionName(jobArn, spec.waitHandle());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("jobArn", jobArn);
        fields.put("execution", name);
        fields.put("deadline", deadline.toString());
        try {
            client().startExecution(r -> r.stateMachineArn(spec.waiterArn()).name(name).input(input));
            fields.put("started", "true");
        } catch (ExecutionAlreadyExistsException e) {
            fields.put("started", "false (already running)");
        }
        log.accept(ResourceLifecycle.jsonLine("pollerStarted", fields));
    }

    /** Stops the job's poller; one that has ended or never started is fine. */
    void stop(JobSpec spec, String jobArn) {
        String name = executionName(jobArn, spec.waitHandle());
        String arn = executionArn(spec.waiterArn(), name);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("jobArn", jobArn);
        fields.put("execution", arn);
        try {
            client().stopExecution(r -> r.executionArn(arn).cause("the job's custom resource was deleted or replaced"));
            fields.put("stopped", "true");
        } catch (ExecutionDoesNotExistException e) {
            fields.put("stopped", "false (no such execution)");
        }
        log.accept(ResourceLifecycle.jsonLine("pollerStopped", fields));
    }

    /**
     * The state machine's last step: describes the job and signals its wait condition.
     *
     * @param input the execution's state ({@link JobWaiter})
     * @return the signal sent
     */
    public Map<String, Object> signal(Map<String, Object> input) {
        Objects.requireNonNull(input, "input");
        String arn = String.valueOf(Objects.requireNonNull(input.get(JobWaiter.JOB_ARN), JobWaiter.JOB_ARN));
        JobType type = JobType.valueOf(String.valueOf(input.get(JobWaiter.JOB_TYPE)));
        String handle = String.valueOf(Objects.requireNonNull(input.get(JobWaiter.HANDLE), JobWaiter.HANDLE));
        Status job = jobs.describe(type, arn);
        String status;
        String reason;
        if (job.status().equals(ResourceLifecycle.ACTIVE)) {
            status = "SUCCESS";
            reason = type.description() + " " + arn + " is ACTIVE";
        } else if (job.status().equals(ResourceLifecycle.CREATE_FAILED)) {
            status = "FAILURE";
            reason = type.description() + " " + arn + " failed: " + ResourceLifecycle.reason(job.failureReason());
        } else {
            status = "FAILURE";
            reason = type.description() + " " + arn + " is still " + job.status() + " at its deadline "
                    + input.get(JobWaiter.DEADLINE) + " (timeout " + input.get(JobWaiter.TIMEOUT_SECONDS)
                    + " s, less " + JobWaiter.DEADLINE_MARGIN_SECONDS + " s for this signal); the job goes on in "
                    + "Personalize. Raise the timeout (at most 12 hours) and deploy again.";
        }
        String bounded = BoundedFailure.bounded(reason, "");
        Map<String, Object> signal = new LinkedHashMap<>();
        signal.put("Status", status);
        signal.put("Reason", bounded);
        signal.put("UniqueId", arn);
        signal.put("Data", job.status());
        put(handle, signal);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("jobArn", arn);
        fields.put("signal", status);
        fields.put("jobStatus", job.status());
        fields.put("at", clock.instant().toString());
        log.accept(ResourceLifecycle.jsonLine("waitConditionSignalled", fields));
        return signal;
    }

    private void put(String url, Map<String, Object> signal) {
        StringBuilder body = new StringBuilder("{");
        signal.forEach((k, v) -> body.append(body.length() > 1 ? "," : "").append(field(k, String.valueOf(v))));
        body.append('}');
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("the wait condition handle answered HTTP " + response.statusCode()
                        + " to the signal: " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal the wait condition handle: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the wait condition handle", e);
        }
    }

    private SfnClient client() {
        if (stepFunctions == null) {
            throw new IllegalStateException("this handler has no Step Functions client for the long wait's poller");
        }
        return stepFunctions.get();
    }

    /** @return the job's name and a hash of its handle: one execution per job and wait condition, at most 80 */
    static String executionName(String jobArn, String handle) {
        String job = jobArn.substring(jobArn.lastIndexOf('/') + 1);
        return job + "-" + Hashes.sha256Hex(handle).substring(0, 8);
    }

    /** @return the execution's ARN: {@code arn:<p>:states:<r>:<a>:execution:<state machine>:<name>} */
    static String executionArn(String stateMachineArn, String name) {
        return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + name;
    }

    private static String field(String name, String value) {
        StringBuilder out = new StringBuilder("\"");
        Properties.escapeJson(name, out).append("\":\"");
        return Properties.escapeJson(value, out).append('"').toString();
    }

}
