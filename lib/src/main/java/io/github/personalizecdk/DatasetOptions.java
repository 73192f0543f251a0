package io.github.personalizecdk;

import software.amazon.awscdk.RemovalPolicy;

/** Properties of a dataset added with {@link IDatasetGroup#addDataset(String, DatasetOptions)}. */
public final class DatasetOptions {
    private final DatasetType datasetType;
    private final ISchema schema;
    private final String datasetName;
    private final RemovalPolicy removalPolicy;

    private DatasetOptions(DatasetType datasetType, ISchema schema, String datasetName, RemovalPolicy removalPolicy) {
        this.datasetType = datasetType;
        this.schema = schema;
        this.datasetName = datasetName;
        this.removalPolicy = removalPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The dataset type. Required. */
    public DatasetType getDatasetType() {
        return datasetType;
    }

    /** The schema; it must fit the dataset type and the group's domain. Required. */
    public ISchema getSchema() {
        return schema;
    }

    /** @default - a unique name derived from the construct path (at most 63 characters) */
    public String getDatasetName() {
        return datasetName;
    }

    /**
     * What happens to the dataset and its data when it leaves the stack. CloudFormation also replaces
     * (deletes, then creates) a dataset whose name, type, group or schema changes.
     *
     * @default RETAIN
     */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    public static final class Builder {
        private DatasetType datasetType;
        private ISchema schema;
        private String datasetName;
        private RemovalPolicy removalPolicy;

        public Builder datasetType(DatasetType datasetType) {
            this.datasetType = datasetType;
            return this;
        }

        public Builder schema(ISchema schema) {
            this.schema = schema;
            return this;
        }

        public Builder datasetName(String datasetName) {
            this.datasetName = datasetName;
            return this;
        }

        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            this.removalPolicy = removalPolicy;
            return this;
        }

        public DatasetOptions build() {
            return new DatasetOptions(datasetType, schema, datasetName, removalPolicy);
        }
    }
}
