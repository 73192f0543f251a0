package io.github.personalizecdk.contract;

/**
 * The poller of long waits: a Step Functions state machine per stack that describes a job every
 * {@link #POLL_SECONDS} seconds and, when the job is ACTIVE or CREATE FAILED (or its deadline has passed), invokes
 * the stack's handler with {@code {"PersonalizeJobWaiter": <execution state>}} so that it signals the job's wait
 * condition. The handler starts one execution per job, named after the job, with this input.
 */
public final class JobWaiter {
    /** Top-level key of the handler event the state machine sends. */
    public static final String EVENT = "PersonalizeJobWaiter";
    // execution input
    public static final String JOB_ARN = "JobArn";
    /** {@code IMPORT} or {@code EXPORT}. */
    public static final String JOB_TYPE = "JobType";
    /** The wait condition handle's presigned URL. */
    public static final String HANDLE = "Handle";
    /** ISO-8601 instant after which the poller stops waiting and signals FAILURE. */
    public static final String DEADLINE = "Deadline";
    public static final String TIMEOUT_SECONDS = "TimeoutSeconds";
    // added by the state machine
    /** The last Describe's result ({@code {"Status": ...}}). */
    public static final String JOB = "Job";
    /** A Describe error the state machine caught. */
    public static final String ERROR = "Error";

    /** Seconds between two Describe calls of one job. */
    public static final int POLL_SECONDS = 60;
    /**
     * The poller gives up this long before the job's timeout, so that its FAILURE, which names the job and its last
     * status, reaches the wait condition before CloudFormation's own timeout.
     */
    public static final int DEADLINE_MARGIN_SECONDS = 180;
    /** Longest wait of a CloudFormation wait condition: 12 hours. */
    public static final int MAX_WAIT_SECONDS = 43_200;

    private JobWaiter() {
    }
}
