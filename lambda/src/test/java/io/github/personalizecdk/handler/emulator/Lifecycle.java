package io.github.personalizecdk.handler.emulator;

import java.time.Instant;

/**
 * Status and timestamps of an emulated dataset group, dataset or dataset update, moved by a {@link Progression}
 * in the same way as jobs: never backwards, terminal statuses final, {@code lastUpdated} the emulated time of a
 * change (bumped one second past the previous value if the clock has not moved). A deletion overrides the
 * progression: DELETE PENDING, then DELETE IN_PROGRESS, then gone after the configured number of Describe calls.
 */
final class Lifecycle {

    static final String DELETE_PENDING = "DELETE PENDING";
    static final String DELETE_IN_PROGRESS = "DELETE IN_PROGRESS";

    final Instant created;
    final Progression progression;
    Instant lastUpdated;
    String status = Progression.CREATE_PENDING;
    String failureReason;
    int polls;
    private int deletePolls = -1;

    Lifecycle(Instant created, Progression progression) {
        this.created = created;
        this.lastUpdated = created;
        this.progression = progression;
    }

    /** Moves the status forward as {@code p} says at emulated time {@code now}. */
    void advance(Progression p, Instant now) {
        if (deleting() || Progression.isTerminal(status)) {
            return;
        }
        Progression.State s = p.state(polls, created, now);
        if (s.status().equals(status) || Progression.rank(s.status()) < Progression.rank(status)) {
            return;
        }
        status = s.status();
        failureReason = s.failureReason();
        touch(s.since() != null ? s.since() : now);
    }

    boolean deleting() {
        return deletePolls >= 0;
    }

    void startDelete(Instant now) {
        if (deleting()) {
            return;
        }
        deletePolls = 0;
        status = DELETE_PENDING;
        failureReason = null;
        touch(now);
    }

    /** Counts a Describe of a resource being deleted; true when it is gone. */
    boolean pollDeletion(int goneAfterPolls, Instant now) {
        deletePolls++;
        if (deletePolls >= goneAfterPolls) {
            return true;
        }
        if (deletePolls >= 2 && DELETE_PENDING.equals(status)) {
            status = DELETE_IN_PROGRESS;
            touch(now);
        }
        return false;
    }

    private void touch(Instant at) {
        lastUpdated = at.isAfter(lastUpdated) ? at : lastUpdated.plusSeconds(1);
    }
}
