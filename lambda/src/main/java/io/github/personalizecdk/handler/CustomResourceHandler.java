package io.github.personalizecdk.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.contract.JobWaiter;
import io.github.personalizecdk.contract.SchemaResource;
import io.github.personalizecdk.handler.internal.BoundedFailure;
import io.github.personalizecdk.handler.internal.DatasetLifecycle;
import io.github.personalizecdk.handler.internal.JobLifecycle;
import io.github.personalizecdk.handler.internal.JobPoller;
import io.github.personalizecdk.handler.internal.ResourceLifecycle;
import io.github.personalizecdk.handler.internal.SchemaLifecycle;
import io.github.personalizecdk.handler.internal.StackStatus;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Lambda entry point for the Provider framework: one function serves onEvent and isComplete of every
 * Personalize custom resource type. The event's {@code ResourceType} picks the lifecycle (jobs, datasets or
 * schemas); an event that carries the onEvent result ({@value ResourceLifecycle#STATE}) is an isComplete call.
 *
 * <p>The client takes region, credentials and endpoint from the environment
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_PERSONALIZE}, {@code AWS_ENDPOINT_URL_CLOUDFORMATION},
 * {@code AWS_ENDPOINT_URL_SFN}); an event carrying {@value JobWaiter#EVENT} is the long-wait poller asking for its
 * job's signal ({@link JobPoller}); throttling and 5xx answers are retried by
 * the SDK's standard retry strategy, and a job that Personalize cannot start yet (its import quota, another
 * operation on the dataset, a role not yet visible) is tried again on later isComplete calls ({@link JobLifecycle}).
 *
 * <p>Every failure is thrown with a message that fits CloudFormation's 4,096-byte response once the Provider
 * framework has wrapped it ({@link BoundedFailure}), and names the handler's log group
 * ({@code AWS_LAMBDA_LOG_GROUP_NAME}) when the framework's {@code Logs: /aws/lambda/<function>} hint is not it.
 */
