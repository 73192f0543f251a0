package io.github.personalizecdk.examples;

import io.github.personalizecdk.DataSource;
import io.github.personalizecdk.Dataset;
import io.github.personalizecdk.DatasetGroup;
import io.github.personalizecdk.DatasetImportJob;
import io.github.personalizecdk.DatasetImportJobOptions;
import io.github.personalizecdk.DatasetOptions;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.Domain;
import io.github.personalizecdk.FieldType;
import io.github.personalizecdk.ImportMode;
import io.github.personalizecdk.PersonalizeServiceRole;
import io.github.personalizecdk.Schema;
import io.github.personalizecdk.SchemaDefinition;
import io.github.personalizecdk.SchemaField;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.constructs.Construct;

/**
 * An ECOMMERCE Domain dataset group with Interactions, Items and Users datasets, a data bucket
 * Personalize may import from ({@code imports/}) and export to ({@code exports/}), a FULL import job per
 * dataset, and an INCREMENTAL interactions import that runs after the first one. Every import waits for the
 * deployment of the {@link SampleData#ecommerce() sample data} into {@code imports/}.
 */
public class EcommerceStack extends Stack {
    private final DatasetGroup datasetGroup;
    private final Bucket dataBucket;
    private final PersonalizeServiceRole access;

    public EcommerceStack(Construct scope, String id) {
        this(scope, id, null);
    }

    public EcommerceStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        ProductionSettings production = ProductionSettings.applyIfEnabled(this);

        datasetGroup = DatasetGroup.Builder.create(this, "Group")
                .domain(Domain.ECOMMERCE)
                .build();

        Schema interactions = Schema.Builder.create(this, "InteractionsSchema")
                .domain(Domain.ECOMMERCE)
                .definition(SchemaDefinition.fromJson(resource("/schemas/ecommerce-interactions.json")))
                .build();
        Schema items = Schema.Builder.create(this, "ItemsSchema")
                .domain(Domain.ECOMMERCE)
                .definition(SchemaDefinition.fromFields("Items",
                        SchemaField.of("ITEM_ID", FieldType.STRING),
                        SchemaField.of("PRICE", FieldType.FLOAT),
                        SchemaField.of("CATEGORY_L1", FieldType.STRING).categorical(),
                        SchemaField.of("CATEGORY_L2", FieldType.STRING).categorical().nullable(),
                        SchemaField.of("PRODUCT_DESCRIPTION", FieldType.STRING).textual().nullable(),
                        SchemaField.of("CREATION_TIMESTAMP", FieldType.LONG)))
                .build();
        Schema users = Schema.Builder.create(this, "UsersSchema")
                .domain(Domain.ECOMMERCE)
                .definition(SchemaDefinition.fromFields("Users",
                        SchemaField.of("USER_ID", FieldType.STRING),
                        SchemaField.of("MEMBERSHIP_STATUS", FieldType.STRING).categorical().nullable()))
                .build();

        Bucket logs = ExampleBuckets.accessLogs(this);
        // SSE-KMS with the production settings, SSE-S3 otherwise
        Key dataKey = production == null ? null : Key.Builder.create(this, "DataKey")
                .description("Encrypts the Personalize data bucket of " + id)
                .enableKeyRotation(true)
                .build();
        dataBucket = ExampleBuckets.data(this, "DataBucket", logs, dataKey);
        access = new PersonalizeServiceRole(this, "PersonalizeAccess");
        access.grantImportFrom(dataBucket, "imports/");
        access.grantExportTo(dataBucket, "exports/", null);
        ExampleBuckets.allowFolderWildcards(access, "DataBucket");

        Dataset interactionsData = datasetGroup.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(interactions).build());
        Dataset itemsData = datasetGroup.addDataset("Items", DatasetOptions.builder()
                .datasetType(DatasetType.ITEMS).schema(items).build());
        Dataset usersData = datasetGroup.addDataset("Users", DatasetOptions.builder()
                .datasetType(DatasetType.USERS).schema(users).build());

        // a bulk (FULL) import per dataset, then new interactions appended once the first import is ACTIVE
        DatasetImportJob interactionsImport = interactionsData.addImportJob("Import", importFrom("imports/interactions/"));
        DatasetImportJob itemsImport = itemsData.addImportJob("Import", importFrom("imports/items/"));
        DatasetImportJob usersImport = usersData.addImportJob("Import", importFrom("imports/users/"));
        DatasetImportJob incremental = interactionsData.addImportJob("IncrementalImport", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(dataBucket, "imports/interactions-incremental/"))
                .importMode(ImportMode.INCREMENTAL)
                .role(access.getRole())
                .build());
        incremental.getNode().addDependency(interactionsImport);

        // the sample data is in the bucket before any import reads it
        BucketDeployment sampleData = ExampleBuckets.sampleData(this, dataBucket, SampleData.ecommerce(), production);
        for (DatasetImportJob job : List.of(interactionsImport, itemsImport, usersImport, incremental)) {
            job.getNode().addDependency(sampleData);
        }
    }

    private DatasetImportJobOptions importFrom(String folder) {
        return DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(dataBucket, folder))
                .role(access.getRole())
                .build();
    }

    public DatasetGroup getDatasetGroup() {
        return datasetGroup;
    }

    /** @return the bucket imports read from ({@code imports/}) and exports write to ({@code exports/}) */
    public Bucket getDataBucket() {
        return dataBucket;
    }

    /** @return the role Personalize uses for this bucket */
    public PersonalizeServiceRole getAccess() {
        return access;
    }

    static String resource(String name) {
        try (InputStream in = EcommerceStack.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
