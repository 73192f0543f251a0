package io.github.personalizecdk.handler.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Emulated time of a {@link PersonalizeEmulator}; it only moves when a test advances it. */
public final class EmulatorClock {

    /** Where every emulator's clock starts. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private Instant now = START;

    EmulatorClock() {
    }

    public synchronized Instant now() {
        return now;
    }

    /** Moves the clock forward; negative durations are rejected. */
    public synchronized void advance(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("cannot move the clock backwards: " + d);
        }
        now = now.plus(d);
    }
}
