package io.github.personalizecdk;

/** What is known about a dataset defined outside this app. */
public final class DatasetAttributes {
    private final String datasetArn;
    private final IDatasetGroup datasetGroup;

    private DatasetAttributes(Builder b) {
        this.datasetArn = b.datasetArn; // required: checked with the path by the construct that imports it
        this.datasetGroup = b.datasetGroup;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** ARN, e.g. {@code arn:aws:personalize:us-east-1:123456789012:dataset/my-group/INTERACTIONS}. */
    public String getDatasetArn() {
        return datasetArn;
    }

    /** @default - unknown */
    public IDatasetGroup getDatasetGroup() {
        return datasetGroup;
    }

    public static final class Builder {
        private String datasetArn;
        private IDatasetGroup datasetGroup;

        public Builder datasetArn(String datasetArn) {
            this.datasetArn = datasetArn;
            return this;
        }

        public Builder datasetGroup(IDatasetGroup datasetGroup) {
            this.datasetGroup = datasetGroup;
            return this;
        }

        public DatasetAttributes build() {
            return new DatasetAttributes(this);
        }
    }
}
