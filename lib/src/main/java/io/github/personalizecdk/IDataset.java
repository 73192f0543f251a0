package io.github.personalizecdk;

import software.amazon.awscdk.IResource;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;

/** A Personalize dataset, created in this app or imported. */
public interface IDataset extends IResource {
    /** @return the dataset's ARN */
    String getDatasetArn();

    /** @return the dataset's type; {@code null} when unknown (imported from a token ARN) */
    DatasetType getDatasetType();

    /** @return the group the dataset belongs to; {@code null} when unknown */
    IDatasetGroup getDatasetGroup();

    /** Grants the given actions on this dataset. */
    Grant grant(IGrantable grantee, String... actions);

    /** Grants {@link PersonalizeActions#DATASET_READ} on this dataset. */
    Grant grantRead(IGrantable grantee);

    /**
     * Grants the action that writes single records into this dataset: {@code personalize:PutItems},
     * {@code PutUsers}, {@code PutActions} or {@code PutActionInteractions}. Interactions are recorded
     * through an event tracker instead, so this fails for INTERACTIONS datasets.
     */
    Grant grantPutRecords(IGrantable grantee);

    /** Adds an import job into this dataset. */
    DatasetImportJob addImportJob(String id, DatasetImportJobOptions options);

    /** Adds an export job of this dataset. */
    DatasetExportJob addExportJob(String id, DatasetExportJobOptions options);
}
