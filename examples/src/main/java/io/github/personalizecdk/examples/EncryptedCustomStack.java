package io.github.personalizecdk.examples;

import io.github.personalizecdk.Dataset;
import io.github.personalizecdk.DataSource;
import io.github.personalizecdk.DatasetExportJob;
import io.github.personalizecdk.DatasetExportJobOptions;
import io.github.personalizecdk.DatasetGroup;
import io.github.personalizecdk.DatasetImportJob;
import io.github.personalizecdk.DatasetImportJobOptions;
import io.github.personalizecdk.DatasetOptions;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.FieldType;
import io.github.personalizecdk.IngestionMode;
import io.github.personalizecdk.PersonalizeServiceRole;
import io.github.personalizecdk.Schema;
import io.github.personalizecdk.SchemaDefinition;
import io.github.personalizecdk.SchemaField;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.constructs.Construct;

/**
 * A custom dataset group encrypted with a customer managed KMS key, and an SSE-KMS bucket its exports
 * go to, encrypted with a second key. The {@link SampleData#custom() sample interactions} are deployed to
 * {@code imports/} of that bucket, imported, then exported to {@code exports/}.
 */
public class EncryptedCustomStack extends Stack {
    private final DatasetGroup datasetGroup;
    private final Key key;
    private final Key exportKey;
    private final Bucket exportBucket;
    private final PersonalizeServiceRole access;

    public EncryptedCustomStack(Construct scope, String id) {
        this(scope, id, null);
    }

    public EncryptedCustomStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        ProductionSettings production = ProductionSettings.applyIfEnabled(this);

        key = Key.Builder.create(this, "DataKey")
                .description("Encrypts the Personalize dataset group of " + id)
                .enableKeyRotation(true)
                .build();

        datasetGroup = DatasetGroup.Builder.create(this, "Group")
                .encryptionKey(key)
                .build();

        Schema interactions = Schema.Builder.create(this, "InteractionsSchema")
                .definition(SchemaDefinition.fromFields("Interactions",
                        SchemaField.of("USER_ID", FieldType.STRING),
                        SchemaField.of("ITEM_ID", FieldType.STRING),
                        SchemaField.of("TIMESTAMP", FieldType.LONG),
                        SchemaField.of("EVENT_TYPE", FieldType.STRING).nullable(),
                        SchemaField.of("EVENT_VALUE", FieldType.FLOAT).nullable()))
                .build();

        Dataset interactionsData = datasetGroup.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(interactions).build());

        exportKey = Key.Builder.create(this, "ExportKey")
                .description("Encrypts Personalize exports of " + id)
                .enableKeyRotation(true)
                .build();
        Bucket logs = ExampleBuckets.accessLogs(this);
        exportBucket = ExampleBuckets.data(this, "ExportBucket", logs, exportKey);
        access = new PersonalizeServiceRole(this, "PersonalizeAccess");
        access.grantImportFrom(exportBucket, "imports/");
        access.grantExportTo(exportBucket, "exports/", exportKey);
        access.grantDatasetGroupKey(datasetGroup);
        ExampleBuckets.allowFolderWildcards(access, "ExportBucket");

        // the sample data, then its import, then the export of what was imported
        BucketDeployment sampleData = ExampleBuckets.sampleData(this, exportBucket, SampleData.custom(), production);
        DatasetImportJob interactionsImport = interactionsData.addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(exportBucket, "imports/interactions/"))
                .role(access.getRole())
                .build());
        interactionsImport.getNode().addDependency(sampleData);
        DatasetExportJob export = interactionsData.addExportJob("Export", DatasetExportJobOptions.builder()
                .bucket(exportBucket)
                .prefix("exports/")
                .outputKey(exportKey)
                .ingestionMode(IngestionMode.ALL)
                .role(access.getRole())
                .build());
        export.getNode().addDependency(interactionsImport);
    }

    public DatasetGroup getDatasetGroup() {
        return datasetGroup;
    }

    public Key getKey() {
        return key;
    }

    /** @return the key export jobs encrypt their output with */
    public Key getExportKey() {
        return exportKey;
    }

    /** @return the SSE-KMS bucket exports write to ({@code exports/}) */
    public Bucket getExportBucket() {
        return exportBucket;
    }

    /** @return the role Personalize uses for exports of the encrypted group */
    public PersonalizeServiceRole getAccess() {
        return access;
    }
}
