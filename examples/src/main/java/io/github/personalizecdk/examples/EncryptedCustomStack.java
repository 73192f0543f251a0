package io.github.personalizecdk.examples;

import io.github.personalizecdk.DatasetGroup;
import io.github.personalizecdk.DatasetOptions;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.FieldType;
import io.github.personalizecdk.Schema;
import io.github.personalizecdk.SchemaDefinition;
import io.github.personalizecdk.SchemaField;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/** A custom dataset group encrypted with a customer managed KMS key. */
public class EncryptedCustomStack extends Stack {
    private final DatasetGroup datasetGroup;
    private final Key key;

    public EncryptedCustomStack(Construct scope, String id) {
        this(scope, id, null);
    }

    public EncryptedCustomStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);

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

        datasetGroup.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(interactions).build());
    }

    public DatasetGroup getDatasetGroup() {
        return datasetGroup;
    }

    public Key getKey() {
        return key;
    }
}
