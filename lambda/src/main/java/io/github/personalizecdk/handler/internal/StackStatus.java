package io.github.personalizecdk.handler.internal;

import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

/**
 * The status of the stack a request comes from. CloudFormation's events do not say whether they belong to a
 * rollback; the stack's status does ({@code UPDATE_ROLLBACK_IN_PROGRESS}).
 */
@FunctionalInterface
public interface StackStatus {
    String UPDATE_ROLLBACK_IN_PROGRESS = "UPDATE_ROLLBACK_IN_PROGRESS";

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
