package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.kms.AliasAttributes;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;

/** Keys, ARNs and roles Personalize or CloudFormation would refuse, each with the exact message. */
class AccessValidationTest {
    private static final String KEY_FORM = "expected a key (a Key, or Key.fromKeyArn(..) with "
            + "arn:<partition>:kms:<region>:<account>:key/<key-id>): Personalize takes a key ARN, and only an Alias of "
            + "this app leads to its key";
    private static final String EXPLICIT = " of stack 'Prod', whose environment is explicit: Personalize reaches only "
            + "resources of the caller's partition, region and account";

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputFailsAtSynthWithAnExactMessage(String description, Consumer<Stack> build, String message) {
        Stack stack = new Stack(new App(), "Prod", StackProps.builder()
                .env(Environment.builder().account("111111111111").region("us-east-1").build()).build());
        assertThatThrownBy(() -> build.accept(stack))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                // KMS aliases: Personalize and CloudFormation take key ARNs
                bad("imported alias as a group's key", s -> DatasetGroup.Builder.create(s, "Group")
                                .encryptionKey(Alias.fromAliasName(s, "Alias", "alias/personalize")).build(),
                        "DatasetGroup 'Prod/Group': encryptionKey is the KMS alias \"alias/personalize\"; " + KEY_FORM),
                bad("alias imported with its target key as a group's key", s -> DatasetGroup.Builder.create(s, "Group")
                                .encryptionKey(Alias.fromAliasAttributes(s, "Alias", AliasAttributes.builder()
                                        .aliasName("alias/shared").aliasTargetKey(new Key(s, "Key")).build()))
                                .build(),
                        "DatasetGroup 'Prod/Group': encryptionKey is the KMS alias \"alias/shared\"; " + KEY_FORM),
                bad("imported alias as an export's output key", s -> export(s)
                                .outputKey(Alias.fromAliasName(s, "Alias", "alias/exports")).build(),
                        "DatasetExportJob 'Prod/Export': outputKey is the KMS alias \"alias/exports\"; " + KEY_FORM),
                bad("alias ARN as an export's output key", s -> export(s).outputKey(Key.fromKeyArn(s, "Out",
                                "arn:aws:kms:us-east-1:111111111111:alias/exports")).build(),
                        "DatasetExportJob 'Prod/Export': outputKey ARN \"arn:aws:kms:us-east-1:111111111111:"
                                + "alias/exports\" is not a key ARN; expected arn:<partition>:kms:<region>:<account>:"
                                + "key/<key-id> (an alias ARN is not accepted)"),
                // ARNs of another environment
                bad("dataset group of another region", s -> DatasetGroup.fromDatasetGroupArn(s, "Imported",
                                "arn:aws:personalize:eu-west-1:111111111111:dataset-group/shop"),
                        "DatasetGroup 'Prod/Imported': datasetGroupArn \"arn:aws:personalize:eu-west-1:111111111111:"
                                + "dataset-group/shop\" is in region eu-west-1; expected region us-east-1" + EXPLICIT),
                bad("dataset group of another account", s -> DatasetGroup.fromDatasetGroupArn(s, "Imported",
                                "arn:aws:personalize:us-east-1:222222222222:dataset-group/shop"),
                        "DatasetGroup 'Prod/Imported': datasetGroupArn \"arn:aws:personalize:us-east-1:222222222222:"
                                + "dataset-group/shop\" is in account 222222222222; expected account 111111111111"
                                + EXPLICIT),
                bad("dataset group of another partition", s -> DatasetGroup.fromDatasetGroupArn(s, "Imported",
                                "arn:aws-cn:personalize:cn-north-1:111111111111:dataset-group/shop"),
                        "DatasetGroup 'Prod/Imported': datasetGroupArn \"arn:aws-cn:personalize:cn-north-1:"
                                + "111111111111:dataset-group/shop\" is in partition aws-cn and region cn-north-1; "
                                + "expected partition aws and region us-east-1" + EXPLICIT),
                bad("dataset of another region and account", s -> Dataset.fromDatasetArn(s, "Imported",
                                "arn:aws:personalize:us-west-2:222222222222:dataset/shop/ITEMS"),
                        "Dataset 'Prod/Imported': datasetArn \"arn:aws:personalize:us-west-2:222222222222:dataset/"
                                + "shop/ITEMS\" is in region us-west-2 and account 222222222222; expected region "
                                + "us-east-1 and account 111111111111" + EXPLICIT),
                bad("schema of another account", s -> Schema.fromSchemaArn(s, "Imported",
                                "arn:aws:personalize:us-east-1:222222222222:schema/clicks"),
                        "Schema 'Prod/Imported': schemaArn \"arn:aws:personalize:us-east-1:222222222222:schema/"
                                + "clicks\" is in account 222222222222; expected account 111111111111" + EXPLICIT),
                // an encryption role of another stack, with the key in the group's stack
                bad("encryption role in another stack", s -> {
                    Stack roles = new Stack((App) s.getNode().getScope(), "Roles", StackProps.builder()
                            .env(Environment.builder().account("111111111111").region("us-east-1").build()).build());
                    DatasetGroup.Builder.create(s, "Group").encryptionKey(new Key(s, "Key"))
                            .encryptionRole(Role.Builder.create(roles, "Role")
                                    .assumedBy(PersonalizeServiceRole.servicePrincipal(roles)).build())
                            .build();
                },
                        "DatasetGroup 'Prod/Group': encryptionRole 'Roles/Role' is in stack 'Roles' while "
                                + "encryptionKey is in this group's stack 'Prod'; expected the role in stack 'Prod' "
                                + "(or imported there with Role.fromRoleArn), or the key in stack 'Roles': the group "
                                + "names the role and the role's policy names the key, so each stack would depend on "
                                + "the other"),
                // one bucket, by name, across roles and IBucket objects
                bad("export into another role's import folder of the same bucket", s -> {
                    new PersonalizeServiceRole(s, "Readers").grantImportFrom(
                            Bucket.fromBucketName(s, "In", "shared-data"), "data/");
                    new PersonalizeServiceRole(s, "Writers").grantExportTo(
                            Bucket.fromBucketName(s, "Out", "shared-data"), "data/exports/", null);
                },
                        "PersonalizeServiceRole 'Prod/Writers': export prefix \"data/exports/\" overlaps import "
                                + "prefix \"data/\" in bucket 'shared-data'; expected separate folders, so that exports "
                                + "never mix with import data"),
                bad("job with its own role importing from another job's export folder", s -> {
                    export(s).prefix("exports/").build();
                    dataset(s).addImportJob("Import", DatasetImportJobOptions.builder()
                            .dataSource(DataSource.fromUri("s3://shared-data/exports/daily/"))
                            .role(Role.fromRoleArn(s, "Mine", "arn:aws:iam::111111111111:role/mine")).build());
                },
                        "DatasetImportJob 'Prod/Interactions/Import': import prefix \"exports/daily/\" overlaps "
                                + "export prefix \"exports/\" in bucket 'shared-data'; expected separate folders, so "
                                + "that exports never mix with import data"));
    }

    /** @return the stack's interactions dataset, created on first use */
    private static Dataset dataset(Stack s) {
        if (s.getNode().tryFindChild("Interactions") instanceof Dataset existing) {
            return existing;
        }
        Schema schema = Schema.Builder.create(s, "Schema").definition(TestApps.interactions()).build();
        return Dataset.Builder.create(s, "Interactions").datasetGroup(new DatasetGroup(s, "Group"))
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build();
    }

    private static DatasetExportJob.Builder export(Stack s) {
        return DatasetExportJob.Builder.create(s, "Export").dataset(dataset(s))
                .bucket(Bucket.fromBucketName(s, "Exports", "shared-data"));
    }

    private static Arguments bad(String description, Consumer<Stack> build, String message) {
        return Arguments.of(description, build, message);
    }
}
