package io.github.personalizecdk;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;

/** Options of a dataset export job added with {@link IDataset#addExportJob(String, DatasetExportJobOptions)}. */
public final class DatasetExportJobOptions {
    private final IBucket bucket;
    private final String prefix;
    private final IKey outputKey;
    private final IngestionMode ingestionMode;
    private final IRole role;
    private final String jobNamePrefix;
    private final Map<String, String> tags;
    private final Duration timeout;
    private final Boolean waitForCompletion;

    private DatasetExportJobOptions(Builder b) {
        this.bucket = b.bucket;
        this.prefix = b.prefix;
        this.outputKey = b.outputKey;
        this.ingestionMode = b.ingestionMode;
        this.role = b.role;
        this.jobNamePrefix = b.jobNamePrefix;
        this.tags = b.tags == null ? null : Collections.unmodifiableMap(sorted(b.tags));
        this.timeout = b.timeout;
        this.waitForCompletion = b.waitForCompletion;
    }

    /** @return the tags sorted by key; a null key, refused with the job's path when the job is built, sorts first */
    private static Map<String, String> sorted(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>(Comparator.nullsFirst(Comparator.<String>naturalOrder()));
        out.putAll(tags);
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bucket the export writes to. Required. */
    public IBucket getBucket() {
        return bucket;
    }

    /** Folder in the bucket, ending in {@code /}. @default - the bucket's root */
    public String getPrefix() {
        return prefix;
    }

    /** KMS key the output is encrypted with. @default - the bucket's default encryption */
    public IKey getOutputKey() {
        return outputKey;
    }

    /** Which data to export. @default PUT (as the API) */
    public IngestionMode getIngestionMode() {
        return ingestionMode;
    }

    /**
     * Role Personalize assumes for the job. Its own policy is the caller's; the bucket and key policies get
     * Personalize's statements as for the shared role (or, for a bucket or key the app does not own, the policy
     * file and warning).
     *
     * @default - the stack's shared job role ({@link DatasetJobProvider#getDefaultRole()}), granted exactly this
     *     job's location and keys
     */
    public IRole getRole() {
        return role;
    }

    /** Start of the job names (the handler appends a hash of the CloudFormation request). @default - the resource's logical id */
    public String getJobNamePrefix() {
        return jobNamePrefix;
    }

    /** Tags of the job; {@code Tags.of(scope)} reaches jobs too. @default - none */
    public Map<String, String> getTags() {
        return tags;
    }

    /**
     * How long the deployment waits for ACTIVE before it fails, 1 minute to 12 hours. Up to 54 minutes the job's
     * custom resource waits (CloudFormation gives it an hour); above, the custom resource starts the job and a
     * CloudFormation wait condition, signalled by a poller, holds the stack until the job ends (see the README's
     * waiting section for what that adds to the stack). With waitForCompletion(false): at most 54 minutes.
     *
     * @default 50 minutes
     */
    public Duration getTimeout() {
        return timeout;
    }

    /** Whether the deployment waits for ACTIVE. Without waiting the job is started and its ARN returned at once. @default true */
    public Boolean getWaitForCompletion() {
        return waitForCompletion;
    }

    public static final class Builder {
        private IBucket bucket;
        private String prefix;
        private IKey outputKey;
        private IngestionMode ingestionMode;
        private IRole role;
        private String jobNamePrefix;
        private Map<String, String> tags;
        private Duration timeout;
        private Boolean waitForCompletion;

        public Builder bucket(IBucket bucket) {
            this.bucket = bucket;
            return this;
        }

        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        public Builder outputKey(IKey outputKey) {
            this.outputKey = outputKey;
            return this;
        }

        public Builder ingestionMode(IngestionMode ingestionMode) {
            this.ingestionMode = ingestionMode;
            return this;
        }

        public Builder role(IRole role) {
            this.role = role;
            return this;
        }

        public Builder jobNamePrefix(String jobNamePrefix) {
            this.jobNamePrefix = jobNamePrefix;
            return this;
        }

        public Builder tags(Map<String, String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder waitForCompletion(Boolean waitForCompletion) {
            this.waitForCompletion = waitForCompletion;
            return this;
        }

        public DatasetExportJobOptions build() {
            return new DatasetExportJobOptions(this);
        }
    }
}
