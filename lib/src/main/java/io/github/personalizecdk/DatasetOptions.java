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

    /**
     * The dataset's name. An explicit name gets a synth warning: a new type or group replaces the dataset, and
     * the replacement would be created under the same name.
     *
     * @default - {@code <unique name from the construct path>-<8 hex>}, the hex a hash of the group's name and
     *     the dataset type (at most 63 characters; a new schema keeps the name)
     */
    public String getDatasetName() {
        return datasetName;
    }

    /**
     * What happens to the dataset and its data when it leaves the stack, or when a new name, type or group
     * replaces it (a new schema does not: it is replaced in place, data kept).
     *
     * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE - the dataset and its data are kept when the stack is
     *     deleted or the dataset replaced, and deleted only when its very first create rolls back
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
