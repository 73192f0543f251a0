package io.github.personalizecdk.handler.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    /** A {@link Clock} in UTC that reads this emulated time, so code under test can share it. */
    public Clock asClock() {
        return new EmulatedClock(this, ZoneOffset.UTC);
    }

    private static final class EmulatedClock extends Clock {
        private final EmulatorClock source;
        private final ZoneId zone;

        EmulatedClock(EmulatorClock source, ZoneId zone) {
            this.source = source;
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new EmulatedClock(source, z);
        }

        @Override
        public Instant instant() {
            return source.now();
        }
    }
}
