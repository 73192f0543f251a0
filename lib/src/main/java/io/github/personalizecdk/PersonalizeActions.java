package io.github.personalizecdk;

import java.util.List;

/** IAM action lists used by grants and generated policies. */
public final class PersonalizeActions {
    /** Read a dataset group's description. */
    public static final List<String> DATASET_GROUP_READ = List.of("personalize:DescribeDatasetGroup");
    /** Read a dataset's description. */
    public static final List<String> DATASET_READ = List.of("personalize:DescribeDataset");
    /** What Personalize needs on a dataset group's KMS key, on the role it uses and in the key policy. */
    public static final List<String> KMS_FOR_DATASET_GROUP =
            List.of("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ListGrants");
    /** Added in the key policy only: Personalize creates grants on the key for the group's resources. */
    public static final String KMS_CREATE_GRANT = "kms:CreateGrant";

    private PersonalizeActions() {
    }

    /** @return the action that writes records of this type individually, or {@code null} for INTERACTIONS */
    public static String putRecords(DatasetType type) {
        return switch (type) {
            case ITEMS -> "personalize:PutItems";
            case USERS -> "personalize:PutUsers";
            case ACTIONS -> "personalize:PutActions";
            case ACTION_INTERACTIONS -> "personalize:PutActionInteractions";
            case INTERACTIONS -> null;
        };
    }
}