public final class CustomResourceHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static volatile CustomResourceHandler fromEnvironment;

    static {
        // with SnapStart the snapshot is taken after init: build the client now so restores start with it
        if ("snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            fromEnvironment();
        }
    }

    private final JobLifecycle jobs;
    private final DatasetLifecycle datasets;
    private final SchemaLifecycle schemas;
    private final JobPoller poller;
    private final Consumer<String> log;
    private final String logGroup;
    private final String functionName;

    /** For Lambda: the client from the environment, built once per execution environment. */
    public CustomResourceHandler() {
        CustomResourceHandler shared = fromEnvironment();
        this.jobs = shared.jobs;
        this.datasets = shared.datasets;
        this.schemas = shared.schemas;
        this.poller = shared.poller;
        this.log = shared.log;
        this.logGroup = shared.logGroup;
        this.functionName = shared.functionName;
    }

    /**
     * For tests and other hosts: the given clients, clock, region (for checks) and log line sink.
     *
     * @param cloudFormation reads the status of the request's stack (a rollback cannot take a dataset's new
     *                       fields away again, nor delete a dataset this resource adopted); null when unavailable:
     *                       every request is then taken for a change, and adopted datasets are never deleted
     */
    public CustomResourceHandler(PersonalizeClient client, CloudFormationClient cloudFormation, Clock clock,
            String region, Consumer<String> log) {
        this(builder(client).cloudFormation(cloudFormation).clock(clock).region(region).log(log));
    }

    /** Like the five-argument constructor without a CloudFormation client. */
    public CustomResourceHandler(PersonalizeClient client, Clock clock, String region, Consumer<String> log) {
        this(client, null, clock, region, log);
    }

    private CustomResourceHandler(Builder b) {
        Objects.requireNonNull(b.clock, "clock");
        Objects.requireNonNull(b.log, "log");
        this.jobs = b.random == null ? new JobLifecycle(b.client, b.clock, b.region, b.log)
                : new JobLifecycle(b.client, b.clock, b.region, b.log, b.random, b.pause);
        this.datasets = new DatasetLifecycle(b.client,
                b.cloudFormation == null ? StackStatus.unknown() : StackStatus.describeStacks(b.cloudFormation),
                b.clock, b.region, b.log);
        this.schemas = new SchemaLifecycle(b.client, b.clock, b.region, b.log);
        this.poller = new JobPoller(b.stepFunctions, jobs, b.clock, b.log);
        this.jobs.poller(poller);
        this.log = b.log;
        this.logGroup = b.logGroup;
        this.functionName = b.functionName;
    }

    /** @return a builder for tests and other hosts, with Lambda's environment as the defaults where it has any */
    public static Builder builder(PersonalizeClient client) {
        return new Builder(client);
    }

    /** Options of a handler built outside Lambda's own start. */
    public static final class Builder {
        private final PersonalizeClient client;
        private Supplier<CloudFormationClient> cloudFormation;
        private Supplier<SfnClient> stepFunctions;
        private Clock clock = Clock.systemUTC();
        private String region;
        private Consumer<String> log = System.out::println;
        private String logGroup = System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
        private String functionName = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        /** With {@link #pause}: how a queued job waits before it tries again; null: a random real sleep. */
        private RandomGenerator random;
        private LongConsumer pause;

        private Builder(PersonalizeClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** @see #cloudFormation(Supplier) */
        public Builder cloudFormation(CloudFormationClient client) {
            this.cloudFormation = client == null ? null : () -> client;
            return this;
        }

        /** @param client made on first use; null when unavailable (see the five-argument constructor) */
        public Builder cloudFormation(Supplier<CloudFormationClient> client) {
            this.cloudFormation = client;
            return this;
        }

        /** @param client starts and stops the pollers of long job waits, made on first use; null when unavailable */
        public Builder stepFunctions(Supplier<SfnClient> client) {
            this.stepFunctions = client;
            return this;
        }

        /** @see #stepFunctions(Supplier) */
        public Builder stepFunctions(SfnClient client) {
            this.stepFunctions = client == null ? null : () -> client;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** @param region the handler's region, for the checks of ARNs; null skips them */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        public Builder log(Consumer<String> log) {
            this.log = log;
            return this;
        }

        /** @param logGroup the log group failure messages name ({@code (handler logs: <logGroup>)}); null: none */
        public Builder logGroup(String logGroup) {
            this.logGroup = logGroup;
            return this;
        }

        /**
         * @param random the source of the pause before a queued job tries again
         * @param pause  waits that many milliseconds (a real sleep in Lambda)
         */
        public Builder retryPause(RandomGenerator random, LongConsumer pause) {
            this.random = Objects.requireNonNull(random, "random");
            this.pause = Objects.requireNonNull(pause, "pause");
            return this;
        }

        public CustomResourceHandler build() {
            return new CustomResourceHandler(this);
        }
    }

    /**
     * @param context the Lambda context, unused (may be null)
     * @return the onEvent or isComplete answer for the Provider framework
     * @throws IllegalArgumentException for a resource type this handler does not serve
     * @throws RuntimeException to fail the request, with a message of at most
     *                          {@value BoundedFailure#MAX_MESSAGE_BYTES} bytes (the full one is logged)
     */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        try {
            Objects.requireNonNull(event, "event");
            if (event.get(JobWaiter.EVENT) instanceof Map<?, ?> input) {
                @SuppressWarnings("unchecked")
                Map<String, Object> state = (Map<String, Object>) input;
                return poller.signal(state);
            }
            ResourceLifecycle lifecycle = lifecycle(String.valueOf(event.get("ResourceType")));
            return event.containsKey(ResourceLifecycle.STATE) ? lifecycle.isComplete(event)
                    : lifecycle.onEvent(event);
        } catch (RuntimeException e) {
            throw BoundedFailure.bound(e, logGroup, functionName, log);
        }
    }

    private ResourceLifecycle lifecycle(String resourceType) {
        return switch (resourceType) {
            case JobResource.IMPORT_TYPE, JobResource.EXPORT_TYPE -> jobs;
            case DatasetResource.TYPE -> datasets;
            case SchemaResource.TYPE -> schemas;
            default -> throw new IllegalArgumentException("unknown ResourceType \"" + resourceType
                    + "\"; this handler serves " + JobResource.IMPORT_TYPE + ", " + JobResource.EXPORT_TYPE
                    + ", " + DatasetResource.TYPE + " and " + SchemaResource.TYPE);
        };
    }

    private static CustomResourceHandler fromEnvironment() {
        CustomResourceHandler current = fromEnvironment;
        if (current == null) {
            synchronized (CustomResourceHandler.class) {
                current = fromEnvironment;
                if (current == null) {
                    current = builder(client()).cloudFormation(new Lazy<>(CustomResourceHandler::cloudFormation))
                            .stepFunctions(new Lazy<>(CustomResourceHandler::stepFunctions))
                            .region(System.getenv("AWS_REGION")).build();
                    fromEnvironment = current;
                }
            }
        }
        return current;
    }

    /**
     * Region and credentials straight from Lambda's environment when it has them, which skips the SDK's
     * provider chains on a cold start; otherwise (SnapStart restores, local runs) the default chains.
     */
    static PersonalizeClient client() {
        return fromEnvironment(PersonalizeClient.builder()).build();
    }

    /**
     * Built on first use: only a schema change that breaks Personalize's rules and the delete of an adopted dataset
     * ask for the stack's status.
     */
    static CloudFormationClient cloudFormation() {
        return fromEnvironment(CloudFormationClient.builder()).build();
    }

    /** Built on first use: only jobs that wait longer than an hour start and stop pollers. */
    static SfnClient stepFunctions() {
        return fromEnvironment(SfnClient.builder()).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B fromEnvironment(B builder) {
        builder.httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        String region = System.getenv("AWS_REGION");
        if (region != null && !region.isEmpty()) {
            builder.region(Region.of(region));
        }
        if (System.getenv("AWS_ACCESS_KEY_ID") != null && System.getenv("AWS_SECRET_ACCESS_KEY") != null) {
            builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        }
        return builder;
    }

    /** A value computed once, on first use. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> compute;
        private volatile T value;

        Lazy(Supplier<T> compute) {
            this.compute = compute;
        }

        @Override
        public T get() {
            T current = value;
            if (current == null) {
                synchronized (this) {
                    current = value;
                    if (current == null) {
                        current = compute.get();
                        value = current;
                    }
                }
            }
            return current;
        }
    }
}
