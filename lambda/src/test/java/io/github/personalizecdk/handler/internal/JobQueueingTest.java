package io.github.personalizecdk.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.Progression;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/**
 * Jobs Personalize cannot start yet (the import quota, another operation on the dataset, a role or bucket policy
 * not yet visible) driven as the Provider framework drives them: onEvent, then isComplete every query interval
 * with the onEvent state unchanged. Real SDK client over HTTP against the emulator.
 */
class JobQueueingTest {
    private static final Duration QUERY_INTERVAL = Duration.ofSeconds(20);

    private EmulatedPersonalize personalize;
    private PersonalizeEmulator emulator;
    private PersonalizeClient client;
    private JobLifecycle lifecycle;
    private final List<String> logs = new ArrayList<>();
    private final List<Long> pauses = new ArrayList<>();

    @BeforeEach
    void start() {
        personalize = new EmulatedPersonalize();
        emulator = personalize.emulator();
        client = personalize.client();
        // seeded randomness, and pauses recorded instead of slept
        lifecycle = new JobLifecycle(client, personalize.clock(), EmulatedPersonalize.REGION, logs::add,
                new SplittableRandom(42), pauses::add);
    }

    @AfterEach
    void stop() {
        personalize.close();
    }

    private static Map<String, Object> importProps(String prefix, long timeoutSeconds) {
        Map<String, Object> p = new LinkedHashMap<>(JobLifecycleTest.importProps());
        p.put(JobResource.JOB_NAME_PREFIX, prefix);
        p.put(JobResource.DATA_LOCATION, "s3://shop-data/imports/" + prefix + "/");
        p.put(JobResource.TIMEOUT_SECONDS, Long.toString(timeoutSeconds));
        return p;
    }

    private Map<String, Object> create(String prefix, long timeoutSeconds) {
        return CloudFormationEvents.event(JobResource.IMPORT_TYPE, prefix + "1A2B3C4D", "Create",
                importProps(prefix, timeoutSeconds));
    }

    @SuppressWarnings("unchecked")
    private static String action(Map<String, Object> onEventResult) {
        return (String) ((Map<String, Object>) onEventResult.get(ResourceLifecycle.STATE)).get("Action");
    }

