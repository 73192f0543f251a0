package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.IBucket;

/** Every synth-time rule, each with a bad input and the exact message it must produce. */
class ValidationTest {
    private static final String NAME_FORM =
            "expected 1-63 characters of letters, digits, '-' and '_', starting with a letter or digit";
    private static final String INTERACTIONS_REQUIRED = "required: USER_ID (string), ITEM_ID (string), TIMESTAMP (long)";
    private static final String IMPORT_PREFIX_FORM = "a folder ending in '/' such as 'imports/', an object key such "
            + "as 'imports/data.csv', or null for the whole bucket";
    private static final String FIELD_TYPES =
            "allowed: string, int, long, float, double, boolean, or a union of null and one of them";

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputFailsAtSynthWithAnExactMessage(String description, Consumer<Stack> build, String message) {
        assertThatThrownBy(() -> build.accept(TestApps.stack()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // names
                bad("dataset group name with a space", s -> group(s, "my group"),
                        "DatasetGroup 'Stack/Group': datasetGroupName \"my group\" has invalid characters; " + NAME_FORM),
                bad("dataset group name of 64 characters", s -> group(s, "a".repeat(64)),
                        "DatasetGroup 'Stack/Group': datasetGroupName \"" + "a".repeat(64) + "\" has 64 characters; "
                                + NAME_FORM),
                bad("empty dataset group name", s -> group(s, ""),
                        "DatasetGroup 'Stack/Group': datasetGroupName \"\" has 0 characters; " + NAME_FORM),
                bad("dataset group name starting with '-'", s -> group(s, "-shop"),
                        "DatasetGroup 'Stack/Group': datasetGroupName \"-shop\" has invalid characters; " + NAME_FORM),
                bad("schema name with a dot", s -> Schema.Builder.create(s, "Schema").schemaName("clicks.v1")
                                .definition(TestApps.interactions()).build(),
                        "Schema 'Stack/Schema': schemaName \"clicks.v1\" has invalid characters; " + NAME_FORM),
                bad("dataset name of 70 characters", s -> Dataset.Builder.create(s, "Dataset")
                                .datasetGroup(new DatasetGroup(s, "Group")).datasetType(DatasetType.INTERACTIONS)
                                .schema(schema(s, null, TestApps.interactions())).datasetName("d".repeat(70)).build(),
                        "Dataset 'Stack/Dataset': datasetName \"" + "d".repeat(70) + "\" has 70 characters; "
                                + NAME_FORM),
                // KMS
                bad("encryption role without a key", s -> DatasetGroup.Builder.create(s, "Group")
                                .encryptionRole(Role.Builder.create(s, "Role")
                                        .assumedBy(new ServicePrincipal("personalize.amazonaws.com")).build())
                                .build(),
                        "DatasetGroup 'Stack/Group': encryptionRole is set but encryptionKey is not; "
                                + "expected encryptionRole only together with encryptionKey"),
                bad("encryption key given as an alias ARN", s -> DatasetGroup.Builder.create(s, "Group")
                                .encryptionKey(Key.fromKeyArn(s, "Key",
                                        "arn:aws:kms:us-east-1:123456789012:alias/personalize"))
                                .build(),
                        "DatasetGroup 'Stack/Group': encryptionKey ARN \"arn:aws:kms:us-east-1:123456789012:"
                                + "alias/personalize\" is not a key ARN; expected arn:<partition>:kms:<region>:"
                                + "<account>:key/<key-id> (an alias ARN is not accepted)"),
                // schema text
                bad("schema without definition", s -> Schema.Builder.create(s, "Schema").build(),
                        "Schema 'Stack/Schema': definition is required; "
                                + "expected SchemaDefinition.fromFile(..), fromJson(..) or fromFields(..)"),
                bad("schema that is not JSON", s -> schema(s, null, SchemaDefinition.fromJson("{not json")),
                        "Schema 'Stack/Schema': definition (JSON string) is not valid JSON: Unexpected character "
                                + "('n' (code 110)): was expecting double-quote to start field name; "
                                + "expected an Avro record schema as JSON"),
                bad("record without a name", s -> schema(s, null,
                                SchemaDefinition.fromJson("{\"type\":\"record\",\"fields\":[]}")),
                        "Schema 'Stack/Schema': definition (JSON string) is not a valid Avro schema: "
                                + "No name in schema: {\"type\":\"record\",\"fields\":[]}; "
                                + "expected an Avro record schema as JSON"),
                bad("top-level type that is not a record", s -> schema(s, null, SchemaDefinition.fromJson("\"string\"")),
                        "Schema 'Stack/Schema': definition (JSON string) is not a valid Avro schema: "
                                + "top-level type is string, not record; expected an Avro record schema as JSON"),
                bad("record without fields", s -> schema(s, null, TestApps.fields("")),
                        "Schema 'Stack/Schema': definition (JSON string): record has no fields; "
                                + "allowed: a record with the fields of one dataset type"),
                bad("array field", s -> schema(s, null, TestApps.fields(
                                "{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"TAGS\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}")),
                        "Schema 'Stack/Schema': definition (JSON string): field TAGS has type array; " + FIELD_TYPES),
                bad("union of two non-null types", s -> schema(s, null, TestApps.fields(
                                "{\"name\":\"X\",\"type\":[\"string\",\"int\"]}")),
                        "Schema 'Stack/Schema': definition (JSON string): field X has type [string, int]; "
                                + FIELD_TYPES),
                bad("categorical long field", s -> schema(s, null, TestApps.fields(
                                "{\"name\":\"RANK\",\"type\":\"long\",\"categorical\":true}")),
                        "Schema 'Stack/Schema': definition (JSON string): field RANK is categorical but has type long; "
                                + "allowed: categorical on string fields only"),
                bad("textual int field", s -> schema(s, null, TestApps.fields(
                                "{\"name\":\"SIZE\",\"type\":\"int\",\"textual\":true}")),
                        "Schema 'Stack/Schema': definition (JSON string): field SIZE is textual but has type int; "
                                + "allowed: textual on string fields only"),
                bad("TIMESTAMP as string", s -> schema(s, null, TestApps.fields(
                                "{\"name\":\"TIMESTAMP\",\"type\":\"string\"}")),
                        "Schema 'Stack/Schema': definition (JSON string): reserved field TIMESTAMP has type string; "
                                + "allowed: long"),
                bad("EVENT_VALUE as string", s -> schema(s, null, TestApps.fields(
                                "{\"name\":\"EVENT_VALUE\",\"type\":\"string\"}")),
                        "Schema 'Stack/Schema': definition (JSON string): reserved field EVENT_VALUE has type string; "
                                + "allowed: float (or a union of null and float)"),
                bad("CREATION_TIMESTAMP as nullable int", s -> schema(s, null, TestApps.fields(
                                "{\"name\":\"CREATION_TIMESTAMP\",\"type\":[\"null\",\"int\"]}")),
                        "Schema 'Stack/Schema': definition (JSON string): reserved field CREATION_TIMESTAMP has type "
                                + "[null, int]; allowed: long (or a union of null and long)"),
                bad("schema text over CloudFormation's limit", s -> schema(s, null,
                                SchemaDefinition.fromJson(TestApps.definitionOfLength(10_001))),
                        "Schema 'Stack/Schema': definition (JSON string) has 10001 characters without whitespace; "
                                + "allowed: at most 10000 (CloudFormation's limit for AWS::Personalize::Schema)"),
                // schema against dataset type and domain
                bad("interactions without TIMESTAMP", s -> dataset(s, null, null, DatasetType.INTERACTIONS,
                                TestApps.fields("{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"ITEM_ID\",\"type\":\"string\"}")),
                        "Dataset 'Stack/Dataset': schema lacks required field TIMESTAMP for datasetType INTERACTIONS; "
                                + INTERACTIONS_REQUIRED),
                bad("interactions with nullable USER_ID", s -> dataset(s, null, null, DatasetType.INTERACTIONS,
                                TestApps.fields("{\"name\":\"USER_ID\",\"type\":[\"null\",\"string\"]},"
                                        + "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}")),
                        "Dataset 'Stack/Dataset': schema field USER_ID has type [null, string] for datasetType "
                                + "INTERACTIONS; required: USER_ID (string)"),
                bad("users without metadata", s -> dataset(s, null, null, DatasetType.USERS, TestApps.users(0)),
                        "Dataset 'Stack/Dataset': schema has 0 metadata fields besides USER_ID for datasetType USERS; "
                                + "allowed: 1 to 25"),
                bad("users with 26 metadata fields", s -> dataset(s, null, null, DatasetType.USERS, TestApps.users(26)),
                        "Dataset 'Stack/Dataset': schema has 26 metadata fields besides USER_ID for datasetType USERS; "
                                + "allowed: 1 to 25"),
                bad("items without metadata", s -> dataset(s, null, null, DatasetType.ITEMS,
                                TestApps.fields("{\"name\":\"ITEM_ID\",\"type\":\"string\"}")),
                        "Dataset 'Stack/Dataset': schema has 0 metadata fields besides ITEM_ID for datasetType ITEMS; "
                                + "allowed: 1 to 100"),
                bad("ECOMMERCE items without PRICE", s -> dataset(s, Domain.ECOMMERCE, Domain.ECOMMERCE,
                                DatasetType.ITEMS, TestApps.fields("{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"CATEGORY_L1\",\"type\":\"string\",\"categorical\":true}")),
                        "Dataset 'Stack/Dataset': schema lacks required field PRICE for datasetType ITEMS in domain "
                                + "ECOMMERCE; required: ITEM_ID (string), PRICE (float), CATEGORY_L1 (categorical string)"),
                bad("ECOMMERCE items with non-categorical CATEGORY_L1", s -> dataset(s, Domain.ECOMMERCE,
                                Domain.ECOMMERCE, DatasetType.ITEMS, TestApps.fields(
                                        "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"PRICE\",\"type\":\"float\"},"
                                        + "{\"name\":\"CATEGORY_L1\",\"type\":\"string\"}")),
                        "Dataset 'Stack/Dataset': schema field CATEGORY_L1 has type string for datasetType ITEMS in "
                                + "domain ECOMMERCE; required: CATEGORY_L1 (categorical string)"),
                bad("ECOMMERCE interactions without EVENT_TYPE", s -> dataset(s, Domain.ECOMMERCE, Domain.ECOMMERCE,
                                DatasetType.INTERACTIONS, TestApps.fields("{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}")),
                        "Dataset 'Stack/Dataset': schema lacks required field EVENT_TYPE for datasetType INTERACTIONS "
                                + "in domain ECOMMERCE; " + INTERACTIONS_REQUIRED + ", EVENT_TYPE (string)"),
                bad("textual field outside ITEMS", s -> dataset(s, null, null, DatasetType.USERS, TestApps.fields(
                                "{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"BIO\",\"type\":\"string\",\"textual\":true}")),
                        "Dataset 'Stack/Dataset': schema field BIO is textual; "
                                + "allowed: textual fields in ITEMS datasets only"),
                bad("ACTION_INTERACTIONS without EVENT_TYPE", s -> dataset(s, null, null,
                                DatasetType.ACTION_INTERACTIONS, TestApps.fields(
                                        "{\"name\":\"USER_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"ACTION_ID\",\"type\":\"string\"},"
                                        + "{\"name\":\"TIMESTAMP\",\"type\":\"long\"}")),
                        "Dataset 'Stack/Dataset': schema lacks required field EVENT_TYPE for datasetType "
                                + "ACTION_INTERACTIONS; required: USER_ID (string), ACTION_ID (string), "
                                + "EVENT_TYPE (string), TIMESTAMP (long)"),
                bad("domain schema in a custom group", s -> dataset(s, null, Domain.ECOMMERCE,
                                DatasetType.INTERACTIONS, TestApps.interactions()),
                        "Dataset 'Stack/Dataset': schema 'Stack/Schema' has domain ECOMMERCE but dataset group "
                                + "'Stack/Group' is a custom group; expected a schema without domain"),
                bad("custom schema in a domain group", s -> dataset(s, Domain.ECOMMERCE, null,
                                DatasetType.INTERACTIONS, TestApps.interactions()),
                        "Dataset 'Stack/Dataset': schema 'Stack/Schema' has no domain but dataset group 'Stack/Group' "
                                + "has domain ECOMMERCE; expected a schema with domain ECOMMERCE"),
                bad("schema of another domain", s -> dataset(s, Domain.ECOMMERCE, Domain.VIDEO_ON_DEMAND,
                                DatasetType.INTERACTIONS, TestApps.interactions()),
                        "Dataset 'Stack/Dataset': schema 'Stack/Schema' has domain VIDEO_ON_DEMAND but dataset group "
                                + "'Stack/Group' has domain ECOMMERCE; expected a schema with domain ECOMMERCE"),
                bad("second dataset of one type in a group", s -> {
                    Dataset first = dataset(s, null, null, DatasetType.INTERACTIONS, TestApps.interactions());
                    first.getDatasetGroup().addDataset("Second", DatasetOptions.builder()
                            .datasetType(DatasetType.INTERACTIONS).schema(first.getSchema()).build());
                },
                        "Dataset 'Stack/Group/Second': datasetType INTERACTIONS is already used by dataset "
                                + "'Stack/Dataset' in dataset group 'Stack/Group'; "
                                + "allowed: one dataset of each type per dataset group"),
                bad("dataset without type", s -> Dataset.Builder.create(s, "Dataset")
                                .datasetGroup(new DatasetGroup(s, "Group"))
                                .schema(schema(s, null, TestApps.interactions())).build(),
                        "Dataset 'Stack/Dataset': datasetType is required; "
                                + "expected one of INTERACTIONS, ITEMS, USERS, ACTIONS, ACTION_INTERACTIONS"),
                // imports and grants
                bad("dataset group ARN of a schema", s -> DatasetGroup.fromDatasetGroupArn(s, "Imported",
                                "arn:aws:personalize:us-east-1:123456789012:schema/x"),
                        "DatasetGroup 'Stack/Imported': datasetGroupArn \"arn:aws:personalize:us-east-1:123456789012:"
                                + "schema/x\" is not a dataset-group ARN; expected arn:<partition>:personalize:<region>:"
                                + "<account>:dataset-group/..., e.g. "
                                + "arn:aws:personalize:us-east-1:123456789012:dataset-group/my-group"),
                bad("schema ARN that is a bare name", s -> Schema.fromSchemaArn(s, "Imported", "clicks"),
                        "Schema 'Stack/Imported': schemaArn \"clicks\" is not a schema ARN; expected "
                                + "arn:<partition>:personalize:<region>:<account>:schema/..., e.g. "
                                + "arn:aws:personalize:us-east-1:123456789012:schema/my-schema"),
                bad("dataset ARN with an unknown type", s -> Dataset.fromDatasetArn(s, "Imported",
                                "arn:aws:personalize:us-east-1:123456789012:dataset/shop/EVENTS"),
                        "Dataset 'Stack/Imported': datasetArn \"arn:aws:personalize:us-east-1:123456789012:dataset/"
                                + "shop/EVENTS\" is not a dataset ARN; expected arn:<partition>:personalize:<region>:"
                                + "<account>:dataset/..., e.g. "
                                + "arn:aws:personalize:us-east-1:123456789012:dataset/my-group/INTERACTIONS"),
                bad("imported group both custom and with a domain", s -> DatasetGroup.fromDatasetGroupAttributes(s,
                                "Imported", DatasetGroupAttributes.builder()
                                        .datasetGroupArn("arn:aws:personalize:us-east-1:123456789012:dataset-group/g")
                                        .custom(true).domain(Domain.ECOMMERCE).build()),
                        "DatasetGroup 'Stack/Imported': custom is true and domain is ECOMMERCE; "
                                + "expected either a domain or custom(true)"),
                // access helpers
                bad("empty import prefix", s -> access(s).grantImportFrom(shared(s), ""),
                        "PersonalizeServiceRole 'Stack/Access': grantImportFrom prefix \"\" is empty; expected "
                                + IMPORT_PREFIX_FORM),
                bad("import prefix with a leading slash", s -> access(s).grantImportFrom(shared(s), "/imports/"),
                        "PersonalizeServiceRole 'Stack/Access': grantImportFrom prefix \"/imports/\" starts with '/'; "
                                + "expected " + IMPORT_PREFIX_FORM),
                bad("export prefix that is not a folder", s -> access(s).grantExportTo(shared(s), "exports", null),
                        "PersonalizeServiceRole 'Stack/Access': grantExportTo prefix \"exports\" is not a folder; "
                                + "expected a folder ending in '/' such as 'exports/', or null for the bucket's root"),
                bad("export into the folder imports read from", s -> {
                    PersonalizeServiceRole access = access(s);
                    IBucket bucket = shared(s);
                    access.grantImportFrom(bucket, "data/");
                    access.grantExportTo(bucket, "data/exports/", null);
                },
                        "PersonalizeServiceRole 'Stack/Access': export prefix \"data/exports/\" overlaps import prefix "
                                + "\"data/\" in bucket 'shared-data'; expected separate folders, so that exports never "
                                + "mix with import data"),
                bad("S3 location over 256 characters", s -> access(s).grantExportTo(
                                Bucket.fromBucketName(s, "B", "bkt"), "p".repeat(300) + "/", null),
                        "PersonalizeServiceRole 'Stack/Access': grantExportTo location \"s3://bkt/" + "p".repeat(300)
                                + "/\" has 310 characters; expected at most 256 (Personalize's limit)"),
                bad("role name for a given role", s -> PersonalizeServiceRole.Builder.create(s, "Access")
                                .roleName("r").role(Role.fromRoleArn(s, "R", "arn:aws:iam::123456789012:role/r")).build(),
                        "PersonalizeServiceRole 'Stack/Access': roleName \"r\" is set together with role; "
                                + "expected roleName only when the role is created here"),
                // jobs
                bad("import job without data source", s -> importJob(s, DatasetImportJobOptions.builder()),
                        "DatasetImportJob 'Stack/Dataset/Import': dataSource is required; expected "
                                + "DataSource.fromBucket(bucket, key or folder/) or DataSource.fromUri(\"s3://bucket/key\")"),
                bad("import data source that is not an S3 URI", s -> importJob(s, DatasetImportJobOptions.builder()
                                .dataSource(DataSource.fromUri("https://example.com/data.csv"))),
                        "DatasetImportJob 'Stack/Dataset/Import': dataSource \"https://example.com/data.csv\" is not an "
                                + "S3 URI; expected s3://<bucket>/<key> or s3://<bucket>/<folder>/ (at most 256 characters)"),
                bad("import key with a leading slash", s -> importJob(s, DatasetImportJobOptions.builder()
                                .dataSource(DataSource.fromBucket(Bucket.fromBucketName(s, "B", "shared-data"), "/x.csv"))),
                        "DatasetImportJob 'Stack/Dataset/Import': dataSource key \"/x.csv\" starts with '/'; expected "
                                + "an object key such as 'imports/data.csv' or a folder ending in '/' such as 'imports/'"),
                bad("job name prefix with a dot", s -> importJob(s, DatasetImportJobOptions.builder()
                                .dataSource(DataSource.fromUri("s3://shared-data/x.csv")).jobNamePrefix("nightly.v2")),
                        "DatasetImportJob 'Stack/Dataset/Import': jobNamePrefix \"nightly.v2\" is invalid; expected "
                                + "1-46 characters of letters, digits, '-' and '_', starting with a letter or digit "
                                + "(the job name adds '-' and 16 characters)"),
                bad("job timeout over CloudFormation's longest wait condition", s -> importJob(s,
                                DatasetImportJobOptions.builder().dataSource(DataSource.fromUri("s3://shared-data/x.csv"))
                                .timeout(software.amazon.awscdk.Duration.minutes(721))),
                        "DatasetImportJob 'Stack/Dataset/Import': timeout 12 hours 1 minute is out of range; expected "
                                + "1 minute to 12 hours (CloudFormation's longest wait condition; up to 54 minutes the "
                                + "custom resource waits itself)"),
                bad("job timeout over an hour without waiting", s -> importJob(s, DatasetImportJobOptions.builder()
                                .dataSource(DataSource.fromUri("s3://shared-data/x.csv")).waitForCompletion(false)
                                .timeout(software.amazon.awscdk.Duration.minutes(90))),
                        "DatasetImportJob 'Stack/Dataset/Import': timeout 1 hour 30 minutes is out of range with "
                                + "waitForCompletion(false); expected 1 to 54 minutes (how long the job may queue "
                                + "before it starts), or waitForCompletion(true) to wait up to 12 hours"),
                bad("export prefix that is not a folder", s -> dataset(s, null, null, DatasetType.INTERACTIONS,
                                TestApps.interactions()).addExportJob("Export", DatasetExportJobOptions.builder()
                                .bucket(Bucket.fromBucketName(s, "B", "shared-data")).prefix("exports").build()),
                        "DatasetExportJob 'Stack/Dataset/Export': prefix \"exports\" is not a folder; expected a folder "
                                + "ending in '/' such as 'exports/', or no prefix for the bucket's root"),
                bad("put records into an interactions dataset", s -> Dataset.fromDatasetArn(s, "Imported",
                                "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS")
                                .grantPutRecords(new Role(s, "Role", software.amazon.awscdk.services.iam.RoleProps
                                        .builder().assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build())),
                        "Dataset 'Stack/Imported': grantPutRecords needs a dataset of type ITEMS, USERS, ACTIONS or "
                                + "ACTION_INTERACTIONS, got INTERACTIONS; interactions are recorded with an event tracker"));
    }

    private static DatasetImportJob importJob(Stack s, DatasetImportJobOptions.Builder options) {
        return dataset(s, null, null, DatasetType.INTERACTIONS, TestApps.interactions())
                .addImportJob("Import", options.build());
    }

    private static PersonalizeServiceRole access(Stack s) {
        return new PersonalizeServiceRole(s, "Access");
    }

    private static IBucket shared(Stack s) {
        return Bucket.fromBucketName(s, "Shared", "shared-data");
    }

    private static Arguments bad(String description, Consumer<Stack> build, String message) {
        return Arguments.of(description, build, message);
    }

    private static DatasetGroup group(Stack s, String name) {
        return DatasetGroup.Builder.create(s, "Group").datasetGroupName(name).build();
    }

    private static Schema schema(Stack s, Domain domain, SchemaDefinition definition) {
        return Schema.Builder.create(s, "Schema").domain(domain).definition(definition).build();
    }

    private static Dataset dataset(Stack s, Domain groupDomain, Domain schemaDomain, DatasetType type,
            SchemaDefinition definition) {
        DatasetGroup group = DatasetGroup.Builder.create(s, "Group").domain(groupDomain).build();
        return Dataset.Builder.create(s, "Dataset").datasetGroup(group).datasetType(type)
                .schema(schema(s, schemaDomain, definition)).build();
    }
}
