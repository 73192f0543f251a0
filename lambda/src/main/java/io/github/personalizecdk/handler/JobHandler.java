package io.github.personalizecdk.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.github.personalizecdk.handler.internal.JobLifecycle;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.PersonalizeClientBuilder;

/**
 * Lambda entry point for the Provider framework: one function serves both onEvent and isComplete.
 * An event that carries the onEvent result ({@value JobLifecycle#STATE}) is an isComplete call.
 *
 * <p>The client takes region, credentials and endpoint from the environment
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_PERSONALIZE}); throttling and 5xx answers are retried by
 * the SDK's standard retry strategy.
 */
public final class JobHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static volatile JobLifecycle lifecycle;

    static {
        // with SnapStart the snapshot is taken after init: build the client now so restores start with it
        if ("snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            lifecycle();
        }
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Objects.requireNonNull(event, "event");
        return event.containsKey(JobLifecycle.STATE) ? isComplete(event, context) : onEvent(event, context);
    }

    public Map<String, Object> onEvent(Map<String, Object> event, Context context) {
        return lifecycle().onEvent(event);
    }

    public Map<String, Object> isComplete(Map<String, Object> event, Context context) {
        return lifecycle().isComplete(event);
    }

    private static JobLifecycle lifecycle() {
        JobLifecycle current = lifecycle;
        if (current == null) {
            synchronized (JobHandler.class) {
                current = lifecycle;
                if (current == null) {
                    current = new JobLifecycle(client(), Clock.systemUTC(), System.getenv("AWS_REGION"),
                            System.out::println);
                    lifecycle = current;
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
