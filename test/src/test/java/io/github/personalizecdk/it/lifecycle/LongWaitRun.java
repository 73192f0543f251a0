package io.github.personalizecdk.it.lifecycle;

import io.github.personalizecdk.DatasetJobProvider;
import io.github.personalizecdk.handler.CustomResourceHandler;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator.ImportJobState;
import io.github.personalizecdk.handler.emulator.Progression;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Result;
import io.github.personalizecdk.it.lifecycle.StepFunctions.Execution;
import io.github.personalizecdk.it.lifecycle.WaitConditions.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * One stack of {@link LongWaitApp} through the {@link CloudFormationSimulator}, with the real handler in-process
 * (its Personalize calls authorized by the stack's deployed policies), the wait conditions' signal sink and the
 * Step Functions emulation of the stack's poller, all on the Personalize emulator's clock.
 */
public final class LongWaitRun implements AutoCloseable {
    static final String HANDLER_KEY = "AKIDHANDLER";

    final PersonalizeEmulator emulator = PersonalizeEmulator.start().strictDatasets();
    final List<String> handlerLog = new ArrayList<>();
    private CustomResourceHandler handler;
    final CloudFormationSimulator stack = new CloudFormationSimulator(LongWaitApp.STACK, emulator,
            event -> handler.handleRequest(event, null),
            Duration.ofSeconds(DatasetJobProvider.QUERY_INTERVAL.toSeconds().longValue()),
            Duration.ofSeconds(DatasetJobProvider.TOTAL_TIMEOUT.toSeconds().longValue()));
    final StepFunctions stepFunctions = new StepFunctions(stack, emulator.endpoint(),
            event -> handler.handleRequest(event, null));

    LongWaitRun() {
        handler = CustomResourceHandler.builder(CloudFormationSimulator.client(emulator.endpoint(), HANDLER_KEY))
                .cloudFormation(CloudFormationSimulator.cloudFormationClient(emulator.endpoint(), HANDLER_KEY))
                .stepFunctions(SfnClient.builder().endpointOverride(stepFunctions.endpoint())
                        .region(Region.of(CloudFormationSimulator.REGION))
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(HANDLER_KEY,
                                "s")))
                        .httpClient(UrlConnectionHttpClient.create()).build())
                .clock(emulator.javaClock()).region(CloudFormationSimulator.REGION).log(handlerLog::add).build();
        emulator.permissions(HANDLER_KEY, new DeployedPolicies(stack));
        stepFunctions.permissions(new DeployedPolicies(stack));
        stack.background(stepFunctions);
    }

    @Override
    public void close() {
        stepFunctions.close();
        stack.waitConditions().close();
        emulator.close();
    }

    /**
     * The figures of one long wait (benchmark P7).
     *
     * @param describes     the poller's Describe calls
     * @param perJobHour    describes per hour of the job's run
     * @param transitions   Step Functions state transitions of the poller
     * @param invocations   handler invocations by the poller (the signal)
     * @param detection     from the job's ACTIVE to the signal's arrival at the handle
     * @param waitCondition the wait condition's whole wait, from its start to its end
     */
    public record Figures(Duration job, String status, long describes, double perJobHour, long transitions,
            long invocations, Duration detection, Duration waitCondition, Duration deploy) {
    }

    /** Deploys one import of {@code job} with this timeout and measures its long wait. */
    public static Figures run(Duration job, software.amazon.awscdk.Duration timeout) {
        try (LongWaitRun run = new LongWaitRun()) {
            String location = "s3://shop-data/bench/";
            run.emulator.progressionForLocation(location, Progression.activeAfter(job));
            Result r = run.stack.deploy(LongWaitApp.of(location, timeout).synth());
            ImportJobState state = run.emulator.importJobs().stream()
                    .filter(j -> j.name().contains("-ItemsBulk")).findFirst().orElseThrow();
            Instant active = state.created().plus(job);
            Execution poller = run.stepFunctions.executions().get(0);
            Signal signal = run.stack.waitConditions().signals().get(0);
            CloudFormationSimulator.Event wait = r.events().stream()
                    .filter(e -> e.logicalId().startsWith("ShopGroupItemsBulkWait")
                            && !e.logicalId().startsWith("ShopGroupItemsBulkWaitHandle"))
                    .findFirst().orElseThrow();
            return new Figures(job, r.status().name(), poller.describes.size(),
                    poller.describes.size() / (job.toSeconds() / 3600.0), poller.transitions,
                    poller.invocations.size(), Duration.between(active, signal.received()), wait.duration(),
                    r.duration());
        }
    }
}
