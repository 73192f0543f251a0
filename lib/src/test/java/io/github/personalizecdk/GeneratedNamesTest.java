package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.contract.NameRules;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * Generated names end in a hash of the resource's create-only inputs: they change exactly when a change would
 * replace the resource (so the replacement never collides with the resource it replaces, which CloudFormation
 * keeps until cleanup or retains), and stay otherwise. Explicit names warn.
 */
class GeneratedNamesTest {
    private static final String FORM = "[a-zA-Z0-9][a-zA-Z0-9\\-_]*-[0-9A-F]{8}-[0-9a-f]{8}";

    // dataset groups: domain, KMS key, role

    private static String groupName(BiConsumer<Stack, DatasetGroup.Builder> customize) {
        Stack stack = TestApps.stack();
        DatasetGroup.Builder builder = DatasetGroup.Builder.create(stack, "Group");
        customize.accept(stack, builder);
        return builder.build().getDatasetGroupName();
    }

    @Test
    void groupNameChangesWithDomainKeyAndRole() {
        String plain = groupName((s, b) -> { });
        String domain = groupName((s, b) -> b.domain(Domain.ECOMMERCE));
        String otherDomain = groupName((s, b) -> b.domain(Domain.VIDEO_ON_DEMAND));
        String key = groupName((s, b) -> b.encryptionKey(new Key(s, "Key")));
        String otherKey = groupName((s, b) -> b.encryptionKey(new Key(s, "OtherKey")));
        String importedKey = groupName((s, b) -> b.encryptionKey(Key.fromKeyArn(s, "Imported",
                "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")));
        String ownRole = groupName((s, b) -> b.encryptionKey(new Key(s, "Key")).encryptionRole(Role.Builder
                .create(s, "Role").assumedBy(PersonalizeServiceRole.servicePrincipal(s)).build()));

        assertThat(List.of(plain, domain, otherDomain, key, otherKey, importedKey, ownRole))
                .doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).startsWith("Stack-Group-").matches(FORM));
        // only the hash of the inputs differs: the path part stays
        assertThat(domain.substring(0, domain.length() - 8)).isEqualTo(plain.substring(0, plain.length() - 8));
    }

    @Test
    void groupNameStaysWhenNothingCreateOnlyChanges() {
        String plain = groupName((s, b) -> { });
        assertThat(groupName((s, b) -> Tags.of(s).add("team", "ml"))).isEqualTo(plain);
        assertThat(groupName((s, b) -> b.removalPolicy(RemovalPolicy.DESTROY))).isEqualTo(plain);
        assertThat(groupName((s, b) -> new Bucket(s, "Data"))).isEqualTo(plain);
        assertThat(groupName((s, b) -> new DatasetGroup(s, "Other"))).isEqualTo(plain);
        String key = groupName((s, b) -> b.encryptionKey(new Key(s, "Key")));
        assertThat(groupName((s, b) -> b.encryptionKey(Key.Builder.create(s, "Key").enableKeyRotation(true).build())))
                .as("a key property that does not change the key's ARN").isEqualTo(key);
    }

    // schemas: compact definition, domain

    private static String schemaName(SchemaDefinition definition, BiConsumer<Stack, Schema.Builder> customize) {
        Stack stack = TestApps.stack();
        Schema.Builder builder = Schema.Builder.create(stack, "Schema").definition(definition);
        customize.accept(stack, builder);
        return builder.build().getSchemaName();
    }

    @Test
    void schemaNameChangesWithDefinitionAndDomainButNotWithWhitespace() {
        String plain = schemaName(TestApps.interactions(), (s, b) -> { });
        String domain = schemaName(TestApps.interactions(), (s, b) -> b.domain(Domain.ECOMMERCE));
        String addedField = schemaName(SchemaDefinition.fromJson(TestApps.INTERACTIONS_JSON.replace(
                "{\"name\": \"TIMESTAMP\", \"type\": \"long\"}",
                "{\"name\": \"TIMESTAMP\", \"type\": \"long\"}, {\"name\": \"DEVICE\", \"type\": [\"null\", \"string\"]}")),
                (s, b) -> { });
        String reformatted = schemaName(SchemaDefinition.fromJson(TestApps.INTERACTIONS_JSON.replace("\n", "\n\n  ")),
                (s, b) -> { });

        assertThat(List.of(plain, domain, addedField)).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches(FORM));
        assertThat(reformatted).as("the template carries the compact text: whitespace is no change").isEqualTo(plain);
        assertThat(schemaName(TestApps.interactions(), (s, b) -> b.removalPolicy(RemovalPolicy.DESTROY)))
                .isEqualTo(plain);
        assertThat(schemaName(TestApps.interactions(), (s, b) -> Tags.of(s).add("team", "ml"))).isEqualTo(plain);
        assertThat(schemaName(TestApps.interactions(), (s, b) -> new DatasetGroup(s, "Group"))).isEqualTo(plain);
    }

    // datasets: group name, type; not the schema, which changes in place

    private static String datasetName(DatasetType type, SchemaDefinition definition,
            BiConsumer<Stack, DatasetGroup.Builder> group, Consumer<Dataset.Builder> customize) {
        Stack stack = TestApps.stack();
        DatasetGroup.Builder groupBuilder = DatasetGroup.Builder.create(stack, "Group");
        group.accept(stack, groupBuilder);
        Dataset.Builder builder = Dataset.Builder.create(stack, "Dataset")
                .datasetGroup(groupBuilder.build())
                .datasetType(type)
                .schema(Schema.Builder.create(stack, "Schema").definition(definition).build());
        customize.accept(builder);
        return builder.build().getDatasetName();
    }

    @Test
    void datasetNameChangesWithGroupAndTypeButNotWithTheSchema() {
        SchemaDefinition users = TestApps.users(1);
        String plain = datasetName(DatasetType.USERS, users, (s, g) -> { }, d -> { });
        String otherGroup = datasetName(DatasetType.USERS, users, (s, g) -> g.datasetGroupName("shop"), d -> { });
        String replacedGroup = datasetName(DatasetType.USERS, users, (s, g) -> g.encryptionKey(new Key(s, "Key")), d -> { });
        String otherType = datasetName(DatasetType.ITEMS, SchemaDefinition.fromFields("Items",
                SchemaField.of("ITEM_ID", FieldType.STRING), SchemaField.of("GENRE", FieldType.STRING).categorical()),
                (s, g) -> { }, d -> { });

        assertThat(List.of(plain, otherGroup, replacedGroup, otherType)).doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).startsWith("Stack-Dataset-").matches(FORM));
        assertThat(datasetName(DatasetType.USERS, TestApps.users(2), (s, g) -> { }, d -> { }))
                .as("a new schema replaces the dataset's schema in place").isEqualTo(plain);
        assertThat(datasetName(DatasetType.USERS, users, (s, g) -> { }, d -> d.removalPolicy(RemovalPolicy.DESTROY)))
                .isEqualTo(plain);
        assertThat(datasetName(DatasetType.USERS, users, (s, g) -> g.removalPolicy(RemovalPolicy.DESTROY), d -> { }))
                .as("a group change that does not replace the group").isEqualTo(plain);
    }

    @Test
    void generatedNamesFitPersonalizesRuleForDeepAndLongPaths() {
        Stack stack = new Stack(new software.amazon.awscdk.App(), "S".repeat(120));
        software.constructs.Construct deep = new software.constructs.Construct(
                new software.constructs.Construct(stack, "Level-1_" + "x".repeat(80)), "Level2");
        DatasetGroup group = DatasetGroup.Builder.create(deep, "G".repeat(200)).domain(Domain.ECOMMERCE).build();
        Schema schema = Schema.Builder.create(deep, "Schema" + "s".repeat(150)).domain(Domain.ECOMMERCE)
                .definition(TestApps.interactions()).build();
        Dataset dataset = group.addDataset("D".repeat(255), DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());

        for (String name : List.of(group.getDatasetGroupName(), schema.getSchemaName(), dataset.getDatasetName())) {
            assertThat(name).hasSize(NameRules.MAX_LENGTH).matches(NameRules.PATTERN).matches(".*-[0-9a-f]{8}");
        }
    }

    @Test
    void namesAreStableAcrossSynthsOfTheSameApp() {
        String first = datasetName(DatasetType.USERS, TestApps.users(1), (s, g) -> g.encryptionKey(new Key(s, "Key")), d -> { });
        String second = datasetName(DatasetType.USERS, TestApps.users(1), (s, g) -> g.encryptionKey(new Key(s, "Key")), d -> { });
        assertThat(second).isEqualTo(first);
    }

    // explicit names

    @Test
    void explicitNamesWarnThatACreateOnlyChangeWouldCollide() {
        Stack stack = TestApps.stack();
        DatasetGroup group = DatasetGroup.Builder.create(stack, "Group").datasetGroupName("shop").build();
        Schema schema = Schema.Builder.create(stack, "Schema").schemaName("clicks")
                .definition(TestApps.interactions()).build();
        group.addDataset("Interactions", DatasetOptions.builder().datasetType(DatasetType.INTERACTIONS)
                .schema(schema).datasetName("clicks").build());

        Annotations annotations = Annotations.fromStack(stack);
        annotations.hasWarning("/Stack/Group", "DatasetGroup 'Stack/Group': datasetGroupName \"shop\" is fixed, "
                + "so a change to domain, encryptionKey or encryptionRole fails the deployment: it replaces the "
                + "dataset group, the replacement is created under the same name while the old one still exists, "
                + "and Personalize refuses it (already exists). Leave datasetGroupName unset for a generated name "
                + "that changes with domain, encryptionKey and encryptionRole, or change the name together with "
                + "them. [ack: personalize-cdk:explicitDatasetGroupName]");
        annotations.hasWarning("/Stack/Schema", "Schema 'Stack/Schema': schemaName \"clicks\" is fixed, so a "
                + "change to definition or domain fails the deployment: it replaces the schema, the replacement is "
                + "created under the same name while the old one still exists, and Personalize refuses it (already "
                + "exists). Leave schemaName unset for a generated name that changes with definition and domain, "
                + "or change the name together with them. [ack: personalize-cdk:explicitSchemaName]");
        annotations.hasWarning("/Stack/Group/Interactions", "Dataset 'Stack/Group/Interactions': datasetName "
                + "\"clicks\" is fixed, so a change to datasetType or datasetGroup fails the deployment: it replaces "
                + "the dataset, the replacement is created under the same name while the old one still exists, and "
                + "Personalize refuses it (already exists). Leave datasetName unset for a generated name that "
                + "changes with datasetType and datasetGroup, or change the name together with them. A new schema "
                + "keeps the dataset (UpdateDataset), whatever its name. [ack: personalize-cdk:explicitDatasetName]");
    }

    @Test
    void generatedNamesDoNotWarn() {
        Stack stack = TestApps.stack();
        DatasetGroup group = new DatasetGroup(stack, "Group");
        group.addDataset("Interactions", DatasetOptions.builder().datasetType(DatasetType.INTERACTIONS)
                .schema(Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build()).build());
        Annotations.fromStack(stack).hasNoWarning("*", Match.stringLikeRegexp(".*is fixed.*"));
    }
}
