package io.github.personalizecdk.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.handler.internal.DatasetLifecycle;
import io.github.personalizecdk.handler.internal.JobLifecycle;
import io.github.personalizecdk.handler.internal.ResourceLifecycle;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClientBuilder;

/**
 * Lambda entry point for the Provider framework: one function serves onEvent and isComplete of every
 * Personalize custom resource type. The event's {@code ResourceType} picks the lifecycle (jobs or datasets); an
 * event that carries the onEvent result ({@value ResourceLifecycle#STATE}) is an isComplete call.
 *
 * <p>The client takes region, credentials and endpoint from the environment
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_PERSONALIZE}); throttling and 5xx answers are retried by
 * the SDK's standard retry strategy.
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

    /** For Lambda: the client from the environment, built once per execution environment. */
    public CustomResourceHandler() {
        CustomResourceHandler shared = fromEnvironment();
        this.jobs = shared.jobs;
        this.datasets = shared.datasets;
    }

    /** For tests and other hosts: the given client, clock, region (for checks) and log line sink. */
    public CustomResourceHandler(PersonalizeClient client, Clock clock, String region, Consumer<String> log) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(log, "log");
        this.jobs = new JobLifecycle(client, clock, region, log);
        this.datasets = new DatasetLifecycle(client, clock, region, log);
    }

    /**
     * @param context the Lambda context, unused (may be null)
     * @return the onEvent or isComplete answer for the Provider framework
     * @throws IllegalArgumentException for a resource type this handler does not serve
     */
    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Objects.requireNonNull(event, "event");
        ResourceLifecycle lifecycle = lifecycle(String.valueOf(event.get("ResourceType")));
        return event.containsKey(ResourceLifecycle.STATE) ? lifecycle.isComplete(event) : lifecycle.onEvent(event);
    }

    private ResourceLifecycle lifecycle(String resourceType) {
        return switch (resourceType) {
            case JobResource.IMPORT_TYPE, JobResource.EXPORT_TYPE -> jobs;
            case DatasetResource.TYPE -> datasets;
            default -> throw new IllegalArgumentException("unknown ResourceType \"" + resourceType
                    + "\"; this handler serves " + JobResource.IMPORT_TYPE + ", " + JobResource.EXPORT_TYPE
                    + " and " + DatasetResource.TYPE);
        };
    }

    private static CustomResourceHandler fromEnvironment() {
        CustomResourceHandler current = fromEnvironment;
        if (current == null) {
            synchronized (CustomResourceHandler.class) {
                current = fromEnvironment;
                if (current == null) {
                    current = new CustomResourceHandler(client(), Clock.systemUTC(), System.getenv("AWS_REGION"),
                            System.out::println);
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
        PersonalizeClientBuilder builder = PersonalizeClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        String region = System.getenv("AWS_REGION");
        if (region != null && !region.isEmpty()) {
            builder.region(Region.of(region));
        }
        if (System.getenv("AWS_ACCESS_KEY_ID") != null && System.getenv("AWS_SECRET_ACCESS_KEY") != null) {
            builder.credentialsProvider(EnvironmentVariableCredentialsProvider.create());
        }
        return builder.build();
    }
}
