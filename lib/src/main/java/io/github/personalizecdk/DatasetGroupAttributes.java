package io.github.personalizecdk;

import java.util.Objects;
import software.amazon.awscdk.services.kms.IKey;

/** What is known about a dataset group defined outside this app. */
public final class DatasetGroupAttributes {
    private final String datasetGroupArn;
    private final Domain domain;
    private final boolean custom;
    private final IKey encryptionKey;

    private DatasetGroupAttributes(Builder b) {
        this.datasetGroupArn = Objects.requireNonNull(b.datasetGroupArn, "datasetGroupArn");
        this.domain = b.domain;
        this.custom = b.custom;
        this.encryptionKey = b.encryptionKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** ARN, e.g. {@code arn:aws:personalize:us-east-1:123456789012:dataset-group/my-group}. */
    public String getDatasetGroupArn() {
        return datasetGroupArn;
    }

    /** @default - unknown, unless {@link #isCustom()}: datasets skip domain checks */
    public Domain getDomain() {
        return domain;
    }

    /** Whether the group is a custom group (no domain). @default false - unknown unless a domain is given */
    public boolean isCustom() {
        return custom;
    }

    /** @default - not encrypted with a customer managed key, or unknown */
    public IKey getEncryptionKey() {
        return encryptionKey;
    }

    public static final class Builder {
        private String datasetGroupArn;
        private Domain domain;
        private boolean custom;
        private IKey encryptionKey;

        public Builder datasetGroupArn(String datasetGroupArn) {
            this.datasetGroupArn = datasetGroupArn;
            return this;
        }

        public Builder domain(Domain domain) {
            this.domain = domain;
            return this;
        }

        public Builder custom(boolean custom) {
            this.custom = custom;
            return this;
        }

        public Builder encryptionKey(IKey encryptionKey) {
            this.encryptionKey = encryptionKey;
            return this;
        }

        public DatasetGroupAttributes build() {
            return new DatasetGroupAttributes(this);
        }
    }
}