    @Test
    void twelveImportJobsAllSucceedWithAtMostFiveRunningAndNoIdleQuota() {
        emulator.defaultProgression(Progression.activeAfter(Duration.ofMinutes(10)));
        int n = 12;
        List<Map<String, Object>> polls = new ArrayList<>();
        int queued = 0;
        for (int i = 0; i < n; i++) {
            Map<String, Object> create = create("Import" + i, 3000);
            Map<String, Object> started = lifecycle.onEvent(create);
            assertThat((String) started.get("PhysicalResourceId")).contains(":dataset-import-job/Import" + i + "-");
            if (action(started).equals(JobLifecycle.NOT_STARTED)) {
                queued++;
            }
            polls.add(EmulatedPersonalize.forIsComplete(create, started));
        }
        assertThat(queued).isEqualTo(n - 5);

        long startMillis = personalize.clock().millis();
        Map<Integer, Long> finishedAt = new LinkedHashMap<>();
        for (int round = 0; finishedAt.size() < n && round < 200; round++) {
            emulator.clock().advance(QUERY_INTERVAL);
            for (int i = 0; i < n; i++) {
                if (finishedAt.containsKey(i)) {
                    continue;
                }
                Map<String, Object> answer = lifecycle.isComplete(polls.get(i));
                if (Boolean.TRUE.equals(answer.get("IsComplete"))) {
                    assertThat(((Map<?, ?>) answer.get("Data")).get(JobResource.ATT_STATUS)).isEqualTo("ACTIVE");
                    finishedAt.put(i, personalize.clock().millis() - startMillis);
                }
            }
        }

        assertThat(finishedAt).hasSize(n);
        long bound = Duration.ofMinutes(10).multipliedBy((n + 4) / 5).plus(QUERY_INTERVAL.multipliedBy(2)).toMillis();
        assertThat(finishedAt.values()).allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(bound));
        assertThat(emulator.peakConcurrentImports()).isEqualTo(5);
        // each job was created once: a job started by one isComplete is described, never created again
        assertThat(client.listDatasetImportJobs(r -> r.maxResults(100)).datasetImportJobs()).hasSize(n);
        assertThat(pauses).isNotEmpty().allSatisfy(p -> assertThat(p).isBetween(0L, 1_000L));
        assertThat(logs).anySatisfy(l -> assertThat(l).contains("\"event\":\"jobNotStarted\"")
                .contains("\"reason\":\"QUOTA\"").contains("LimitExceededException: More than 5 resources"));
    }

    @Test
    void aJobQueuedPastItsTimeoutFailsWithTheQuotaAndTheJobsThatHeldIt() {
        emulator.defaultProgression(Progression.neverCompletes());
        List<String> holders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            holders.add((String) lifecycle.onEvent(create("Holder" + i, 3000)).get("PhysicalResourceId"));
        }
        Map<String, Object> create = create("Late", 600);
        Map<String, Object> started = lifecycle.onEvent(create);
        assertThat(action(started)).isEqualTo(JobLifecycle.NOT_STARTED);
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(create, started);
        for (int i = 0; i < 30; i++) {
            emulator.clock().advance(QUERY_INTERVAL);
            assertThat(lifecycle.isComplete(poll)).isEqualTo(Map.of("IsComplete", false));
        }
        emulator.clock().advance(Duration.ofSeconds(1));
        long createsBefore = emulator.count("CreateDatasetImportJob");

        assertThatThrownBy(() -> lifecycle.isComplete(poll))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("dataset import job " + started.get("PhysicalResourceId")
                        + " never started within its timeout (601 s since the first try, timeout 600 s): the quota of "
                        + "5 pending or in-progress dataset import jobs per region (not adjustable) was never free "
                        + "(last answer LimitExceededException: More than 5 resources with PENDING or IN_PROGRESS "
                        + "status.). Jobs holding it: ")
                .hasMessageContainingAll(holders.toArray(String[]::new))
                .hasMessageEndingWith(". Start fewer import jobs at once (e.g. make some depend on others), or "
                        + "raise the timeout.");
        // past its timeout the job is not started any more: it would run on after the resource failed
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(createsBefore);
    }

    @Test
    void aDatasetInUseDelaysTheJobUntilTheOtherOperationEnds() {
        emulator.defaultProgression(Progression.activeAfterPolls(2));
        emulator.resourceInUseNext("CreateDatasetImportJob", 2);
        Map<String, Object> create = create("InUse", 600);
        Map<String, Object> started = lifecycle.onEvent(create);
        assertThat(action(started)).isEqualTo(JobLifecycle.NOT_STARTED);
        assertThat(started.get("Data")).isEqualTo(Map.of(JobResource.ATT_JOB_ARN, started.get("PhysicalResourceId"),
                JobResource.ATT_JOB_NAME, ((String) started.get("PhysicalResourceId")).replaceAll(".*/", ""),
                JobResource.ATT_STATUS, ""));
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(create, started);

        List<Object> answers = new ArrayList<>();
        for (int i = 0; i < 6 && !answers.contains(true); i++) {
            emulator.clock().advance(QUERY_INTERVAL);
            answers.add(lifecycle.isComplete(poll).get("IsComplete"));
        }
        // poll 1: refused again; poll 2: started; poll 3: CREATE IN_PROGRESS; poll 4: ACTIVE
        assertThat(answers).containsExactly(false, false, false, true);
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(3);
        assertThat(logs).filteredOn(l -> l.contains("\"reason\":\"IN_USE\"")).hasSize(2);
    }

    @Test
    void aRoleNotYetVisibleToPersonalizeIsRetriedUntilItIs() {
        emulator.defaultProgression(Progression.activeAfterPolls(2));
        emulator.propagationDelay(Duration.ofSeconds(50));
        Map<String, Object> create = create("NewRole", 600);
        Map<String, Object> started = lifecycle.onEvent(create);
        assertThat(action(started)).isEqualTo(JobLifecycle.NOT_STARTED);
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(create, started);

        Map<String, Object> answer = Map.of();
        for (int i = 0; i < 10 && !Boolean.TRUE.equals(answer.get("IsComplete")); i++) {
            emulator.clock().advance(QUERY_INTERVAL);
            answer = lifecycle.isComplete(poll);
        }
        assertThat(answer.get("IsComplete")).isEqualTo(true);
        assertThat(((Map<?, ?>) answer.get("Data")).get(JobResource.ATT_JOB_ARN))
                .isEqualTo(started.get("PhysicalResourceId"));
        assertThat(logs).filteredOn(l -> l.contains("\"reason\":\"PROPAGATION\"")).hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("InvalidInputException: "
                        + PersonalizeEmulator.insufficientPrivilegesMessage("INTERACTIONS")));
    }

    @Test
    void aPermissionErrorThatNeverClearsFailsWithWhatToCheckAfterTheWindow() {
        emulator.propagationDelay(Duration.ofHours(2));
        Map<String, Object> create = create("BadRole", 3000);
        Map<String, Object> started = lifecycle.onEvent(create);
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(create, started);

        long window = JobLifecycle.PROPAGATION_WINDOW.toSeconds();
        int polls = 0;
        Throwable failure = null;
        while (failure == null && polls < 100) {
            emulator.clock().advance(QUERY_INTERVAL);
            polls++;
            try {
                assertThat(lifecycle.isComplete(poll).get("IsComplete")).isEqualTo(false);
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        assertThat(polls * QUERY_INTERVAL.toSeconds()).isGreaterThan(window)
                .isLessThanOrEqualTo(window + QUERY_INTERVAL.toSeconds());
        assertThat(failure).hasMessage("Personalize still cannot use role " + JobLifecycleTest.ROLE + " with "
                + "s3://shop-data/imports/BadRole/ for dataset import job " + started.get("PhysicalResourceId") + " "
                + polls * QUERY_INTERVAL.toSeconds() + " s after the first try (InvalidInputException: "
                + PersonalizeEmulator.insufficientPrivilegesMessage("INTERACTIONS") + "); this is no longer IAM "
                + "propagation. Check: the role's trust policy lets "
                + "personalize.amazonaws.com assume it (and its aws:SourceAccount/aws:SourceArn conditions match); "
                + "its permissions allow s3:GetObject and s3:ListBucket on the location; the bucket policy allows "
                + "the Personalize service principal the same; and, for a KMS-encrypted bucket or dataset group, "
                + "the key policy lets Personalize and the role use the key.");
    }

    @Test
    void anotherInvalidInputIsNotRetried() {
        emulator.failNext("CreateDatasetImportJob", "InvalidInputException", "Invalid Data location.", 1);
        assertThatThrownBy(() -> lifecycle.onEvent(create("Invalid", 600)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Personalize rejected dataset import job Invalid-")
                .hasMessageEndingWith(": InvalidInputException: Invalid Data location.");
    }

    @Test
    void aQueuedJobThatAnotherCallStartedIsAdoptedNotCreatedAgain() {
        emulator.defaultProgression(Progression.activeAfterPolls(2));
        emulator.failNext("CreateDatasetImportJob", "LimitExceededException",
                "More than 5 resources with PENDING or IN_PROGRESS status.", 1);
        Map<String, Object> create = create("Adopted", 600);
        Map<String, Object> started = lifecycle.onEvent(create);
        assertThat(action(started)).isEqualTo(JobLifecycle.NOT_STARTED);
        // a retried onEvent (same request) starts the job; the first request's isComplete then finds it
        Map<String, Object> retried = lifecycle.onEvent(create);
        assertThat(retried.get("PhysicalResourceId")).isEqualTo(started.get("PhysicalResourceId"));
        Map<String, Object> poll = EmulatedPersonalize.forIsComplete(create, started);
        emulator.clock().advance(QUERY_INTERVAL);
        assertThat(lifecycle.isComplete(poll).get("IsComplete")).isEqualTo(false);
        emulator.clock().advance(QUERY_INTERVAL);
        assertThat(lifecycle.isComplete(poll).get("IsComplete")).isEqualTo(true);
        assertThat(emulator.count("CreateDatasetImportJob")).isEqualTo(2);
        assertThat(emulator.count("DescribeDatasetImportJob")).isEqualTo(2);
    }

    @Test
    void withoutWaitingAQueuedJobCompletesOnceStarted() {
        emulator.resourceInUseNext("CreateDatasetImportJob", 1);
        Map<String, Object> props = importProps("NoWait", 600);
        props.put(JobResource.WAIT, "false");
        Map<String, Object> create = CloudFormationEvents.event(JobResource.IMPORT_TYPE, "NoWait1A2B3C4D", "Create",
                props);
        Map<String, Object> started = lifecycle.onEvent(create);
        assertThat(action(started)).isEqualTo(JobLifecycle.NOT_STARTED);
        Map<String, Object> done = lifecycle.isComplete(EmulatedPersonalize.forIsComplete(create, started));
        assertThat(done.get("IsComplete")).isEqualTo(true);
        assertThat(((Map<?, ?>) done.get("Data")).get(JobResource.ATT_STATUS)).isEqualTo("CREATE PENDING");
    }
}
