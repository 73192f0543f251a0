package io.github.personalizecdk.it.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What CloudFormation does for the resource types one provider serves. Each operation is an {@link Operation}:
 * a state machine the simulator steps on the emulator's clock, so that many run at once on one clock.
 */
interface ResourceProvider {

    /**
     * @param physicalId    the current one (null for Create)
     * @param oldProperties the previous properties (Update only)
     */
    record Request(String logicalId, String type, String physicalId, Map<String, Object> properties,
            Map<String, Object> oldProperties) {
    }

    /** @param attributes what Fn::GetAtt reads */
    record Outcome(String physicalId, Map<String, Object> attributes) {
    }

    /** A failed operation, with the reason CloudFormation shows and the physical id if one came into being. */
    class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String physicalId;

        Failure(String reason, String physicalId) {
            super(reason, null, false, false);
            this.physicalId = physicalId;
        }
    }

    /**
     * One resource operation in progress. The simulator calls {@link #step()} when the operation starts and again
     * each time the wait it returned has passed on the emulator's clock; a step does the work due at that moment
     * (a call to a service, a poll) and never waits itself.
     */
    interface Operation {
        /**
         * @return how long until the next step, or null when the operation has finished
         * @throws Failure when it failed
         */
        Duration step();

        /** @return what the finished operation produced (null for a delete) */
        Outcome outcome();

        /** An operation that finishes in its first step, doing {@code work} then. */
        static Operation instant(Supplier<Outcome> work) {
            return new Operation() {
                private Outcome outcome;

                @Override
                public Duration step() {
                    outcome = work.get();
                    return null;
                }

                @Override
                public Outcome outcome() {
                    return outcome;
                }
            };
        }

        /** This operation, telling {@code done} its outcome when it finishes and {@code failed} its failure. */
        default Operation observed(Consumer<Outcome> done, Consumer<Failure> failed) {
            Operation self = this;
            return new Operation() {
                @Override
                public Duration step() {
                    try {
                        Duration wait = self.step();
                        if (wait == null) {
                            done.accept(self.outcome());
                        }
                        return wait;
                    } catch (Failure f) {
                        failed.accept(f);
                        throw f;
                    }
                }

                @Override
                public Outcome outcome() {
                    return self.outcome();
                }
            };
        }

        /** This operation, then the one {@code next} gives when this one has finished (in the same step). */
        default Operation then(Supplier<Operation> next) {
            Operation first = this;
            return new Operation() {
                private Operation current = first;
                private boolean second;

                @Override
                public Duration step() {
                    Duration wait = current.step();
                    if (wait == null && !second) {
                        second = true;
                        current = next.get();
                        return current.step();
                    }
                    return wait;
                }

                @Override
                public Outcome outcome() {
                    return current.outcome();
                }
            };
        }
    }

    Operation create(Request request);

    /** In place, unless a custom resource answers with a new physical id (a replacement). */
    Operation update(Request request);

    /** Its outcome is null. */
    Operation delete(Request request);

    /** @return whether the change needs a new resource (a create-only property changed) */
    default boolean needsReplacement(String type, Map<String, Object> before, Map<String, Object> after) {
        return false;
    }

    /** @return whether a replacement deletes the old resource first ({@code delete_then_create}) */
    default boolean deletesBeforeReplacing(String type) {
        return false;
    }
}
