package io.github.personalizecdk;

import io.github.personalizecdk.contract.Hashes;
import io.github.personalizecdk.contract.JobNames;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.contract.JobWaiter;
import io.github.personalizecdk.contract.TagRules;
import io.github.personalizecdk.internal.Json;
import io.github.personalizecdk.internal.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CfnWaitCondition;
import software.amazon.awscdk.CfnWaitConditionHandle;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.ITaggable;
import software.amazon.awscdk.Resource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.TagManager;
import software.amazon.awscdk.TagType;
import software.amazon.awscdk.Token;
import software.constructs.Construct;

/** What import and export jobs share: the stack's provider, the generated name, waiting, tags. */
public abstract class DatasetJobBase extends Resource implements ITaggable {
    /** Longest jobNamePrefix: the handler appends '-' and 16 hash characters within 63. */
    public static final int MAX_PREFIX_LENGTH = JobNames.MAX_PREFIX_LENGTH;
    /** Default wait for a job; the Provider gives up at {@link DatasetJobProvider#TOTAL_TIMEOUT}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.minutes(50);
    /**
     * Longest wait of the custom resource itself, so that the handler's own timeout error comes before the
     * Provider's; a longer timeout waits with a wait condition.
     */
    public static final Duration MAX_TIMEOUT = Duration.minutes(54);
    /** Longest wait with a wait condition: CloudFormation's 43,200 seconds. */
    public static final Duration MAX_LONG_TIMEOUT = Duration.seconds(JobWaiter.MAX_WAIT_SECONDS);

    private final TagManager tags;
    private String tagKind;
    private CustomResource resource;
    private String jobNamePrefix;
    private DatasetJobProvider provider;
    private CfnWaitCondition waitCondition;

    protected DatasetJobBase(Construct scope, String id, String resourceType) {
        super(scope, id);
        this.tags = new TagManager(TagType.KEY_VALUE, resourceType);
    }

    @Override
    public TagManager getTags() {
        return tags;
    }

    /**
     * Adds the job's own tags, refusing null keys and values now; every tag the job will carry, its own and those
     * that {@code Tags.of(scope)} adds later, is checked against Personalize's tag rules at synth.
     */
    protected void applyTags(String kind, Map<String, String> own) {
        if (own != null) {
            own.forEach((key, value) -> {
                if (key == null) {
                    throw Validate.error(kind, this, "tags has a null key (value \"" + value + "\"); expected keys of "
                            + "1-" + TagRules.MAX_KEY_LENGTH + " characters");
                }
                if (value == null) {
                    throw Validate.error(kind, this, "tag \"" + key + "\" has a null value; expected a value of 0-"
                            + TagRules.MAX_VALUE_LENGTH + " characters (\"\" for none)");
                }
                tags.setTag(key, value);
            });
        }
        tagKind = kind;
    }

