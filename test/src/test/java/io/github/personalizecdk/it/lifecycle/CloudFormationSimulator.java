package io.github.personalizecdk.it.lifecycle;

import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.RecordedRequest;
import io.github.personalizecdk.it.lifecycle.ResourceProvider.Failure;
import io.github.personalizecdk.it.lifecycle.ResourceProvider.Operation;
import io.github.personalizecdk.it.lifecycle.ResourceProvider.Outcome;
import io.github.personalizecdk.it.lifecycle.ResourceProvider.Request;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/**
 * Deploys successive templates of one stack the way CloudFormation does, against a {@link PersonalizeEmulator}:
 * create, update or replace each resource in dependency order, then clean up replaced and removed resources;
 * on a failure roll back (a first create is deleted, an update is reverted) honouring DeletionPolicy and
 * UpdateReplacePolicy. Native Personalize resources call the emulator as CloudFormation's handlers would,
 * custom resources go through {@link ProviderFramework} to the given handler, everything else is a
 * {@link FakeResources fake}. Time is the emulator's clock: waits advance it, nothing sleeps.
 *
 * <p>Deploys run operations in parallel, as CloudFormation does: every resource whose dependencies are complete
 * starts at once, and each operation is a state machine ({@link ResourceProvider.Operation}) with its own schedule
 * (a custom resource's isComplete every query interval, a native resource's describe every 5 seconds). A
 * discrete-event loop moves the emulator's clock to the next due step among the operations in flight; steps due at
 * the same moment run in logical id order, so every run is the same, without threads. After a failure no new
 * operation starts; those in flight finish (or fail) before the rollback. Each event records when its operation
 * started and ended on the emulator's clock.
 *
 * <p>Not modelled: parallel cleanup, rollback and stack deletes (those run one at a time, in reverse dependency
 * order), stack policies, change sets, drift, continue-update-rollback, nested stacks, outputs and exports,
 * template validation.
 */
public final class CloudFormationSimulator {
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";

    public enum StackStatus {
        CREATE_COMPLETE, ROLLBACK_COMPLETE, ROLLBACK_FAILED, UPDATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE,
        UPDATE_ROLLBACK_FAILED, DELETE_COMPLETE, DELETE_FAILED
    }

    /**
     * One resource operation.
     *
     * @param phase  DEPLOY, CLEANUP, ROLLBACK or DESTROY
     * @param action CREATE, UPDATE, REPLACE (the new resource of a replacement), DELETE or RETAIN
     * @param reason null when it succeeded
     * @param start  when the operation started, on the emulator's clock
     * @param end    when it finished or failed
     */
    public record Event(String phase, String logicalId, String action, String physicalId, String reason,
            Instant start, Instant end) {
        public boolean failed() {
            return reason != null;
        }

        /** @return how long the operation took on the emulator's clock */
        public Duration duration() {
            return Duration.between(start, end);
        }

        @Override
        public String toString() {
            return phase + " " + action + " " + logicalId + " " + physicalId + (failed() ? " FAILED: " + reason : "");
        }
    }

