package io.github.personalizecdk;

import software.amazon.awscdk.IResource;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.kms.IKey;

/** A Personalize dataset group, created in this app or imported. */
public interface IDatasetGroup extends IResource {
    /** @return the dataset group's ARN */
    String getDatasetGroupArn();

    /** @return the dataset group's name */
    String getDatasetGroupName();

    /** @return the domain; {@code null} for a custom group or when unknown */
    Domain getDomain();

    /** @return whether {@link #getDomain()} is known (false for groups imported without a domain) */
    boolean isDomainKnown();

    /** @return the KMS key that encrypts the group's data, or {@code null} */
    IKey getEncryptionKey();

    /** Grants the given actions on this dataset group. */
    Grant grant(IGrantable grantee, String... actions);

    /** Grants {@link PersonalizeActions#DATASET_GROUP_READ} on this dataset group. */
    Grant grantRead(IGrantable grantee);

    /** Adds a dataset of the given type to this group. */
    Dataset addDataset(String id, DatasetOptions options);
}
