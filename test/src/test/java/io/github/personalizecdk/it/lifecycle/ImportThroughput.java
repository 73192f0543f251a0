package io.github.personalizecdk.it.lifecycle;

import io.github.personalizecdk.DataSource;
import io.github.personalizecdk.DatasetGroup;
import io.github.personalizecdk.DatasetGroupProps;
import io.github.personalizecdk.DatasetImportJobOptions;
import io.github.personalizecdk.DatasetJobProvider;
import io.github.personalizecdk.DatasetOptions;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.FieldType;
import io.github.personalizecdk.IDataset;
import io.github.personalizecdk.Schema;
import io.github.personalizecdk.SchemaDefinition;
import io.github.personalizecdk.SchemaField;
import io.github.personalizecdk.SchemaProps;
import io.github.personalizecdk.handler.CustomResourceHandler;
import io.github.personalizecdk.handler.emulator.PersonalizeEmulator;
import io.github.personalizecdk.handler.emulator.Progression;
import io.github.personalizecdk.handler.emulator.RecordedRequest;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Event;
import io.github.personalizecdk.it.lifecycle.CloudFormationSimulator.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * Deploy throughput under Personalize's import quota (benchmark P6 and its lifecycle scenario): one stack with a
 * dataset group, an Interactions dataset and {@code n} import jobs on it, each from its own folder and taking
 * {@code jobTime} of emulated time, deployed through the {@link CloudFormationSimulator} (which starts the jobs in
 * parallel, as CloudFormation does) with the real handler in-process, against an emulator enforcing the quota.
 * The timeline of the import jobs comes from the requests the handler sends: a job runs from its accepted
 * CreateDatasetImportJob for {@code jobTime}; it waits from the start of its custom resource until then.
 */
public final class ImportThroughput {
    /** Personalize's fixed quota: pending or in-progress dataset import jobs per region. */
    public static final int QUOTA = 5;
    /** Where the jobs' folders are. */
    static final String DATA = "s3://throughput-data/";
    private static final String HANDLER_KEY = "AKIDHANDLER";

    /**
     * The figures of one deploy.
     *
     * @param wall              the whole deploy on the emulator's clock
     * @param importPhase       from the first import job's custom resource start to the last one's end
     * @param slowestJob        the longest import job custom resource, start to end (its wait included)
     * @param bound             ceil(n/5)·jobTime + 2 query intervals
     * @param peak              the most import jobs running at once (the handler's accepted creates)
     * @param emulatorPeak      the emulator's own count of the same, or -1 when it has none
     * @param idleWhileWaiting  total time with fewer than 5 jobs running while a started job waited
     * @param longestIdle       the longest such stretch
     * @param createCalls       CreateDatasetImportJob requests, accepted or refused
     * @param refusedCreates    of those, the ones refused (LimitExceededException and others)
     * @param describeCalls     DescribeDatasetImportJob requests
     * @param failures          import job custom resources that failed
     * @param jitterPaused      the handler's random pauses before retried creates, added up (Lambda time)
     * @param reason            the stack's failure reason, or null
     */
    public record Figures(int n, Duration jobTime, Duration timeout, String status, Duration wall,
            Duration importPhase, Duration slowestJob, Duration bound, int peak, int emulatorPeak,
            Duration idleWhileWaiting, Duration longestIdle, long createCalls, long refusedCreates,
            long describeCalls, long failures, Duration jitterPaused, String reason) {

        /** @return whether every target of P6 is met */
        public boolean meetsTargets() {
            return failures == 0 && status.equals("CREATE_COMPLETE") && slowestJob.compareTo(bound) <= 0
                    && peak == Math.min(QUOTA, n) && (emulatorPeak < 0 || emulatorPeak == peak)
                    && longestIdle.compareTo(queryInterval().multipliedBy(2)) <= 0;
        }
    }

    private ImportThroughput() {
    }

    public static Duration queryInterval() {
        return Duration.ofSeconds(DatasetJobProvider.QUERY_INTERVAL.toSeconds().longValue());
    }

