package io.github.personalizecdk.handler.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * How an emulated job's, dataset group's or dataset's status moves from {@code CREATE PENDING} to {@code ACTIVE}
 * or {@code CREATE FAILED}; a dataset's schema update reads the same steps as {@code UPDATE PENDING}, {@code
 * UPDATE IN_PROGRESS}, {@code ACTIVE} and {@code UPDATE FAILED}.
 */
public abstract class Progression {

    static final String CREATE_PENDING = "CREATE PENDING";
    static final String CREATE_IN_PROGRESS = "CREATE IN_PROGRESS";
    static final String ACTIVE = "ACTIVE";
    static final String CREATE_FAILED = "CREATE FAILED";
    static final Set<String> STATUSES = Set.of(CREATE_PENDING, CREATE_IN_PROGRESS, ACTIVE, CREATE_FAILED);

    /**
     * A job's status as a progression sees it.
     *
     * @param since when the status was reached, or null if the progression does not know (poll driven)
     */
    record State(String status, String failureReason, Instant since) {
    }

    private Progression() {
    }

    /**
     * The status after {@code polls} Describe calls, for a job created at {@code createdAt}, at emulated time
     * {@code now}.
     */
    abstract State state(int polls, Instant createdAt, Instant now);

    /**
     * Describe #1..#n-1 report CREATE PENDING (first) then CREATE IN_PROGRESS; #n onwards report ACTIVE. Time does
     * not move such a job: it holds its place in the import quota until Describe calls have made it ACTIVE.
     */
    public static Progression activeAfterPolls(int n) {
        return new ByPolls(n, ACTIVE, null);
    }

    /** Like {@link #activeAfterPolls(int)} but Describe #n onwards report CREATE FAILED with the reason. */
    public static Progression failAfterPolls(int n, String failureReason) {
        return new ByPolls(n, CREATE_FAILED, Objects.requireNonNull(failureReason, "failureReason"));
    }

    /** CREATE PENDING on the first Describe, CREATE IN_PROGRESS forever after. */
    public static Progression neverCompletes() {
        return new ByPolls(Integer.MAX_VALUE, null, null);
    }

    /**
     * Driven by the emulated clock, not by polls: CREATE PENDING for the first 10% of {@code d}, CREATE
     * IN_PROGRESS until creation time + {@code d}, ACTIVE from then on, whether or not anyone describes the job
     * (so an import job frees its place in the import quota when the clock passes its end).
     */
    public static Progression activeAfter(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + d);
        }
        return new ByClock(d, ACTIVE, null);
    }

    /** Like {@link #activeAfter(Duration)}, but CREATE FAILED with the reason from creation time + {@code d}. */
    public static Progression failAfter(Duration d, String failureReason) {
        Objects.requireNonNull(d, "d");
        return new ByClock(d, CREATE_FAILED, Objects.requireNonNull(failureReason, "failureReason"));
    }

    /** A status that never changes (pre-existing jobs). */
    static Progression fixed(String status, String failureReason) {
        return new Fixed(status, failureReason);
    }

    static boolean isTerminal(String status) {
        return ACTIVE.equals(status) || CREATE_FAILED.equals(status);
    }

    /** Order of statuses; a job never moves to a lower rank. */
    static int rank(String status) {
        return switch (status) {
            case CREATE_PENDING -> 0;
            case CREATE_IN_PROGRESS -> 1;
            default -> 2;
        };
    }

    private static final class ByPolls extends Progression {
        private final int n;
        private final String terminal;
        private final String failureReason;

        ByPolls(int n, String terminal, String failureReason) {
            if (n < 1) {
                throw new IllegalArgumentException("n must be at least 1: " + n);
            }
            this.n = n;
            this.terminal = terminal;
            this.failureReason = failureReason;
        }

        @Override
        State state(int polls, Instant createdAt, Instant now) {
            if (terminal != null && polls >= n) {
                return new State(terminal, failureReason, null);
            }
            return new State(polls <= 1 ? CREATE_PENDING : CREATE_IN_PROGRESS, null, null);
        }

        @Override
        public String toString() {
            if (terminal == null) {
                return "neverCompletes()";
            }
            return ACTIVE.equals(terminal) ? "activeAfterPolls(" + n + ")"
                    : "failAfterPolls(" + n + ", \"" + failureReason + "\")";
        }
    }

    private static final class ByClock extends Progression {
        private final Duration d;
        private final String terminal;
        private final String failureReason;

        ByClock(Duration d, String terminal, String failureReason) {
            this.d = d;
            this.terminal = terminal;
            this.failureReason = failureReason;
        }

        @Override
        State state(int polls, Instant createdAt, Instant now) {
            Duration elapsed = Duration.between(createdAt, now);
            Duration pending = d.dividedBy(10);
            if (elapsed.compareTo(pending) < 0) {
                return new State(CREATE_PENDING, null, createdAt);
            }
            if (elapsed.compareTo(d) < 0) {
                return new State(CREATE_IN_PROGRESS, null, createdAt.plus(pending));
            }
            return new State(terminal, failureReason, createdAt.plus(d));
        }

        @Override
        public String toString() {
            return ACTIVE.equals(terminal) ? "activeAfter(" + d + ")" : "failAfter(" + d + ", \"" + failureReason
                    + "\")";
        }
    }

    private static final class Fixed extends Progression {
        private final String status;
        private final String failureReason;

        Fixed(String status, String failureReason) {
            this.status = status;
            this.failureReason = failureReason;
        }

        @Override
        State state(int polls, Instant createdAt, Instant now) {
            return new State(status, failureReason, null);
        }

        @Override
        public String toString() {
            return "fixed(" + status + ")";
        }
    }
}