    /** Checks the options both job kinds share. */
    protected void checkCommon(String kind, String prefix, Duration timeout, Boolean waitForCompletion) {
        if (Validate.isKnown(prefix)) {
            if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH
                    || !Validate.NAME.matcher(prefix).matches()) {
                throw Validate.error(kind, this, "jobNamePrefix \"" + prefix + "\" is invalid; expected 1-"
                        + MAX_PREFIX_LENGTH + " characters of letters, digits, '-' and '_', starting with a letter "
                        + "or digit (the job name adds '-' and 16 characters)");
            }
        }
        if (timeout != null) {
            double seconds = timeout.toSeconds().doubleValue();
            if (seconds < 60 || seconds > MAX_LONG_TIMEOUT.toSeconds().doubleValue()) {
                throw Validate.error(kind, this, "timeout " + timeout.toHumanString() + " is out of range; expected "
                        + "1 minute to 12 hours (CloudFormation's longest wait condition; up to "
                        + MAX_TIMEOUT.toMinutes().intValue() + " minutes the custom resource waits itself)");
            }
            if (Boolean.FALSE.equals(waitForCompletion) && seconds > MAX_TIMEOUT.toSeconds().doubleValue()) {
                throw Validate.error(kind, this, "timeout " + timeout.toHumanString() + " is out of range with "
                        + "waitForCompletion(false); expected 1 to " + MAX_TIMEOUT.toMinutes().intValue()
                        + " minutes (how long the job may queue before it starts), or waitForCompletion(true) to "
                        + "wait up to 12 hours");
            }
        }
    }

    /**
     * Creates the custom resource; the job name prefix is fixed here, at construction.
     *
     * @param dataset the job's dataset: its group's name (generated from the group's create-only properties) is part
     *                of the wait condition handle's hash, since a replaced group gives the dataset, and so the job, a
     *                new ARN behind the same reference
     */
    protected CustomResource createResource(String resourceType, String prefix, Map<String, Object> jobProperties,
            Duration timeout, Boolean waitForCompletion, IDataset dataset) {
        DatasetJobProvider provider = getProvider();
        this.jobNamePrefix = prefix != null ? prefix : defaultPrefix(provider.getJobNamePrefix());
        Map<String, Object> properties = new LinkedHashMap<>(jobProperties);
        properties.put(JobResource.JOB_NAME_PREFIX, jobNamePrefix);
        boolean wait = waitForCompletion == null || waitForCompletion;
        long seconds = (timeout != null ? timeout : DEFAULT_TIMEOUT).toSeconds().longValue();
        CfnWaitConditionHandle handle = null;
        if (wait && seconds > MAX_TIMEOUT.toSeconds().longValue()) {
            // a new handle (and wait condition) whenever the job changes: a handle's old signals would count again
            Map<String, Object> identity = new LinkedHashMap<>(properties);
            if (dataset.getDatasetGroup() != null) {
                identity.put("DatasetGroupName", dataset.getDatasetGroup().getDatasetGroupName());
            }
            handle = new CfnWaitConditionHandle(this, "WaitHandle" + jobHash(identity));
        }
        properties.put(JobResource.WAIT, String.valueOf(wait));
        properties.put(JobResource.TIMEOUT_SECONDS, String.valueOf(seconds));
        if (handle != null) {
            properties.put(JobResource.WAIT_HANDLE, handle.getRef());
            properties.put(JobResource.WAITER_ARN, provider.getWaiterArn());
        }
        resource = CustomResource.Builder.create(this, "Resource")
                .serviceToken(provider.getServiceToken())
                .resourceType(resourceType)
                .properties(properties)
                .serviceTimeout(DatasetJobProvider.SERVICE_TIMEOUT)
                .build();
        if (handle != null) {
            waitCondition = CfnWaitCondition.Builder.create(this, handle.getNode().getId().replace("WaitHandle", "Wait"))
                    .handle(handle.getRef())
                    .timeout(String.valueOf(seconds))
                    .count(1)
                    .build();
            waitCondition.addDependency((CfnResource) resource.getNode().getDefaultChild());
        }
        provider.register(this);
        return resource;
    }

    /** @return 8 hex characters of the job's identity as synthesized: they change when the job does */
    private String jobHash(Map<String, Object> properties) {
        return Hashes.sha256Hex(Json.write(Stack.of(this).resolve(properties))).substring(0, 8).toUpperCase();
    }

    /** @return the wait condition that holds the stack until the job ends, or null when the job waits itself */
    public CfnWaitCondition getWaitCondition() {
        return waitCondition;
    }

    /**
     * {@code <stack part>-<path part><hash of the path>}: stable, unique in the stack, and starting with the
     * stack's part, so that one IAM pattern covers every job named by default.
     */
    private String defaultPrefix(String stackPart) {
        String path = getNode().getPath();
        String[] parts = path.split("/");
        String own = parts[parts.length - 1].replaceAll("[^a-zA-Z0-9]", "");
        String withParent = (parts.length > 2 ? parts[parts.length - 2].replaceAll("[^a-zA-Z0-9]", "") : "") + own;
        String hash = Hashes.sha256Hex(path).substring(0, 8).toUpperCase();
        int room = MAX_PREFIX_LENGTH - stackPart.length() - JobNames.SEPARATOR.length() - hash.length();
        String tail = withParent.length() <= room ? withParent : own.length() <= room ? own : own.substring(0, room);
        return stackPart + JobNames.SEPARATOR + tail + hash;
    }


    /** @return the prefix of this job's names */
    public String getJobNamePrefix() {
        return jobNamePrefix;
    }

    /** @return the stack's job provider, looked up once */
    protected DatasetJobProvider getProvider() {
        if (provider == null) {
            provider = DatasetJobProvider.of(this);
        }
        return provider;
    }

    /** Writes the job's tags (its own and those of {@code Tags.of(scope)}) into the resource; called at synth. */
    /**
     * Checks the job's tags (its own and those of {@code Tags.of(..)}, applied by now) against Personalize's rules
     * and renders them into the resource; called once per stack at synth for all its jobs.
     *
     * @return what breaks the rules, naming this job
     */
    List<String> renderTags() {
        Map<String, String> values = tags.tagValues();
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> problems = Validate.tags(tagKind, this, values);
        Object rendered = tags.renderTags();
        if (problems.isEmpty() && rendered instanceof List<?> list && !list.isEmpty()) {
            ((CfnResource) resource.getNode().getDefaultChild()).addPropertyOverride(JobResource.TAGS, rendered);
        }
        return problems;
    }

    /** @return the custom resource of the job */
    public CustomResource getResource() {
        return resource;
    }

    /**
     * @return the job's ARN (also the resource's physical id); with a wait condition, a reference to it too, so that
     *     whatever uses the ARN waits until the job is ACTIVE
     */
    public String getJobArn() {
        return afterWait(resource.getAttString(JobResource.ATT_JOB_ARN));
    }

    /** @return the value, and (with a wait condition) a dependency on it: Fn::Select of the value and its Data */
    private String afterWait(String value) {
        return waitCondition == null ? value : Fn.select(0, List.of(value, Token.asString(waitCondition.getAttrData())));
    }

    /** @return the generated job name */
    public String getJobName() {
        return resource.getAttString(JobResource.ATT_JOB_NAME);
    }

    /**
     * @return the job's status when the deployment step ended: ACTIVE when waiting (with a wait condition: once it
     *     has been signalled), else as last described
     */
    public String getJobStatus() {
        return waitCondition == null ? resource.getAttString(JobResource.ATT_STATUS) : afterWait("ACTIVE");
    }

}
