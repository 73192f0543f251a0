package io.github.personalizecdk;

import io.github.personalizecdk.internal.Grants;
import io.github.personalizecdk.internal.Validate;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awscdk.Resource;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.IGrantable;
import software.constructs.Construct;

/** What every dataset group offers, written against its attributes only. */
public abstract class DatasetGroupBase extends Resource implements IDatasetGroup {
    private final Map<DatasetType, String> datasetPaths = new EnumMap<>(DatasetType.class);

    protected DatasetGroupBase(Construct scope, String id) {
        super(scope, id);
    }

    @Override
    public Grant grant(IGrantable grantee, String... actions) {
        return Grants.onArn(grantee, getDatasetGroupArn(), actions);
    }

    @Override
    public Grant grantRead(IGrantable grantee) {
        return grant(grantee, PersonalizeActions.DATASET_GROUP_READ.toArray(String[]::new));
    }

    /**
     * @return the names this group has had and will have, for the handler's permissions: the name itself, or for
     *     a generated name, the name with its hash of create-only inputs as {@code *}
     */
    String getDatasetGroupNamePattern() {
        return getDatasetGroupName();
    }

    @Override
    public Dataset addDataset(String id, DatasetOptions options) {
        return new Dataset(this, id, DatasetProps.fromOptions(this, options));
    }

    /** Records that a dataset of this type belongs to the group; a group holds one dataset per type. */
    void registerDataset(Dataset dataset, DatasetType type) {
        String existing = datasetPaths.putIfAbsent(type, dataset.getNode().getPath());
        if (existing != null) {
            throw Validate.error("Dataset", dataset, "datasetType " + type + " is already used by dataset '"
                    + existing + "' in dataset group '" + getNode().getPath()
                    + "'; allowed: one dataset of each type per dataset group");
        }
    }
}
