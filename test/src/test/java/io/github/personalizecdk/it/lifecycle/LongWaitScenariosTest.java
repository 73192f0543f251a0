package io.github.personalizecdk.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.contract.JobWaiter;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator.ImportJobState;
import io.github.personalizecdk.handler.emulator.Progression;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Event;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Result;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.StackStatus;
import io.github.personalizecdk.it.lifecycle.StepFunctions.Execution;
import io.github.personalizecdk.it.lifecycle.WaitConditions.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs that wait longer than an hour, deployed through the {@link CloudFormationSimulator}: the job's custom resource
 * starts the job and its poller (an execution of the stack's state machine, run by {@link StepFunctions} from the
 * synthesized definition), a wait condition ({@link WaitConditions}) holds the stack until the poller has the handler
 * signal it, all on the emulator's clock.
 */
class LongWaitScenariosTest {
    static final String BULK = "s3://shop-data/items-bulk/";
    static final String BULK_V2 = "s3://shop-data/items-bulk-v2/";
    static final String USERS = "s3://shop-data/users/";
    static final String CORRUPT = "Input CSV has a row with 3 columns; the schema has 2 fields (line 91,224,017).";
    private final LongWaitRun run = new LongWaitRun();
    private final PersonalizeEmulator emulator = run.emulator;
    private final List<String> handlerLog = run.handlerLog;
    private final CloudFormationSimulator stack = run.stack;
    private final StepFunctions stepFunctions = run.stepFunctions;

    @AfterEach
    void stop() {
        run.close();
    }

    private Result deploy(String scenario, String step, LongWaitApp app) {
        return report(scenario, step, stack.deploy(app.synth()));
    }

    private static Result report(String scenario, String step, Result r) {
        System.out.printf("[%s] %s: %s after %s, Personalize calls %s%s%n", scenario, step, r.status(), r.duration(),
                r.calls(), r.reason() == null ? "" : "; " + r.failedResource() + ": "
                        + r.reason().lines().findFirst().orElse(""));
        return r;
    }

    private String id(String type, String prefix) {
        List<String> ids = stack.resources().keySet().stream()
                .filter(id -> stack.resources().get(id).type().equals(type) && id.startsWith(prefix)).toList();
        assertThat(ids).as("%s %s*", type, prefix).hasSize(1);
        return ids.get(0);
    }

    private ImportJobState job(String location) {
        return emulator.importJobs().stream().filter(j -> j.name().contains("-ItemsBulk"))
                .filter(j -> emulator.requests().stream().anyMatch(q -> q.operation().equals("CreateDatasetImportJob")
                        && q.body().path("jobName").asText().equals(j.name())
                        && q.body().path("dataSource").path("dataLocation").asText().equals(location)))
                .reduce((a, b) -> b).orElseThrow();
    }

