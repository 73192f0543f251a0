package io.github.personalizecdk.it.lifecycle;

import io.github.personalizecdk.DataSource;
import io.github.personalizecdk.Dataset;
import io.github.personalizecdk.DatasetGroup;
import io.github.personalizecdk.DatasetGroupAttributes;
import io.github.personalizecdk.DatasetGroupProps;
import io.github.personalizecdk.IDatasetGroup;
import io.github.personalizecdk.DatasetImportJob;
import io.github.personalizecdk.DatasetImportJobOptions;
import io.github.personalizecdk.ImportMode;
import io.github.personalizecdk.DatasetOptions;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.FieldType;
import io.github.personalizecdk.Schema;
import io.github.personalizecdk.SchemaDefinition;
import io.github.personalizecdk.SchemaField;
import io.github.personalizecdk.SchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * The app the lifecycle scenarios deploy, one version at a time: a custom dataset group (optionally encrypted
 * with a key of the given construct id), an Interactions and an Items dataset (or, with {@code actions}, an
 * Actions and an Action interactions dataset), each with one import: interactions from the app's bucket
 * ({@link DataSource#fromBucket}), the others from {@link #ITEMS_DATA} ({@link DataSource#fromUri}).
 *
 * @param items the Items schema's fields
 * @param keyId the construct id of the group's KMS key, or null for no key
 * @param interactions the Interactions schema's fields
 * @param moreItems    whether the Items dataset has a second, INCREMENTAL import from {@link #MORE_ITEMS_DATA}
 * @param groupArn     an existing custom group to import with {@code DatasetGroup.fromDatasetGroupAttributes}
 *                     instead of creating one, or null
 * @param removal      the removal policy of the group, schemas and datasets, or null for the default
 */
record ShopApp(List<SchemaField> items, String keyId, List<SchemaField> interactions, boolean actions,
        boolean moreItems, String groupArn, RemovalPolicy removal) {
    static final String STACK = "Shop";
    static final String ITEMS_DATA = "s3://shop-data/items/";
    static final String MORE_ITEMS_DATA = "s3://shop-data/items-more/";
    static final String ACTIONS_DATA = "s3://shop-data/actions/";
    static final String ACTION_INTERACTIONS_DATA = "s3://shop-data/action-interactions/";

    static ShopApp v1() {
        return new ShopApp(List.of(SchemaField.of("ITEM_ID", FieldType.STRING),
                SchemaField.of("CATEGORY", FieldType.STRING).categorical(), SchemaField.of("PRICE", FieldType.FLOAT)),
                null,
                List.of(SchemaField.of("USER_ID", FieldType.STRING), SchemaField.of("ITEM_ID", FieldType.STRING),
                        SchemaField.of("EVENT_TYPE", FieldType.STRING), SchemaField.of("TIMESTAMP", FieldType.LONG)),
                false, false, null, null);
    }

    ShopApp withItems(SchemaField... fields) {
        return new ShopApp(List.of(fields), keyId, interactions, actions, moreItems, groupArn, removal);
    }

    ShopApp withItemField(SchemaField field) {
        List<SchemaField> more = new ArrayList<>(items);
        more.add(field);
        return new ShopApp(more, keyId, interactions, actions, moreItems, groupArn, removal);
    }

    ShopApp withKey(String id) {
        return new ShopApp(items, id, interactions, actions, moreItems, groupArn, removal);
    }

    ShopApp withInteractions(SchemaField... fields) {
        return new ShopApp(items, keyId, List.of(fields), actions, moreItems, groupArn, removal);
    }

    ShopApp withActions() {
        return new ShopApp(items, keyId, interactions, true, moreItems, groupArn, removal);
    }

    ShopApp withExistingGroup(String arn) {
        return new ShopApp(items, keyId, interactions, actions, moreItems, arn, removal);
    }

    ShopApp withRemoval(RemovalPolicy policy) {
        return new ShopApp(items, keyId, interactions, actions, moreItems, groupArn, policy);
    }

    ShopApp withMoreItems() {
        return new ShopApp(items, keyId, interactions, actions, true, groupArn, removal);
    }

    /** @return the template, as {@code Template.fromStack(..).toJSON()} gives it */
    Map<String, Object> synth() {
        Stack stack = new Stack(new App(), STACK);
        IDatasetGroup group = groupArn != null
                ? DatasetGroup.fromDatasetGroupAttributes(stack, "ShopGroup",
                        DatasetGroupAttributes.builder().datasetGroupArn(groupArn).custom(true).build())
                : new DatasetGroup(stack, "ShopGroup", DatasetGroupProps.builder()
                        .encryptionKey(keyId == null ? null : new Key(stack, keyId))
                        .removalPolicy(removal)
                        .build());
        Bucket bucket = new Bucket(stack, "Data");
        Dataset first = dataset(stack, group, "Interactions", DatasetType.INTERACTIONS, interactions);
        first.addImportJob("InteractionsImport", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "interactions/")).build());
        Dataset second = dataset(stack, group, "Items", DatasetType.ITEMS, items);
        DatasetImportJob itemsImport = second.addImportJob("ItemsImport", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri(ITEMS_DATA)).build());
        if (moreItems) {
            second.addImportJob("MoreItemsImport", DatasetImportJobOptions.builder()
                    .dataSource(DataSource.fromUri(MORE_ITEMS_DATA)).importMode(ImportMode.INCREMENTAL).build())
                    .getNode().addDependency(itemsImport);
        }
        if (actions) {
            dataset(stack, group, "Actions", DatasetType.ACTIONS, List.of(
                    SchemaField.of("ACTION_ID", FieldType.STRING), SchemaField.of("VALUE", FieldType.FLOAT).nullable()))
                    .addImportJob("ActionsImport", DatasetImportJobOptions.builder()
                            .dataSource(DataSource.fromUri(ACTIONS_DATA)).build());
            dataset(stack, group, "ActionInteractions", DatasetType.ACTION_INTERACTIONS, List.of(
                    SchemaField.of("USER_ID", FieldType.STRING), SchemaField.of("ACTION_ID", FieldType.STRING),
                    SchemaField.of("EVENT_TYPE", FieldType.STRING), SchemaField.of("TIMESTAMP", FieldType.LONG)))
                    .addImportJob("ActionInteractionsImport", DatasetImportJobOptions.builder()
                            .dataSource(DataSource.fromUri(ACTION_INTERACTIONS_DATA)).build());
        }
        return Template.fromStack(stack).toJSON();
    }

    private Dataset dataset(Stack stack, IDatasetGroup group, String id, DatasetType type,
            List<SchemaField> fields) {
        Schema schema = new Schema(stack, id + "Schema", SchemaProps.builder().removalPolicy(removal)
                .definition(SchemaDefinition.fromFields(id, fields.toArray(SchemaField[]::new))).build());
        return group.addDataset(id, DatasetOptions.builder().datasetType(type).schema(schema).removalPolicy(removal)
                .build());
    }
}
