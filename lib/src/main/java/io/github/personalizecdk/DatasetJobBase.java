package io.github.personalizecdk;

import io.github.personalizecdk.contract.JobNames;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.contract.TagRules;
import io.github.personalizecdk.internal.Validate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.ITaggable;
import software.amazon.awscdk.Resource;
import software.amazon.awscdk.TagManager;
import software.amazon.awscdk.TagType;
import software.constructs.Construct;
import software.constructs.IValidation;

/** What import and export jobs share: the stack's provider, the generated name, waiting, tags. */
public abstract class DatasetJobBase extends Resource implements ITaggable {
    /** Longest jobNamePrefix: the handler appends '-' and 16 hash characters within 63. */
    public static final int MAX_PREFIX_LENGTH = JobNames.MAX_PREFIX_LENGTH;
    /** Default wait for a job; the Provider gives up at {@link DatasetJobProvider#TOTAL_TIMEOUT}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.minutes(50);
    /** Longest wait, so that the handler's own timeout error comes before the Provider's. */
    public static final Duration MAX_TIMEOUT = Duration.minutes(54);

    private final TagManager tags;
    private CustomResource resource;
    private String jobNamePrefix;
    private DatasetJobProvider provider;

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
        getNode().addValidation(new IValidation() {
            @Override
            public List<String> validate() {
                Map<String, String> values = tags.tagValues();
                return Validate.tags(kind, DatasetJobBase.this, values == null ? Map.of() : values);
            }
        });
    }

    /** Checks the options both job kinds share. */
    protected void checkCommon(String kind, String prefix, Duration timeout) {
        if (Validate.isKnown(prefix)) {
            if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH
                    || !Validate.NAME.matcher(prefix).matches()) {
                throw Validate.error(kind, this, "jobNamePrefix \"" + prefix + "\" is invalid; expected 1-"
                        + MAX_PREFIX_LENGTH + " characters of letters, digits, '-' and '_', starting with a letter "
                        + "or digit (the job name adds '-' and 16 characters)");
            }
        }
        if (timeout != null) {
            double minutes = timeout.toSeconds().doubleValue() / 60;
            if (timeout.toSeconds().doubleValue() < 60 || minutes > MAX_TIMEOUT.toMinutes().doubleValue()) {
                throw Validate.error(kind, this, "timeout " + timeout.toHumanString() + " is out of range; expected "
                        + "1 to " + MAX_TIMEOUT.toMinutes().intValue() + " minutes (CloudFormation waits at most one "
                        + "hour for a custom resource): for longer jobs set waitForCompletion(false)");
            }
        }
    }

    /** Creates the custom resource; the job name prefix is fixed here, at construction. */
    protected CustomResource createResource(String resourceType, String prefix, Map<String, Object> jobProperties,
            Duration timeout, Boolean waitForCompletion) {
        DatasetJobProvider provider = getProvider();
        this.jobNamePrefix = prefix != null ? prefix : defaultPrefix(provider.getJobNamePrefix());
        Map<String, Object> properties = new LinkedHashMap<>(jobProperties);
        properties.put(JobResource.JOB_NAME_PREFIX, jobNamePrefix);
        properties.put(JobResource.WAIT, String.valueOf(waitForCompletion == null || waitForCompletion));
        properties.put(JobResource.TIMEOUT_SECONDS, String.valueOf((timeout != null ? timeout : DEFAULT_TIMEOUT).toSeconds()
                .longValue()));
        resource = CustomResource.Builder.create(this, "Resource")
                .serviceToken(provider.getServiceToken())
                .resourceType(resourceType)
                .properties(properties)
                .serviceTimeout(DatasetJobProvider.SERVICE_TIMEOUT)
                .build();
        provider.register(this);
        return resource;
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
        String hash = sha256(path).substring(0, 8).toUpperCase();
        int room = MAX_PREFIX_LENGTH - stackPart.length() - JobNames.SEPARATOR.length() - hash.length();
        String tail = withParent.length() <= room ? withParent : own.length() <= room ? own : own.substring(0, room);
        return stackPart + JobNames.SEPARATOR + tail + hash;
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
    void renderTags() {
        Object rendered = tags.renderTags();
        if (rendered instanceof List<?> list && !list.isEmpty()) {
            ((CfnResource) resource.getNode().getDefaultChild()).addPropertyOverride(JobResource.TAGS, rendered);
        }
    }

    /** @return the custom resource of the job */
    public CustomResource getResource() {
        return resource;
    }

    /** @return the job's ARN (also the resource's physical id) */
    public String getJobArn() {
        return resource.getAttString(JobResource.ATT_JOB_ARN);
    }

    /** @return the generated job name */
    public String getJobName() {
        return resource.getAttString(JobResource.ATT_JOB_NAME);
    }

    /** @return the job's status when the deployment step ended: ACTIVE when waiting, else as last described */
    public String getJobStatus() {
        return resource.getAttString(JobResource.ATT_STATUS);
    }

}