    /**
     * @param failedResource the logical id of the first resource that failed, or null
     * @param reason         its reason as CloudFormation shows it, or null
     * @param calls          Personalize operations the emulator received during the operation, with counts
     * @param duration       how long the whole stack operation took on the emulator's clock
     */
    public record Result(StackStatus status, String failedResource, String reason, List<Event> events,
            Map<String, Long> calls, Duration duration) {
        /** @return how many Create*, Update* and Delete* calls Personalize received */
        public long writes() {
            return calls.entrySet().stream().filter(e -> e.getKey().matches("(Create|Update|Delete).*"))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    private enum Kind { CREATED, UPDATED, REPLACED, RECREATED }

    /** What one deploy did to one resource, for cleanup and rollback. */
    private record Change(Kind kind, StackResource before, StackResource after) {
    }

    private final String stackName;
    private final PersonalizeEmulator emulator;
    private final FakeResources fakes;
    private final NativePersonalize personalize;
    private final ProviderFramework framework;
    private final WaitConditions waitConditions = new WaitConditions(this);
    private Background background;
    /** When the deploy under way is cancelled (CancelUpdateStack, or Ctrl-C of {@code cdk deploy}), or null. */
    private Instant cancelAt;
    private final List<Event> events = new ArrayList<>();
    private Map<String, StackResource> resources = new TreeMap<>();
    private StackTemplate deployed;
    private StackStatus status;
    private String stackId;
    private int stackGeneration;
    private long uuids;

    /**
     * @param customResourceHandler the Lambda function behind every custom resource's Provider (onEvent and
     *                              isComplete), given each event and returning its answer, throwing to fail
     */
    public CloudFormationSimulator(String stackName, PersonalizeEmulator emulator,
            UnaryOperator<Map<String, Object>> customResourceHandler, Duration queryInterval, Duration totalTimeout) {
        this.stackName = stackName;
        this.emulator = emulator;
        this.fakes = new FakeResources(pseudo());
        this.personalize = new NativePersonalize(client(emulator.endpoint()), this);
        this.framework = new ProviderFramework(customResourceHandler, queryInterval, totalTimeout, this);
    }

    /** The access key id of CloudFormation's own handlers (and of tests): the emulator checks no permissions. */
    public static final String CLOUDFORMATION_KEY = "AKIDTEST";

    /** A CloudFormation client whose DescribeStacks the emulator answers with the simulated stack's status. */
    public static CloudFormationClient cloudFormationClient(URI endpoint, String accessKeyId) {
        return CloudFormationClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "s")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A Personalize client for the emulator, as CloudFormation's handlers (and tests) use it. */
    public static PersonalizeClient client(URI endpoint) {
        return client(endpoint, CLOUDFORMATION_KEY);
    }

    /** A Personalize client for the emulator, signing with this access key id. */
    public static PersonalizeClient client(URI endpoint, String accessKeyId) {
        return PersonalizeClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "s")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /**
     * Work that goes on outside the stack's operations while they wait (e.g. Step Functions executions a handler
     * started), stepped on the same clock.
     */
    public interface Background {
        /** @return when something is due next, or null when nothing is */
        Instant nextDue();

        /** Does whatever is due now. */
        void runDue();
    }

    /** Steps this background work whenever a deploy waits. */
    public CloudFormationSimulator background(Background work) {
        this.background = work;
        return this;
    }

    /** @return the wait condition handles' signal sink */
    WaitConditions waitConditions() {
        return waitConditions;
    }

    /**
     * Like {@link #deploy(Map)}, cancelled after {@code after} if still in progress: from then no operation starts,
     * wait conditions in progress fail ("Resource creation cancelled"), others finish, then the stack rolls back.
     */
    public Result deploy(Map<String, Object> template, Duration after) {
        cancelAt = now().plus(after);
        try {
            return deploy(template);
        } finally {
            cancelAt = null;
        }
    }

    /** Creates the stack, or updates it; a stack in ROLLBACK_COMPLETE is deleted first, as {@code cdk deploy} does. */
    public Result deploy(Map<String, Object> template) {
        int firstEvent = events.size();
        int firstCall = emulator.requests().size();
        Instant started = now();
        if (status == StackStatus.ROLLBACK_COMPLETE) {
            status = null;
            event("DESTROY", stackName, "DELETE", stackId, null, started);
        }
        if (status != null && status.name().endsWith("FAILED")) {
            throw new IllegalStateException("stack " + stackName + " is " + status + "; not modelled from there");
        }
        boolean creating = status == null;
        if (creating) {
            deployed = null;
            stackId = "arn:aws:cloudformation:" + REGION + ":" + ACCOUNT + ":stack/" + stackName + "/"
                    + UUID.nameUUIDFromBytes((stackName + "#" + ++stackGeneration).getBytes(StandardCharsets.UTF_8));
        }
        phase(creating ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS");
        StackTemplate next = new StackTemplate(template);
        Map<String, StackResource> previous = new TreeMap<>(resources);
        Intrinsics intrinsics = new Intrinsics(pseudo(), next.parameters, resources);
        Map<String, Change> changes = new LinkedHashMap<>();
        String[] failure = run(next, id -> apply(id, next, intrinsics, previous.get(id), changes));
        if (failure != null) {
            Map<String, Change> inOrder = new LinkedHashMap<>();
            next.order.stream().filter(changes::containsKey).forEach(id -> inOrder.put(id, changes.get(id)));
            phase(creating ? "ROLLBACK_IN_PROGRESS" : "UPDATE_ROLLBACK_IN_PROGRESS");
            status = creating ? rollbackCreate(inOrder) : rollbackUpdate(previous, inOrder);
            deployed = creating ? next : deployed;
            phase(status.name());
            return result(status, failure[0], failure[1], firstEvent, firstCall, started);
        }
        if (!creating) {
            phase("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
        }
        for (String id : deployed == null ? List.<String>of() : reversed(deployed.order)) {
            Change c = changes.get(id);
            if (!next.resources.containsKey(id)) {
                StackResource removed = resources.remove(id);
                tryRemove("CLEANUP", removed, removed.keptOnDelete(false));
            } else if (c != null && c.kind() == Kind.REPLACED) {
                tryRemove("CLEANUP", c.before(), c.after().keptOnReplace());
            }
        }
        deployed = next;
        status = creating ? StackStatus.CREATE_COMPLETE : StackStatus.UPDATE_COMPLETE;
        phase(status.name());
        return result(status, null, null, firstEvent, firstCall, started);
    }

    /** An operation in flight and when its next step is due. */
    private static final class Running {
        final String logicalId;
        final Operation operation;
        Instant due;

        Running(String logicalId, Operation operation, Instant due) {
            this.logicalId = logicalId;
            this.operation = operation;
            this.due = due;
        }
    }

    /**
     * The discrete-event loop: starts every resource whose dependencies are complete, steps the operation due
     * next (ties by logical id), moving the emulator's clock to it. After the first failure nothing new starts;
     * operations in flight run to their end.
     *
     * @param start the operation of one resource (null when there is nothing to do)
     * @return null, or the logical id of the first resource that failed and its reason
     */
    private String[] run(StackTemplate next, java.util.function.Function<String, Operation> start) {
        List<String> waiting = new ArrayList<>(next.order);
        java.util.Set<String> complete = new java.util.HashSet<>();
        List<Running> inFlight = new ArrayList<>();
        String[] failure = null;
        while (true) {
            boolean started = true;
            while (failure == null && started) {
                started = false;
                for (java.util.Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
                    String id = it.next();
                    if (complete.containsAll(next.dependencies(id))) {
                        it.remove();
                        started = true;
                        Operation op;
                        try {
                            op = start.apply(id);
                        } catch (Failure f) {
                            failure = new String[] {id, f.getMessage()};
                            break;
                        }
                        if (op == null) {
                            complete.add(id);
                        } else {
                            inFlight.add(new Running(id, op, now()));
                        }
                    }
                }
            }
            if (failure != null) {
                // CloudFormation cancels what is still waiting; a custom resource's request cannot be taken back
                for (java.util.Iterator<Running> it = inFlight.iterator(); it.hasNext(); ) {
                    Running r = it.next();
                    if (next.type(r.logicalId).equals(WaitConditions.CONDITION)) {
                        it.remove();
                        event("DEPLOY", r.logicalId, "CREATE", null, "Resource creation cancelled", now());
                    }
                }
            }
            if (inFlight.isEmpty()) {
                return failure;
            }
            Running due = inFlight.stream().min(java.util.Comparator.comparing((Running r) -> r.due)
                    .thenComparing(r -> r.logicalId)).orElseThrow();
            Instant work = background == null ? null : background.nextDue();
            if (failure == null && cancelAt != null && !cancelAt.isAfter(due.due)
                    && (work == null || !cancelAt.isAfter(work))) {
                advance(Duration.between(now(), cancelAt).isNegative() ? Duration.ZERO
                        : Duration.between(now(), cancelAt));
                failure = new String[] {stackName, "Stack update cancelled"};
                continue;
            }
            if (work != null && !work.isAfter(due.due)) {
                if (work.isAfter(now())) {
                    advance(Duration.between(now(), work));
                }
                background.runDue();
                continue;
            }
            if (due.due.isAfter(now())) {
                advance(Duration.between(now(), due.due));
            }
            try {
                Duration wait = due.operation.step();
                if (wait == null) {
                    inFlight.remove(due);
                    complete.add(due.logicalId);
                } else {
                    due.due = now().plus(wait);
                }
            } catch (Failure f) {
                inFlight.remove(due);
                if (failure == null) {
                    failure = new String[] {due.logicalId, f.getMessage()};
                }
            }
        }
    }

    /** Runs one operation to its end, alone, advancing the emulator's clock through its waits. */
    private Outcome runAlone(Operation op) {
        for (Duration wait = op.step(); wait != null; wait = op.step()) {
            advance(wait);
        }
        return op.outcome();
    }

    /** @return the operation that brings one resource to the new template, or null when nothing changes */
    @SuppressWarnings("unchecked")
    private Operation apply(String id, StackTemplate next, Intrinsics intrinsics, StackResource before,
            Map<String, Change> changes) {
        String type = next.type(id);
        Map<String, Object> props = (Map<String, Object>) intrinsics.resolve(next.properties(id));
        StackResource wanted = new StackResource(id, type, null, props, Map.of(), next.deletionPolicy(id),
                next.updateReplacePolicy(id));
        ResourceProvider provider = provider(type);
        if (before == null) {
            return provision("CREATE", Kind.CREATED, wanted, null, changes);
        } else if (!before.type().equals(type)) {
            throw new IllegalArgumentException("Update of resource type is not permitted: " + id);
        } else if (before.properties().equals(props)) {
            resources.put(id, before.withPolicies(wanted.deletionPolicy(), wanted.updateReplacePolicy()));
            return null;
        } else if (provider.needsReplacement(type, before.properties(), props)) {
            boolean deleteFirst = provider.deletesBeforeReplacing(type);
            Kind kind = deleteFirst ? Kind.RECREATED : Kind.REPLACED;
            return deleteFirst
                    ? removal("DEPLOY", before, wanted.keptOnReplace())
                            .then(() -> provision("REPLACE", kind, wanted, before, changes))
                    : provision("REPLACE", kind, wanted, before, changes);
        } else {
            return provision("UPDATE", Kind.UPDATED, wanted, before, changes);
        }
    }

    /** Creates, replaces or updates one resource and records what happened, failed or not. */
    private Operation provision(String action, Kind kind, StackResource wanted, StackResource before,
            Map<String, Change> changes) {
        String id = wanted.logicalId();
        ResourceProvider provider = provider(wanted.type());
        Instant start = now();
        Operation op = kind == Kind.UPDATED
                ? provider.update(new Request(id, wanted.type(), before.physicalId(), wanted.properties(),
                        before.properties()))
                : provider.create(new Request(id, wanted.type(), null, wanted.properties(), null));
        return op.observed(o -> {
            StackResource after = wanted.with(o.physicalId(), o.attributes());
            boolean replaced = kind == Kind.UPDATED && !o.physicalId().equals(before.physicalId());
            changes.put(id, new Change(replaced ? Kind.REPLACED : kind, before, after));
            resources.put(id, after);
            event("DEPLOY", id, replaced ? "REPLACE" : action, o.physicalId(), null, start);
        }, f -> {
            String physicalId = kind == Kind.UPDATED ? before.physicalId() : f.physicalId;
            changes.put(id, new Change(kind, before, wanted.with(physicalId, Map.of())));
            event("DEPLOY", id, action, physicalId, f.getMessage(), start);
        });
    }

    /** A failed first create: everything created is deleted, except what DeletionPolicy Retain keeps. */
    private StackStatus rollbackCreate(Map<String, Change> changes) {
        boolean ok = true;
        for (Change c : reversed(new ArrayList<>(changes.values()))) {
            if (tryRemove("ROLLBACK", c.after(), c.after().keptOnDelete(true))) {
                resources.remove(c.after().logicalId());
            } else {
                ok = false;
            }
        }
        return ok ? StackStatus.ROLLBACK_COMPLETE : StackStatus.ROLLBACK_FAILED;
    }

    /**
     * A failed update: updated resources get their previous properties back (in the previous template's order),
     * delete-then-create replacements are created again; then resources created in the attempt and the new
     * resources of replacements are deleted, newest first. The stack is left at its previous template.
     */
    private StackStatus rollbackUpdate(Map<String, StackResource> previous, Map<String, Change> changes) {
        resources = new TreeMap<>(previous);
        List<StackResource> superseded = new ArrayList<>();
        for (String id : deployed.order) {
            Change c = changes.get(id);
            if (c == null || c.kind() == Kind.CREATED || c.kind() == Kind.REPLACED) {
                continue;
            }
            StackResource before = c.before();
            ResourceProvider provider = provider(before.type());
            Instant start = now();
            try {
                Outcome o = runAlone(c.kind() == Kind.UPDATED
                        ? provider.update(new Request(id, before.type(), c.after().physicalId(), before.properties(),
                                c.after().properties()))
                        : provider.create(new Request(id, before.type(), null, before.properties(), null)));
                resources.put(id, before.with(o.physicalId(), o.attributes()));
                event("ROLLBACK", id, c.kind() == Kind.UPDATED ? "UPDATE" : "CREATE", o.physicalId(), null, start);
                if (c.kind() == Kind.UPDATED && !o.physicalId().equals(c.after().physicalId())) {
                    superseded.add(c.after());
                }
            } catch (Failure f) {
                event("ROLLBACK", id, c.kind() == Kind.UPDATED ? "UPDATE" : "CREATE", before.physicalId(),
                        f.getMessage(), start);
                return StackStatus.UPDATE_ROLLBACK_FAILED;
            }
        }
        phase("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
        superseded.forEach(r -> tryRemove("ROLLBACK", r, false));
        for (Change c : reversed(new ArrayList<>(changes.values()))) {
            if (c.kind() != Kind.UPDATED) {
                tryRemove("ROLLBACK", c.after(), c.after().keptOnDelete(true));
            }
        }
        return StackStatus.UPDATE_ROLLBACK_COMPLETE;
    }

    /** Deletes the stack: every resource in reverse dependency order, unless its DeletionPolicy keeps it. */
    public Result destroy() {
        int firstEvent = events.size();
        int firstCall = emulator.requests().size();
        Instant started = now();
        boolean ok = true;
        phase("DELETE_IN_PROGRESS");
        for (String id : deployed == null ? List.<String>of() : reversed(deployed.order)) {
            StackResource r = resources.get(id);
            if (r != null && tryRemove("DESTROY", r, r.keptOnDelete(false))) {
                resources.remove(id);
            }
            ok &= !resources.containsKey(id);
        }
        status = ok ? null : StackStatus.DELETE_FAILED;
        phase(ok ? "DELETE_COMPLETE" : "DELETE_FAILED");
        if (ok) {
            deployed = null;
        }
        return result(ok ? StackStatus.DELETE_COMPLETE : StackStatus.DELETE_FAILED, null, null, firstEvent, firstCall,
                started);
    }

    private boolean tryRemove(String phase, StackResource r, boolean keep) {
        try {
            remove(phase, r, keep);
            return true;
        } catch (Failure f) {
            return false;
        }
    }

    private void remove(String phase, StackResource r, boolean keep) {
        runAlone(removal(phase, r, keep));
    }

    /** Deletes one resource (or keeps it) and records what happened. */
    private Operation removal(String phase, StackResource r, boolean keep) {
        if (r.physicalId() == null) {
            return Operation.instant(() -> null);
        }
        Instant start = now();
        if (keep) {
            return Operation.instant(() -> {
                event(phase, r.logicalId(), "RETAIN", r.physicalId(), null, start);
                return null;
            });
        }
        return provider(r.type()).delete(new Request(r.logicalId(), r.type(), r.physicalId(), r.properties(), null))
                .observed(o -> event(phase, r.logicalId(), "DELETE", r.physicalId(), null, start),
                        f -> event(phase, r.logicalId(), "DELETE", r.physicalId(), f.getMessage(), start));
    }

    private ResourceProvider provider(String type) {
        if (type.equals(WaitConditions.HANDLE) || type.equals(WaitConditions.CONDITION)) {
            return waitConditions;
        }
        if (type.startsWith("Custom::") || type.equals("AWS::CloudFormation::CustomResource")) {
            return framework;
        }
        return type.startsWith("AWS::Personalize::") ? personalize : fakes;
    }

    /** The function the Provider framework behind a service token calls (for the log group in its errors). */
    @SuppressWarnings("unchecked")
    String userFunctionName(String serviceToken) {
        return resources.values().stream()
                .filter(r -> r.type().equals("AWS::Lambda::Function") && serviceToken.equals(r.attributes().get("Arn")))
                .map(r -> (Map<String, Object>) r.properties().getOrDefault("Environment", Map.of()))
                .map(env -> (Map<String, Object>) env.getOrDefault("Variables", Map.of()))
                .map(vars -> String.valueOf(vars.get("USER_ON_EVENT_FUNCTION_ARN")))
                .map(arn -> arn.substring(arn.lastIndexOf(':') + 1))
                .findFirst().orElse("handler");
    }

    private Result result(StackStatus outcome, String failed, String reason, int firstEvent, int firstCall,
            Instant started) {
        List<RecordedRequest> requests = emulator.requests();
        Map<String, Long> calls = requests.subList(firstCall, requests.size()).stream()
                .collect(Collectors.groupingBy(RecordedRequest::operation, TreeMap::new, Collectors.counting()));
        return new Result(outcome, failed, reason, List.copyOf(events.subList(firstEvent, events.size())), calls,
                Duration.between(started, now()));
    }

    /** What DescribeStacks reports from now on: handlers read it to tell a rollback from a change. */
    private void phase(String stackStatus) {
        emulator.stackStatus(stackId, stackStatus);
    }

    private void event(String phase, String logicalId, String action, String physicalId, String reason,
            Instant start) {
        events.add(new Event(phase, logicalId, action, physicalId, reason, start, now()));
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> out = new ArrayList<>(list);
        Collections.reverse(out);
        return out;
    }

    private Intrinsics.Pseudo pseudo() {
        return new Intrinsics.Pseudo(stackName, stackId, REGION, ACCOUNT);
    }

    /** Waits pass on the emulator's clock. */
    void advance(Duration d) {
        emulator.clock().advance(d);
    }

    Instant now() {
        return emulator.clock().now();
    }

    String stackId() {
        return stackId;
    }

    /** Request ids and tokens: fresh for every request, the same on every run. */
    String uuid() {
        return UUID.nameUUIDFromBytes((stackName + "/request/" + ++uuids).getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ---- inspection

    /** @return the stack's status, or null when there is no stack (never created, or deleted) */
    public StackStatus status() {
        return status;
    }

    /** @return the resource the stack holds under this logical id, or null */
    public StackResource resource(String logicalId) {
        return resources.get(logicalId);
    }

    /** @return the physical id of the resource the stack holds under this logical id */
    public String physicalId(String logicalId) {
        StackResource r = resources.get(logicalId);
        if (r == null) {
            throw new IllegalArgumentException("stack " + stackName + " holds no resource " + logicalId + "; it has "
                    + resources.keySet());
        }
        return r.physicalId();
    }

    /** @return every resource the stack holds, by logical id */
    public Map<String, StackResource> resources() {
        return Collections.unmodifiableMap(resources);
    }
}
