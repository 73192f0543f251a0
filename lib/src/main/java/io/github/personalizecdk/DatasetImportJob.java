package io.github.personalizecdk;

import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.internal.Validate;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * A Personalize dataset import job ({@code Custom::PersonalizeDatasetImportJob}): on deploy it starts
 * CreateDatasetImportJob and, by default, waits until Personalize reports ACTIVE; CREATE FAILED fails the
 * deployment with Personalize's failureReason. A changed job property starts a new job; deleting the
 * resource leaves the (undeletable) job alone.
 *
 * <pre>{@code
 * DatasetImportJob.Builder.create(this, "ImportInteractions")
 *     .dataset(interactions)
 *     .dataSource(DataSource.fromBucket(bucket, "imports/interactions/"))
 *     .build();
 * }</pre>
 */
public class DatasetImportJob extends DatasetJobBase {
    public static final String RESOURCE_TYPE = JobResource.IMPORT_TYPE;
    private static final String KIND = "DatasetImportJob";

    private final IRole role;
    private final IDataset dataset;
    private final ImportMode importMode;
    private final boolean waitForCompletion;

    public DatasetImportJob(Construct scope, String id, DatasetImportJobProps props) {
        super(scope, id, RESOURCE_TYPE);
        Validate.required(KIND, this, "props", props, "DatasetImportJobProps.of(dataset, options)");
        DatasetImportJobOptions o = Validate.required(KIND, this, "options", props.getOptions(), "DatasetImportJobOptions.builder()...build()");
        this.dataset = Validate.required(KIND, this, "dataset", props.getDataset(), "a Dataset or an imported IDataset");
        this.importMode = o.getImportMode() != null ? o.getImportMode() : ImportMode.FULL;
        this.waitForCompletion = o.getWaitForCompletion() == null || o.getWaitForCompletion();
        DataSource source = Validate.required(KIND, this, "dataSource", o.getDataSource(),
                "DataSource.fromBucket(bucket, key or folder/) or DataSource.fromUri(\"s3://bucket/key\")");
        checkSource(source);
        checkCommon(KIND, o.getJobNamePrefix(), o.getTimeout(), o.getWaitForCompletion());
        applyTags(KIND, o.getTags());

        IBucket bucket = source.bucket(this);
        String location = source.getUri() != null ? source.getUri()
                : "s3://" + bucket.getBucketName() + "/" + (source.getKey() == null ? "" : source.getKey());
        if (o.getRole() != null) {
            role = o.getRole();
            // the bucket's and key's policies, as for the shared role; the role's own policy is the caller's
            PersonalizeServiceRole.grantImport(KIND, this, role, false, bucket, source.getKey());
        } else {
            PersonalizeServiceRole access = getProvider().getDefaultRole();
            access.grantImportFrom(bucket, source.getKey());
            role = access.getRole();
        }

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(JobResource.JOB_TYPE, "IMPORT");
        properties.put(JobResource.DATASET_ARN, dataset.getDatasetArn());
        properties.put(JobResource.ROLE_ARN, role.getRoleArn());
        properties.put(JobResource.DATA_LOCATION, location);
        properties.put(JobResource.IMPORT_MODE, importMode.name());
        properties.put(JobResource.PUBLISH_ATTRIBUTION_METRICS, String.valueOf(Boolean.TRUE.equals(
                o.getPublishAttributionMetricsToS3())));
        createResource(RESOURCE_TYPE, o.getJobNamePrefix(), properties, o.getTimeout(), o.getWaitForCompletion(),
                dataset);

        getProvider().allowImport(DatasetBase.policyArn(dataset), o.getJobNamePrefix(), role);
        // the role's and bucket's policies must be in place before Personalize checks them
        getProvider().orderAfterPolicies(this, role, o.getRole() == null, bucket);
        if (importMode == ImportMode.INCREMENTAL) {
            ImportOrder.checkAtSynth(this);
        }
    }

    private void checkSource(DataSource source) {
        if (!source.isWellFormed()) {
            throw Validate.error(KIND, this, "dataSource \"" + source.getUri() + "\" is not an S3 URI; expected "
                    + "s3://<bucket>/<key> or s3://<bucket>/<folder>/ (at most 256 characters)");
        }
        String key = source.getKey();
        if (!Validate.isKnown(key)) {
            return;
        }
        if (key.isEmpty() || key.startsWith("/")) {
            throw Validate.error(KIND, this, "dataSource key \"" + key + "\" " + (key.isEmpty() ? "is empty"
                    : "starts with '/'") + "; expected an object key such as 'imports/data.csv' or a folder "
                    + "ending in '/' such as 'imports/'");
        }
        String uri = source.getUri();
        if (uri != null && uri.length() > 256) {
            throw Validate.error(KIND, this, "dataSource \"" + uri + "\" has " + uri.length()
                    + " characters; expected at most 256");
        }
    }

    /** @return the dataset the job imports into */
    public IDataset getDataset() {
        return dataset;
    }

    /** @return FULL or INCREMENTAL */
    public ImportMode getImportMode() {
        return importMode;
    }

    /** @return whether the deployment waits for the job to become ACTIVE */
    public boolean isWaitingForCompletion() {
        return waitForCompletion;
    }

    /** @return the role Personalize assumes for this job */
    public IRole getRole() {
        return role;
    }

    /** Fluent builder: {@code DatasetImportJob.Builder.create(scope, id).dataset(..).dataSource(..).build()}. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private IDataset dataset;
        private final DatasetImportJobOptions.Builder options = DatasetImportJobOptions.builder();

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        public Builder dataset(IDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /** @see DatasetImportJobOptions#getDataSource() */
        public Builder dataSource(DataSource dataSource) {
            options.dataSource(dataSource);
            return this;
        }

        /** @see DatasetImportJobOptions#getImportMode() */
        public Builder importMode(ImportMode importMode) {
            options.importMode(importMode);
            return this;
        }

        /** @see DatasetImportJobOptions#getPublishAttributionMetricsToS3() */
        public Builder publishAttributionMetricsToS3(Boolean publish) {
            options.publishAttributionMetricsToS3(publish);
            return this;
        }

        /** @see DatasetImportJobOptions#getRole() */
        public Builder role(IRole role) {
            options.role(role);
            return this;
        }

        /** @see DatasetImportJobOptions#getJobNamePrefix() */
        public Builder jobNamePrefix(String jobNamePrefix) {
            options.jobNamePrefix(jobNamePrefix);
            return this;
        }

        /** @see DatasetImportJobOptions#getTags() */
        public Builder tags(Map<String, String> tags) {
            options.tags(tags);
            return this;
        }

        /** @see DatasetImportJobOptions#getTimeout() */
        public Builder timeout(Duration timeout) {
            options.timeout(timeout);
            return this;
        }

        /** @see DatasetImportJobOptions#getWaitForCompletion() */
        public Builder waitForCompletion(Boolean waitForCompletion) {
            options.waitForCompletion(waitForCompletion);
            return this;
        }

        public DatasetImportJob build() {
            return new DatasetImportJob(scope, id, DatasetImportJobProps.of(dataset, options.build()));
        }
    }
}
