package io.github.personalizecdk;

import software.amazon.awscdk.RemovalPolicy;

/** Properties of a {@link Dataset}. */
public final class DatasetProps {
    private final IDatasetGroup datasetGroup;
    private final DatasetOptions options;

    private DatasetProps(IDatasetGroup datasetGroup, DatasetType datasetType, ISchema schema, String datasetName,
            RemovalPolicy removalPolicy) {
        this.datasetGroup = datasetGroup;
        this.options = DatasetOptions.builder().datasetType(datasetType).schema(schema).datasetName(datasetName)
                .removalPolicy(removalPolicy).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    static DatasetProps fromOptions(IDatasetGroup group, DatasetOptions o) {
        return new DatasetProps(group, o.getDatasetType(), o.getSchema(), o.getDatasetName(), o.getRemovalPolicy());
    }

    /** The dataset group the dataset belongs to. Required. */
    public IDatasetGroup getDatasetGroup() {
        return datasetGroup;
    }

    /** @see DatasetOptions#getDatasetType() */
    public DatasetType getDatasetType() {
        return options.getDatasetType();
    }

    /** @see DatasetOptions#getSchema() */
    public ISchema getSchema() {
        return options.getSchema();
    }

    /** @see DatasetOptions#getDatasetName() */
    public String getDatasetName() {
        return options.getDatasetName();
    }

    /** @see DatasetOptions#getRemovalPolicy() */
    public RemovalPolicy getRemovalPolicy() {
        return options.getRemovalPolicy();
    }

    public static final class Builder {
        private IDatasetGroup datasetGroup;
        private DatasetType datasetType;
        private ISchema schema;
        private String datasetName;
        private RemovalPolicy removalPolicy;

        public Builder datasetGroup(IDatasetGroup datasetGroup) {
            this.datasetGroup = datasetGroup;
            return this;
        }

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

        public DatasetProps build() {
            return new DatasetProps(datasetGroup, datasetType, schema, datasetName, removalPolicy);
        }
    }
}