    /** The app: a group, an Interactions dataset, n imports from {@code DATA/part-<i>/}, each with this timeout. */
    static Map<String, Object> app(int n, software.amazon.awscdk.Duration timeout) {
        Stack stack = new Stack(new App(), "Throughput");
        DatasetGroup group = new DatasetGroup(stack, "Group", DatasetGroupProps.builder().build());
        Schema schema = new Schema(stack, "InteractionsSchema", SchemaProps.builder()
                .definition(SchemaDefinition.fromFields("Interactions", SchemaField.of("USER_ID", FieldType.STRING),
                        SchemaField.of("ITEM_ID", FieldType.STRING), SchemaField.of("TIMESTAMP", FieldType.LONG)))
                .build());
        IDataset interactions = group.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());
        for (int i = 1; i <= n; i++) {
            interactions.addImportJob("Import" + i, DatasetImportJobOptions.builder()
                    .dataSource(DataSource.fromUri(DATA + "part-" + i + "/")).timeout(timeout).build());
        }
        return Template.fromStack(stack).toJSON();
    }

    /** Deploys the app once on a fresh emulator and measures it. */
    public static Figures run(int n, Duration jobTime, software.amazon.awscdk.Duration timeout) {
        try (PersonalizeEmulator emulator = PersonalizeEmulator.start().strictDatasets()) {
            emulator.progressionForLocation(DATA, Progression.activeAfter(jobTime));
            long[] pausedMillis = {0};
            // the pause before a queued job's retry is a real sleep inside the Lambda call; the simulator's clock
            // stands still during a call, so it is counted instead of slept (seeded: the same order every run)
            CustomResourceHandler handler = CustomResourceHandler.builder(
                            CloudFormationSimulator.client(emulator.endpoint(), HANDLER_KEY))
                    .cloudFormation(CloudFormationSimulator.cloudFormationClient(emulator.endpoint(), HANDLER_KEY))
                    .clock(emulator.javaClock()).region(CloudFormationSimulator.REGION).log(line -> { })
                    .retryPause(new Random(9), millis -> pausedMillis[0] += millis)
                    .build();
            Map<String, Instant> accepted = new TreeMap<>();
            CloudFormationSimulator stack = new CloudFormationSimulator("Throughput", emulator, event -> {
                int first = emulator.requests().size();
                try {
                    return handler.handleRequest(event, null);
                } finally {
                    List<RecordedRequest> requests = emulator.requests();
                    requests.subList(first, requests.size()).stream()
                            .filter(r -> r.operation().equals("CreateDatasetImportJob") && r.responseStatus() == 200)
                            .forEach(r -> accepted.put(r.body().path("jobName").asText(), emulator.clock().now()));
                }
            }, queryInterval(), Duration.ofSeconds(DatasetJobProvider.TOTAL_TIMEOUT.toSeconds().longValue()));
            emulator.permissions(HANDLER_KEY, new DeployedPolicies(stack));
            int firstRequest = emulator.requests().size();
            Result r = stack.deploy(app(n, timeout));
            List<RecordedRequest> requests = emulator.requests().subList(firstRequest, emulator.requests().size());
            List<Event> jobs = r.events().stream().filter(e -> e.phase().equals("DEPLOY")
                    && e.logicalId().startsWith("GroupInteractionsImport")).toList();
            Instant first = jobs.stream().map(Event::start).min(Instant::compareTo).orElseThrow();
            Instant last = jobs.stream().map(Event::end).max(Instant::compareTo).orElseThrow();
            Duration slowest = jobs.stream().map(Event::duration).max(Duration::compareTo).orElseThrow();
            long rounds = (n + QUOTA - 1) / QUOTA;
            Duration bound = jobTime.multipliedBy(rounds).plus(queryInterval().multipliedBy(2));
            // the timeline: +1 running at an accepted create, -1 when that job is ACTIVE; +1 waiting at a job's
            // custom resource start, -1 at its accepted create (or at its end, when it never started)
            TreeMap<Instant, int[]> changes = new TreeMap<>();
            for (Instant a : accepted.values()) {
                changes.computeIfAbsent(a, t -> new int[2])[0]++;
                changes.computeIfAbsent(a.plus(jobTime), t -> new int[2])[0]--;
            }
            for (Event e : jobs) {
                String jobName = e.physicalId() == null ? "" : e.physicalId().substring(e.physicalId().lastIndexOf('/')
                        + 1);
                changes.computeIfAbsent(e.start(), t -> new int[2])[1]++;
                changes.computeIfAbsent(accepted.getOrDefault(jobName, e.end()), t -> new int[2])[1]--;
            }
            int running = 0;
            int waiting = 0;
            int peak = 0;
            Duration idle = Duration.ZERO;
            Duration longest = Duration.ZERO;
            Duration stretch = Duration.ZERO;
            Instant previous = null;
            for (Map.Entry<Instant, int[]> c : changes.entrySet()) {
                if (previous != null && running < QUOTA && waiting > 0) {
                    Duration d = Duration.between(previous, c.getKey());
                    idle = idle.plus(d);
                    stretch = stretch.plus(d);
                    longest = longest.compareTo(stretch) < 0 ? stretch : longest;
                } else {
                    stretch = Duration.ZERO;
                }
                running += c.getValue()[0];
                waiting += c.getValue()[1];
                peak = Math.max(peak, running);
                previous = c.getKey();
            }
            return new Figures(n, jobTime, Duration.ofSeconds(timeout.toSeconds().longValue()), r.status().name(),
                    r.duration(), Duration.between(first, last), slowest, bound, peak, emulatorPeak(emulator),
                    idle, longest, count(requests, "CreateDatasetImportJob", false),
                    count(requests, "CreateDatasetImportJob", true), count(requests, "DescribeDatasetImportJob", false),
                    jobs.stream().filter(Event::failed).count(), Duration.ofMillis(pausedMillis[0]), r.reason());
        }
    }

    private static long count(List<RecordedRequest> requests, String operation, boolean refusedOnly) {
        return requests.stream().filter(q -> q.operation().equals(operation)
                && (!refusedOnly || q.responseStatus() != 200)).count();
    }

    /** The emulator's own peak of concurrent imports (counted at each accepted CreateDatasetImportJob). */
    private static int emulatorPeak(PersonalizeEmulator emulator) {
        return emulator.peakConcurrentImports();
    }
}