    private static Event event(Result r, String logicalIdPrefix) {
        return r.events().stream().filter(e -> e.logicalId().startsWith(logicalIdPrefix)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no event for " + logicalIdPrefix + " in " + r.events()));
    }

    @Test
    void aThreeHourImportHoldsTheStackUntilActiveAndTheDownstreamResourcesFollow() {
        emulator.progressionForLocation(BULK, Progression.activeAfter(Duration.ofHours(3)));

        Result r = deploy("long a. 3-hour import", "deploy", LongWaitApp.of(BULK,
                software.amazon.awscdk.Duration.hours(4)));

        assertThat(r.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        ImportJobState job = job(BULK);
        Instant active = job.created().plus(Duration.ofHours(3));
        Event wait = event(r, "ShopGroupItemsBulkWait");
        Event jobResource = event(r, id(JobResource.IMPORT_TYPE, "ShopGroupItemsBulk"));
        assertThat(jobResource.duration()).isLessThan(Duration.ofMinutes(2));
        assertThat(wait.end()).isAfterOrEqualTo(active).isBefore(active.plus(Duration.ofSeconds(
                JobWaiter.POLL_SECONDS + 2)));
        // downstream: the parameter holds the job's ARN and the next import starts after the wait condition
        assertThat(stack.resource(id("AWS::SSM::Parameter", "BulkJobArn")).properties()).containsEntry("Value",
                job.arn());
        assertThat(event(r, "BulkJobArn").start()).isAfterOrEqualTo(wait.end());
        assertThat(event(r, "ShopGroupItemsMore").start()).isAfterOrEqualTo(wait.end());
        // one poller, polled once a minute, ended by its signal; nothing left running
        Execution poller = stepFunctions.executions().get(0);
        assertThat(stepFunctions.executions()).hasSize(1);
        assertThat(poller.status()).isEqualTo("SUCCEEDED");
        assertThat(poller.arn()).contains(":execution:").contains(":" + job.name() + "-");
        assertThat(poller.describes).hasSizeBetween(180, 182);
        assertThat(poller.invocations).hasSize(1);
        Signal signal = stack.waitConditions().signals().get(0);
        assertThat(signal.status()).isEqualTo("SUCCESS");
        assertThat(signal.uniqueId()).isEqualTo(job.arn());
        assertThat(signal.data()).isEqualTo("ACTIVE");
        assertThat(Duration.between(active, signal.received())).isBetween(Duration.ZERO,
                Duration.ofSeconds(JobWaiter.POLL_SECONDS));
        assertThat(stack.waitConditions().refused()).isEmpty();
        assertThat(stepFunctions.running()).isEmpty();
        assertThat(r.calls()).containsEntry("CreateDatasetImportJob", 2L);
    }

    @Test
    void aThreeHourImportThatFailsFailsTheDeployWithItsReason() {
        emulator.progressionForLocation(BULK, Progression.failAfter(Duration.ofHours(3), CORRUPT));

        Result r = deploy("long b. 3-hour import fails", "deploy", LongWaitApp.of(BULK,
                software.amazon.awscdk.Duration.hours(4)));

        assertThat(r.status()).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        assertThat(r.failedResource()).startsWith("ShopGroupItemsBulkWait");
        ImportJobState job = job(BULK);
        assertThat(r.reason()).isEqualTo("WaitCondition received failed message: 'dataset import job " + job.arn()
                + " failed: " + CORRUPT + "' for uniqueId: " + job.arn());
        assertThat(r.duration()).isBetween(Duration.ofHours(3), Duration.ofHours(3).plusMinutes(3));
        // the downstream resources never started
        assertThat(r.events()).noneMatch(e -> e.logicalId().startsWith("BulkJobArn")
                || e.logicalId().startsWith("ShopGroupItemsMore"));
        assertThat(stepFunctions.executions()).extracting(Execution::status).containsExactly("SUCCEEDED");
        assertThat(stepFunctions.running()).isEmpty();
        // the rollback's Delete of the job resource stops its poller (which had ended with its signal)
        assertThat(handlerLog).filteredOn(l -> l.contains("\"event\":\"pollerStopped\"")).singleElement()
                .asString().contains(job.name());
    }

    /** The first version: the bulk import of {@link #BULK} in 20 minutes, waited for by its custom resource. */
    private void deployShortFirst(String scenario) {
        emulator.progressionForLocation(BULK, Progression.activeAfter(Duration.ofMinutes(20)));
        assertThat(deploy(scenario, "v1, 20-minute job", LongWaitApp.of(BULK,
                software.amazon.awscdk.Duration.minutes(50))).status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(stepFunctions.executions()).isEmpty();
    }

    @Test
    void aJobPastItsTimeoutFailsNamingTheJobAndItsStatusBeforeCloudFormationsOwnTimeout() {
        String scenario = "long c. past the timeout";
        deployShortFirst(scenario);
        emulator.progressionForLocation(BULK_V2, Progression.activeAfter(Duration.ofHours(5)));

        Result r = deploy(scenario, "v2, 5-hour job, timeout 2 hours", LongWaitApp.of(BULK_V2,
                software.amazon.awscdk.Duration.hours(2)));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(r.failedResource()).startsWith("ShopGroupItemsBulkWait");
        ImportJobState job = job(BULK_V2);
        assertThat(r.reason()).startsWith("WaitCondition received failed message: 'dataset import job " + job.arn()
                + " is still CREATE IN_PROGRESS at its deadline " + job.created().plus(Duration.ofHours(2))
                        .minusSeconds(JobWaiter.DEADLINE_MARGIN_SECONDS) + " (timeout 7200 s")
                .contains("Raise the timeout (at most 12 hours)");
        assertThat(r.duration()).isLessThan(Duration.ofHours(2));
        assertThat(stepFunctions.executions()).extracting(Execution::status).containsExactly("SUCCEEDED");
        assertThat(stepFunctions.running()).isEmpty();
    }

    @Test
    void anUpdateCancelledMidWaitStopsItsPollerAndTheRetryWaitsOnANewHandle() {
        String scenario = "long d. update mid-wait";
        emulator.progressionForLocation(BULK, Progression.activeAfter(Duration.ofHours(2)));
        emulator.progressionForLocation(BULK_V2, Progression.activeAfter(Duration.ofHours(3)));
        LongWaitApp v1 = LongWaitApp.of(BULK, software.amazon.awscdk.Duration.hours(4));
        LongWaitApp v2 = LongWaitApp.of(BULK_V2, software.amazon.awscdk.Duration.hours(4));
        deploy(scenario, "v1", v1);
        String v1Wait = id(WaitConditions.CONDITION, "ShopGroupItemsBulkWait");
        String v1Handle = id(WaitConditions.HANDLE, "ShopGroupItemsBulkWaitHandle");
        String v1Job = stack.physicalId(id(JobResource.IMPORT_TYPE, "ShopGroupItemsBulk"));

        Result cancelled = report(scenario, "v2 (new location), cancelled after 1 hour",
                stack.deploy(v2.synth(), Duration.ofHours(1)));

        assertThat(cancelled.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(cancelled.events()).anyMatch(e -> e.logicalId().startsWith("ShopGroupItemsBulkWait")
                && "Resource creation cancelled".equals(e.reason()));
        Execution v2Poller = stepFunctions.executions().get(1);
        assertThat(v2Poller.status()).isEqualTo("ABORTED");
        assertThat(v2Poller.arn()).contains(job(BULK_V2).name());
        assertThat(stepFunctions.running()).isEmpty();
        // the stack is back on v1's job and wait condition
        assertThat(stack.physicalId(id(JobResource.IMPORT_TYPE, "ShopGroupItemsBulk"))).isEqualTo(v1Job);
        assertThat(id(WaitConditions.CONDITION, "ShopGroupItemsBulkWait")).isEqualTo(v1Wait);

        Result retried = deploy(scenario, "v2 again", v2);

        assertThat(retried.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        String v2Handle = id(WaitConditions.HANDLE, "ShopGroupItemsBulkWaitHandle");
        assertThat(v2Handle).isNotEqualTo(v1Handle);
        assertThat(id(WaitConditions.CONDITION, "ShopGroupItemsBulkWait")).isNotEqualTo(v1Wait);
        String v2Job = stack.physicalId(id(JobResource.IMPORT_TYPE, "ShopGroupItemsBulk"));
        assertThat(v2Job).isNotEqualTo(v1Job).isEqualTo(job(BULK_V2).arn());
        assertThat(stack.waitConditions().signals(stack.physicalId(v2Handle))).singleElement()
                .extracting(Signal::uniqueId).isEqualTo(v2Job);
        assertThat(retried.duration()).isGreaterThanOrEqualTo(Duration.ofHours(3));
        assertThat(stepFunctions.executions()).extracting(Execution::status)
                .containsExactly("SUCCEEDED", "ABORTED", "SUCCEEDED");
        assertThat(stepFunctions.running()).isEmpty();
    }

    @Test
    void aFailureElsewhereRollsBackTheUpdateMidWaitAndLeavesNothingPolling() {
        String scenario = "long e. rollback";
        deployShortFirst(scenario);
        emulator.progressionForLocation(BULK_V2, Progression.activeAfter(Duration.ofHours(3)));
        emulator.progressionForLocation(USERS, Progression.failAfterPolls(3, "Users CSV is empty"));

        Result r = deploy(scenario, "v2, 3-hour job and a Users import that fails",
                LongWaitApp.of(BULK_V2, software.amazon.awscdk.Duration.hours(4)).withSibling(USERS));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(stack.resource(r.failedResource())).isNull(); // the Users import, removed by the rollback
        assertThat(r.failedResource()).startsWith("ShopGroupUsers");
        assertThat(r.reason()).contains("Users CSV is empty");
        assertThat(r.duration()).isLessThan(Duration.ofMinutes(10));
        assertThat(r.events()).anyMatch(e -> e.logicalId().startsWith("ShopGroupItemsBulkWait")
                && "Resource creation cancelled".equals(e.reason()));
        assertThat(stepFunctions.executions()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("ABORTED");
            assertThat(e.arn()).contains(job(BULK_V2).name());
        });
        assertThat(stepFunctions.running()).isEmpty();
        assertThat(stack.waitConditions().signals()).isEmpty();
        assertThat(stack.resources().keySet()).noneMatch(id -> id.startsWith("ShopGroupItemsBulkWait")
                || id.startsWith("ShopGroupUsers"));
    }

    @Test
    void aTimeoutRaisedPastAnHourOnAnUnchangedJobWaitsForItWithoutANewJob() {
        String scenario = "long f. short wait made long";
        emulator.progressionForLocation(BULK, Progression.activeAfter(Duration.ofMinutes(20)));
        deploy(scenario, "50 minutes", LongWaitApp.of(BULK, software.amazon.awscdk.Duration.minutes(50)));
        String jobArn = stack.physicalId(id(JobResource.IMPORT_TYPE, "ShopGroupItemsBulk"));

        Result r = deploy(scenario, "2 hours", LongWaitApp.of(BULK, software.amazon.awscdk.Duration.hours(2)));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        assertThat(r.calls()).doesNotContainKey("CreateDatasetImportJob");
        assertThat(stack.physicalId(id(JobResource.IMPORT_TYPE, "ShopGroupItemsBulk"))).isEqualTo(jobArn);
        assertThat(stack.waitConditions().signals()).singleElement().extracting(Signal::uniqueId).isEqualTo(jobArn);
        assertThat(r.duration()).isLessThanOrEqualTo(Duration.ofSeconds(JobWaiter.POLL_SECONDS + 2));
        assertThat(stepFunctions.running()).isEmpty();
    }

    @Test
    void thePollerDescribesOncePerMinuteAndSignalsWithinAPollOfActive() {
        // a job that ends between two polls
        LongWaitRun.Figures f = LongWaitRun.run(Duration.ofMinutes(90).plusSeconds(17),
                software.amazon.awscdk.Duration.hours(2));
        System.out.println("[long g. figures] " + f);

        assertThat(f.status()).isEqualTo("CREATE_COMPLETE");
        assertThat(f.detection()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(JobWaiter.POLL_SECONDS));
        assertThat(f.describes()).isEqualTo(91);
        assertThat(f.perJobHour()).isLessThanOrEqualTo(3600.0 / JobWaiter.POLL_SECONDS + 1);
        // per poll: Wait, JobType, DescribeImportJob, Ended; then Signal
        assertThat(f.transitions()).isEqualTo(4 * f.describes() + 1);
        assertThat(f.invocations()).isEqualTo(1);
    }

    @Test
    void theHandlerStartsAndStopsPollersOnlyAsItsDeployedPolicyAllows() {
        String scenario = "long h. no StartExecution";
        deployShortFirst(scenario);
        emulator.progressionForLocation(BULK_V2, Progression.activeAfter(Duration.ofHours(2)));
        List<String> asked = new ArrayList<>();
        DeployedPolicies deployed = new DeployedPolicies(stack);
        stepFunctions.permissions((action, resource) -> {
            asked.add(action + " " + resource);
            return deployed.allows(action, resource) && !action.equals("states:StartExecution");
        });

        Result r = deploy(scenario, "v2, 2-hour job", LongWaitApp.of(BULK_V2, software.amazon.awscdk.Duration.hours(3)));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_ROLLBACK_COMPLETE);
        assertThat(r.reason()).contains("not authorized to perform: states:StartExecution on resource: "
                + "arn:aws:states:us-east-1:123456789012:stateMachine:LongShop-PersonalizeCdkJobProvider-JobWaiter-");
        assertThat(asked).first().asString().startsWith("states:StartExecution arn:aws:states:us-east-1:");
        assertThat(stepFunctions.executions()).isEmpty();
    }


    @Test
    void aTwoHourExportWaitsThroughTheExportBranchOfThePoller() {
        emulator.progressionForLocation(BULK, Progression.activeAfter(Duration.ofMinutes(20)));
        emulator.progressionForLocation(LongWaitApp.EXPORTS, Progression.activeAfter(Duration.ofHours(2)));

        Result r = deploy("long i. 2-hour export", "deploy", LongWaitApp.of(BULK,
                software.amazon.awscdk.Duration.minutes(50)).withExport(software.amazon.awscdk.Duration.hours(3)));

        assertThat(r.status()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(stepFunctions.executions()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo("SUCCEEDED");
            assertThat(e.arn()).contains("-ItemsExport");
            assertThat(e.describes).hasSizeBetween(120, 121);
        });
        assertThat(r.calls().get("DescribeDatasetExportJob")).isGreaterThanOrEqualTo(120L);
        Signal signal = stack.waitConditions().signals().get(0);
        assertThat(signal.status()).isEqualTo("SUCCESS");
        assertThat(signal.uniqueId()).contains(":dataset-export-job/").contains("-ItemsExport");
        assertThat(event(r, "ShopGroupItemsExportWait").duration()).isGreaterThanOrEqualTo(Duration.ofHours(2));
    }

    @Test
    void aNewGroupKeyReplacesTheDatasetAndTheLongJobWaitsOnANewHandle() {
        String scenario = "long j. new group key";
        emulator.progressionForLocation(BULK, Progression.activeAfter(Duration.ofHours(2)));
        deploy(scenario, "v1 with Key", LongWaitApp.of(BULK, software.amazon.awscdk.Duration.hours(3)).withKey("Key"));
        String v1Handle = id(WaitConditions.HANDLE, "ShopGroupItemsBulkWaitHandle");
        String v1Job = stack.physicalId(id(JobResource.IMPORT_TYPE, "ShopGroupItemsBulk"));

        Result r = deploy(scenario, "v2 with NewKey", LongWaitApp.of(BULK, software.amazon.awscdk.Duration.hours(3))
                .withKey("NewKey"));

        assertThat(r.status()).isEqualTo(StackStatus.UPDATE_COMPLETE);
        String v2Job = stack.physicalId(id(JobResource.IMPORT_TYPE, "ShopGroupItemsBulk"));
        assertThat(v2Job).isNotEqualTo(v1Job);
        assertThat(id(WaitConditions.HANDLE, "ShopGroupItemsBulkWaitHandle")).isNotEqualTo(v1Handle);
        // the stack waited for the new job in the new group's dataset
        assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ofHours(2));
        assertThat(stack.waitConditions().signals()).extracting(Signal::uniqueId).containsExactly(v1Job, v2Job);
        assertThat(stepFunctions.running()).isEmpty();
    }
}
