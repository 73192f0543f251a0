package io.github.personalizecdk;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.IRole;

/** Options of a dataset import job added with {@link IDataset#addImportJob(String, DatasetImportJobOptions)}. */
public final class DatasetImportJobOptions {
    private final DataSource dataSource;
    private final ImportMode importMode;
    private final Boolean publishAttributionMetricsToS3;
    private final IRole role;
    private final String jobNamePrefix;
    private final Map<String, String> tags;
    private final Duration timeout;
    private final Boolean waitForCompletion;

    private DatasetImportJobOptions(Builder b) {
        this.dataSource = b.dataSource;
        this.importMode = b.importMode;
        this.publishAttributionMetricsToS3 = b.publishAttributionMetricsToS3;
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

    /** Where the data is: an object, or a folder ending in {@code /}. Required. */
    public DataSource getDataSource() {
        return dataSource;
    }

    /** FULL replaces the bulk data, INCREMENTAL appends (after a bulk import). @default FULL */
    public ImportMode getImportMode() {
        return importMode;
    }

    /** Publish metric attribution metrics to S3 (needs a metric attribution on the group). @default false */
    public Boolean getPublishAttributionMetricsToS3() {
        return publishAttributionMetricsToS3;
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
        private DataSource dataSource;
        private ImportMode importMode;
        private Boolean publishAttributionMetricsToS3;
        private IRole role;
        private String jobNamePrefix;
        private Map<String, String> tags;
        private Duration timeout;
        private Boolean waitForCompletion;

        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        public Builder importMode(ImportMode importMode) {
            this.importMode = importMode;
            return this;
        }

        public Builder publishAttributionMetricsToS3(Boolean publishAttributionMetricsToS3) {
            this.publishAttributionMetricsToS3 = publishAttributionMetricsToS3;
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

        public DatasetImportJobOptions build() {
            return new DatasetImportJobOptions(this);
        }
    }
}
