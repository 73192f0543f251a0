package io.github.personalizecdk;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.kms.IKey;

/** Properties of a {@link DatasetGroup}. */
public final class DatasetGroupProps {
    private final String datasetGroupName;
    private final Domain domain;
    private final IKey encryptionKey;
    private final IRole encryptionRole;
    private final RemovalPolicy removalPolicy;

    private DatasetGroupProps(Builder b) {
        this.datasetGroupName = b.datasetGroupName;
        this.domain = b.domain;
        this.encryptionKey = b.encryptionKey;
        this.encryptionRole = b.encryptionRole;
        this.removalPolicy = b.removalPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The group's name. An explicit name gets a synth warning: a new domain, key or role replaces the group, and
     * the replacement would be created under the same name.
     *
     * @default - {@code <unique name from the construct path>-<8 hex>}, the hex a hash of the domain, the
     *     encryption key's ARN and the role's ARN (at most 63 characters)
     */
    public String getDatasetGroupName() {
        return datasetGroupName;
    }

    /** The domain of a Domain dataset group. @default - none: a custom dataset group */
    public Domain getDomain() {
        return domain;
    }

    /** Customer managed KMS key that encrypts the group's data. @default - encrypted with an AWS owned key */
    public IKey getEncryptionKey() {
        return encryptionKey;
    }

    /**
     * Role Personalize assumes to use {@link #getEncryptionKey()}; it is granted the key actions.
     * Only valid with an encryption key.
     *
     * @default - a role is created when an encryption key is given
     */
    public IRole getEncryptionRole() {
        return encryptionRole;
    }

    /**
     * What happens to the group (and a role created for its key, with the role's policy) when it leaves the
     * stack or a new domain, key or role replaces it.
     *
     * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE - the group and the created role are kept when the
     *     stack is deleted or the group replaced, and deleted only when their very first create rolls back
     */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    public static final class Builder {
        private String datasetGroupName;
        private Domain domain;
        private IKey encryptionKey;
        private IRole encryptionRole;
        private RemovalPolicy removalPolicy;

        public Builder datasetGroupName(String datasetGroupName) {
            this.datasetGroupName = datasetGroupName;
            return this;
        }

        public Builder domain(Domain domain) {
            this.domain = domain;
            return this;
        }

        public Builder encryptionKey(IKey encryptionKey) {
            this.encryptionKey = encryptionKey;
            return this;
        }

        public Builder encryptionRole(IRole encryptionRole) {
            this.encryptionRole = encryptionRole;
            return this;
        }

        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            this.removalPolicy = removalPolicy;
            return this;
        }

        public DatasetGroupProps build() {
            return new DatasetGroupProps(this);
        }
    }
}
