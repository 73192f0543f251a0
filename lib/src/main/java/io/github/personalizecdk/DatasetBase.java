package io.github.personalizecdk;

import io.github.personalizecdk.internal.Grants;
import io.github.personalizecdk.internal.Validate;
import software.amazon.awscdk.Resource;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.constructs.Construct;

/** What every dataset offers, written against its attributes only. */
public abstract class DatasetBase extends Resource implements IDataset {
    protected DatasetBase(Construct scope, String id) {
        super(scope, id);
    }

    /**
     * Grants on the ARN Personalize gives the dataset; for a {@link Dataset} it is formatted from the group's name
     * and the type, so that a grant never makes the grantee's policy depend on the dataset's custom resource.
     */
    @Override
    public Grant grant(IGrantable grantee, String... actions) {
        return Grants.onArn(grantee, getPolicyArn(), actions);
    }

    /** @return the ARN for IAM policies: {@link #getDatasetArn()} unless a subclass knows it without a token */
    String getPolicyArn() {
        return getDatasetArn();
    }

    /** @return the ARN for IAM policies of any dataset */
    static String policyArn(IDataset dataset) {
        return dataset instanceof DatasetBase base ? base.getPolicyArn() : dataset.getDatasetArn();
    }

    @Override
    public Grant grantRead(IGrantable grantee) {
        return grant(grantee, PersonalizeActions.DATASET_READ.toArray(String[]::new));
    }

    @Override
    public Grant grantPutRecords(IGrantable grantee) {
        DatasetType type = getDatasetType();
        String action = type == null ? null : PersonalizeActions.putRecords(type);
        if (action == null) {
            throw Validate.error("Dataset", this, "grantPutRecords needs a dataset of type ITEMS, USERS, ACTIONS or "
                    + "ACTION_INTERACTIONS, got " + type + "; interactions are recorded with an event tracker");
        }
        return grant(grantee, action);
    }

    @Override
    public DatasetImportJob addImportJob(String id, DatasetImportJobOptions options) {
        return new DatasetImportJob(this, id, DatasetImportJobProps.of(this, options));
    }

    @Override
    public DatasetExportJob addExportJob(String id, DatasetExportJobOptions options) {
        return new DatasetExportJob(this, id, DatasetExportJobProps.of(this, options));
    }
}
