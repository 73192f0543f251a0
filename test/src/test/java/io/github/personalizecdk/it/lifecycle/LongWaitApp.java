package io.github.personalizecdk.it.lifecycle;

import io.github.personalizecdk.DataSource;
import io.github.personalizecdk.Dataset;
import io.github.personalizecdk.DatasetExportJobOptions;
import io.github.personalizecdk.DatasetGroup;
import io.github.personalizecdk.DatasetGroupProps;
import io.github.personalizecdk.DatasetImportJob;
import io.github.personalizecdk.DatasetImportJobOptions;
import io.github.personalizecdk.DatasetOptions;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.FieldType;
import io.github.personalizecdk.Schema;
import io.github.personalizecdk.SchemaDefinition;
import io.github.personalizecdk.SchemaField;
import io.github.personalizecdk.SchemaProps;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.ssm.StringParameter;

/**
 * The app of the long-wait scenarios: a dataset group with an Items dataset, one import from {@code location}
 * waiting up to {@code timeout}, and downstream of it an SSM parameter holding the job's ARN
 * ({@code getJobArn()}) and a second, INCREMENTAL import that depends on the job ({@code node.addDependency}).
 *
 * @param failingSibling a location of a second, unrelated import (with the default short wait), or null
 * @param exportTimeout  the timeout of an export of the Items dataset to {@link #EXPORTS} after the imports, or
 *                       null for no export
 * @param keyId          the construct id of the group's KMS key, or null for none
 */
record LongWaitApp(String location, Duration timeout, String failingSibling, Duration exportTimeout, String keyId) {
    static final String STACK = "LongShop";
    static final String MORE = "s3://shop-data/items-more/";
    static final String EXPORT_BUCKET = "long-shop-exports";
    static final String EXPORTS = "s3://" + EXPORT_BUCKET + "/out/";

    static LongWaitApp of(String location, Duration timeout) {
        return new LongWaitApp(location, timeout, null, null, null);
    }

    LongWaitApp withSibling(String siblingLocation) {
        return new LongWaitApp(location, timeout, siblingLocation, exportTimeout, keyId);
    }

    LongWaitApp withExport(Duration timeout) {
        return new LongWaitApp(location, this.timeout, failingSibling, timeout, keyId);
    }

    LongWaitApp withKey(String id) {
        return new LongWaitApp(location, timeout, failingSibling, exportTimeout, id);
    }

    Map<String, Object> synth() {
        Stack stack = new Stack(new App(), STACK);
        DatasetGroup group = new DatasetGroup(stack, "ShopGroup", DatasetGroupProps.builder()
                .encryptionKey(keyId == null ? null : new software.amazon.awscdk.services.kms.Key(stack, keyId))
                .build());
        Schema schema = new Schema(stack, "ItemsSchema", SchemaProps.builder()
                .definition(SchemaDefinition.fromFields("Items", SchemaField.of("ITEM_ID", FieldType.STRING),
                        SchemaField.of("PRICE", FieldType.FLOAT)))
                .build());
        Dataset items = group.addDataset("Items", DatasetOptions.builder().datasetType(DatasetType.ITEMS)
                .schema(schema).build());
        DatasetImportJob bulk = items.addImportJob("Bulk", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri(location)).timeout(timeout).build());
        StringParameter.Builder.create(stack, "BulkJobArn").stringValue(bulk.getJobArn()).build();
        DatasetImportJob more = items.addImportJob("More", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri(MORE)).importMode(io.github.personalizecdk.ImportMode.INCREMENTAL)
                .build());
        more.getNode().addDependency(bulk);
        if (exportTimeout != null) {
            items.addExportJob("Export", DatasetExportJobOptions.builder()
                    .bucket(Bucket.Builder.create(stack, "Exports").bucketName(EXPORT_BUCKET).build())
                    .prefix("out/").timeout(exportTimeout).build()).getNode().addDependency(more);
        }
        if (failingSibling != null) {
            Schema usersSchema = new Schema(stack, "UsersSchema", SchemaProps.builder()
                    .definition(SchemaDefinition.fromFields("Users", SchemaField.of("USER_ID", FieldType.STRING),
                            SchemaField.of("AGE", FieldType.INT)))
                    .build());
            group.addDataset("Users", DatasetOptions.builder().datasetType(DatasetType.USERS).schema(usersSchema)
                    .build()).addImportJob("Users", DatasetImportJobOptions.builder()
                    .dataSource(DataSource.fromUri(failingSibling)).build());
        }
        return Template.fromStack(stack).toJSON();
    }
}
