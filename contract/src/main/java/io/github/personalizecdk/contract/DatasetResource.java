package io.github.personalizecdk.contract;

/**
 * {@code Custom::PersonalizeDataset}: a dataset of any of the five types whose schema can be replaced in
 * place ({@code UpdateDataset}). Its physical id is the dataset ARN.
 */
public final class DatasetResource {
    public static final String TYPE = "Custom::PersonalizeDataset";

    // properties
    public static final String DATASET_NAME = "DatasetName";
    /** The API form: INTERACTIONS, ITEMS, USERS, ACTIONS or ACTION_INTERACTIONS. */
    public static final String DATASET_TYPE = "DatasetType";
    public static final String DATASET_GROUP_ARN = "DatasetGroupArn";
    public static final String SCHEMA_ARN = "SchemaArn";
    /**
     * The schema's Avro JSON when the app knows it (absent for a schema imported without definition): the
     * handler checks Personalize's schema-replacement rules against it before calling UpdateDataset.
     */
    public static final String SCHEMA_DEFINITION = "SchemaDefinition";

    // attributes (Data)
    public static final String ATT_DATASET_ARN = "DatasetArn";
    public static final String ATT_DATASET_NAME = "DatasetName";
    public static final String ATT_SCHEMA_ARN = "SchemaArn";

    private DatasetResource() {
    }
}
