package io.github.personalizecdk.contract;

/** {@code Custom::PersonalizeDatasetImportJob} and {@code Custom::PersonalizeDatasetExportJob}. */
public final class JobResource {
    public static final String IMPORT_TYPE = "Custom::PersonalizeDatasetImportJob";
    public static final String EXPORT_TYPE = "Custom::PersonalizeDatasetExportJob";

    // properties
    /** {@code IMPORT} or {@code EXPORT}. */
    public static final String JOB_TYPE = "JobType";
    public static final String DATASET_ARN = "DatasetArn";
    public static final String ROLE_ARN = "RoleArn";
    public static final String JOB_NAME_PREFIX = "JobNamePrefix";
    public static final String DATA_LOCATION = "DataLocation";
    /** {@code FULL} or {@code INCREMENTAL}. */
    public static final String IMPORT_MODE = "ImportMode";
    /** {@code "true"} or {@code "false"}. */
    public static final String PUBLISH_ATTRIBUTION_METRICS = "PublishAttributionMetricsToS3";
    public static final String OUTPUT_PATH = "OutputPath";
    public static final String KMS_KEY_ARN = "KmsKeyArn";
    /** {@code BULK}, {@code PUT} or {@code ALL}. */
    public static final String INGESTION_MODE = "IngestionMode";
    /** A list of {@code {Key, Value}}. */
    public static final String TAGS = "Tags";
    /** {@code "false"} to start the job without waiting for it. */
    public static final String WAIT = "Wait";
    public static final String TIMEOUT_SECONDS = "TimeoutSeconds";
    /**
     * Long wait only: the presigned URL of the job's {@code AWS::CloudFormation::WaitConditionHandle}, which the
     * poller signals when the job ends.
     */
    public static final String WAIT_HANDLE = "WaitHandle";
    /** Long wait only: the ARN of the stack's poller state machine ({@link JobWaiter}). */
    public static final String WAITER_ARN = "WaiterStateMachineArn";

    // attributes (Data)
    public static final String ATT_JOB_ARN = "JobArn";
    public static final String ATT_JOB_NAME = "JobName";
    public static final String ATT_STATUS = "Status";

    private JobResource() {
    }
}
