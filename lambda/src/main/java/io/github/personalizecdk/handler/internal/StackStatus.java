package io.github.personalizecdk.handler.internal;

import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * The status of the stack a request comes from. CloudFormation's events do not say whether they belong to a
 * rollback; the stack's status does ({@code UPDATE_ROLLBACK_IN_PROGRESS}).
 */
@FunctionalInterface
public interface StackStatus {
    /** A failed first create: CloudFormation deletes what the stack created (DeletionPolicy aside). */
    String ROLLBACK_IN_PROGRESS = "ROLLBACK_IN_PROGRESS";
    /** A failed update: CloudFormation sends the old properties back (Updates). */
    String UPDATE_ROLLBACK_IN_PROGRESS = "UPDATE_ROLLBACK_IN_PROGRESS";
    /** After a failed update: CloudFormation deletes what the update created (Deletes). */
    String UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS";
    /** After a successful update: CloudFormation deletes replaced and removed resources. */
    String UPDATE_COMPLETE_CLEANUP_IN_PROGRESS = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
    /** The stack is being deleted. */
    String DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS";

    /**
     * @return whether CloudFormation is undoing a deploy: {@link #ROLLBACK_IN_PROGRESS},
     *         {@link #UPDATE_ROLLBACK_IN_PROGRESS}, {@link #UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS}, or any
     *         other status that names a rollback (e.g. {@code IMPORT_ROLLBACK_IN_PROGRESS})
     */
    static boolean isRollback(String status) {
        return status != null && status.contains("ROLLBACK");
    }

    /**
     * @param stackId the event's {@code StackId}
     * @return the stack's status, e.g. {@code UPDATE_IN_PROGRESS}
     * @throws RuntimeException when it cannot be read
     */
    String of(String stackId);

    /** @return the status as CloudFormation's DescribeStacks reports it, with the client made on first use */
    static StackStatus describeStacks(Supplier<CloudFormationClient> client) {
        return stackId -> client.get().describeStacks(r -> r.stackName(stackId)).stacks().get(0)
                .stackStatusAsString();
    }

    /** @return a status that cannot be read: every request is taken for a change, none for a rollback */
    static StackStatus unknown() {
        return stackId -> {
            throw new IllegalStateException("no CloudFormation client to read the stack's status");
        };
    }
}
