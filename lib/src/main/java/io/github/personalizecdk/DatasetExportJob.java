package io.github.personalizecdk;

import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.internal.Validate;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * A Personalize dataset export job ({@code Custom::PersonalizeDatasetExportJob}): on deploy it starts
 * CreateDatasetExportJob into {@code s3://bucket/prefix} and, by default, waits until ACTIVE. The default role
 * may PutObject and ListBucket under the prefix, use the output key, and read an encrypted dataset group.
 *
 * <pre>{@code
 * DatasetExportJob.Builder.create(this, "ExportInteractions")
 *     .dataset(interactions)
 *     .bucket(exportBucket).prefix("exports/").outputKey(exportKey)
 *     .ingestionMode(IngestionMode.ALL)
 *     .build();
 * }</pre>
 */
public class DatasetExportJob extends DatasetJobBase {
    public static final String RESOURCE_TYPE = JobResource.EXPORT_TYPE;
    private static final String KIND = "DatasetExportJob";

    private final IRole role;

    public DatasetExportJob(Construct scope, String id, DatasetExportJobProps props) {
        super(scope, id, RESOURCE_TYPE);
        Validate.required(KIND, this, "props", props, "DatasetExportJobProps.of(dataset, options)");
        DatasetExportJobOptions o = Validate.required(KIND, this, "options", props.getOptions(), "DatasetExportJobOptions.builder()...build()");
        IDataset dataset = Validate.required(KIND, this, "dataset", props.getDataset(), "a Dataset or an imported IDataset");
        IBucket bucket = Validate.required(KIND, this, "bucket", o.getBucket(), "the IBucket the export writes to");
        String prefix = o.getPrefix();
        if (Validate.isKnown(prefix) && (prefix.isEmpty() || prefix.startsWith("/")
                || !prefix.endsWith("/"))) {
            throw Validate.error(KIND, this, "prefix \"" + prefix + "\" is not a folder; expected a folder ending in "
                    + "'/' such as 'exports/', or no prefix for the bucket's root");
        }
        checkCommon(KIND, o.getJobNamePrefix(), o.getTimeout(), o.getWaitForCompletion());
        applyTags(KIND, o.getTags());

        IKey outputKey = PersonalizeAccess.requireKey(KIND, this, "outputKey", o.getOutputKey());
        if (o.getRole() != null) {
            role = o.getRole();
            // the bucket's and keys' policies, as for the shared role; the role's own policy is the caller's
            PersonalizeServiceRole.grantExport(KIND, this, role, false, bucket, prefix, outputKey);
            if (dataset.getDatasetGroup() != null) {
                PersonalizeServiceRole.grantGroupKey(this, role, false, dataset.getDatasetGroup());
            }
        } else {
            PersonalizeServiceRole access = getProvider().getDefaultRole();
            access.grantExportTo(bucket, prefix, outputKey);
            if (dataset.getDatasetGroup() != null) {
                access.grantDatasetGroupKey(dataset.getDatasetGroup());
            }
            role = access.getRole();
        }

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(JobResource.JOB_TYPE, "EXPORT");
        properties.put(JobResource.DATASET_ARN, dataset.getDatasetArn());
        properties.put(JobResource.ROLE_ARN, role.getRoleArn());
        properties.put(JobResource.OUTPUT_PATH, "s3://" + bucket.getBucketName() + "/" + (prefix == null ? "" : prefix));
        if (outputKey != null) {
            properties.put(JobResource.KMS_KEY_ARN, outputKey.getKeyArn());
        }
        properties.put(JobResource.INGESTION_MODE, (o.getIngestionMode() != null ? o.getIngestionMode() : IngestionMode.PUT).name());
        createResource(RESOURCE_TYPE, o.getJobNamePrefix(), properties, o.getTimeout(), o.getWaitForCompletion(),
                dataset);

        getProvider().allowExport(DatasetBase.policyArn(dataset), o.getJobNamePrefix(), role);
        // the role's and bucket's policies must be in place before Personalize checks them
        getProvider().orderAfterPolicies(this, role, o.getRole() == null, bucket);
    }

    /** @return the role Personalize assumes for this job */
    public IRole getRole() {
        return role;
    }

    /** Fluent builder: {@code DatasetExportJob.Builder.create(scope, id).dataset(..).bucket(..).build()}. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private IDataset dataset;
        private final DatasetExportJobOptions.Builder options = DatasetExportJobOptions.builder();

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

        /** @see DatasetExportJobOptions#getBucket() */
        public Builder bucket(IBucket bucket) {
            options.bucket(bucket);
            return this;
        }

        /** @see DatasetExportJobOptions#getPrefix() */
        public Builder prefix(String prefix) {
            options.prefix(prefix);
            return this;
        }

        /** @see DatasetExportJobOptions#getOutputKey() */
        public Builder outputKey(IKey outputKey) {
            options.outputKey(outputKey);
            return this;
        }

        /** @see DatasetExportJobOptions#getIngestionMode() */
        public Builder ingestionMode(IngestionMode ingestionMode) {
            options.ingestionMode(ingestionMode);
            return this;
        }

        /** @see DatasetExportJobOptions#getRole() */
        public Builder role(IRole role) {
            options.role(role);
            return this;
        }

        /** @see DatasetExportJobOptions#getJobNamePrefix() */
        public Builder jobNamePrefix(String jobNamePrefix) {
            options.jobNamePrefix(jobNamePrefix);
            return this;
        }

        /** @see DatasetExportJobOptions#getTags() */
        public Builder tags(Map<String, String> tags) {
            options.tags(tags);
            return this;
        }

        /** @see DatasetExportJobOptions#getTimeout() */
        public Builder timeout(Duration timeout) {
            options.timeout(timeout);
            return this;
        }

        /** @see DatasetExportJobOptions#getWaitForCompletion() */
        public Builder waitForCompletion(Boolean waitForCompletion) {
            options.waitForCompletion(waitForCompletion);
            return this;
        }

        public DatasetExportJob build() {
            return new DatasetExportJob(scope, id, DatasetExportJobProps.of(dataset, options.build()));
        }
    }
}
