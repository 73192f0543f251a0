package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.personalizecdk.DataSource;
import io.github.personalizecdk.DatasetExportJobOptions;
import io.github.personalizecdk.DatasetGroup;
import io.github.personalizecdk.DatasetImportJobOptions;
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
import io.github.personalizecdk.DatasetJobProvider;
import software.amazon.awscdk.CfnResource;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;

/** The AwsSolutions pack over a stack whose import and export wait longer than an hour: nothing unsuppressed. */
class LongWaitNagTest {

    @Test
    void thePollerAndItsRoleLeaveNoUnsuppressedFinding() {
        App app = CdkContext.app().build();
        Stack stack = new Stack(app, "LongWaits");
        Schema schema = new Schema(stack, "ItemsSchema", SchemaProps.builder()
                .definition(SchemaDefinition.fromFields("Items", SchemaField.of("ITEM_ID", FieldType.STRING),
                        SchemaField.of("PRICE", FieldType.FLOAT)))
                .build());
        var items = new DatasetGroup(stack, "Group").addDataset("Items", DatasetOptions.builder()
                .datasetType(DatasetType.ITEMS).schema(schema).build());
        Bucket logs = Bucket.Builder.create(stack, "AccessLogs").enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED).blockPublicAccess(BlockPublicAccess.BLOCK_ALL).build();
        Bucket data = Bucket.Builder.create(stack, "Data").enforceSsl(true).encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL).serverAccessLogsBucket(logs).build();
        items.addImportJob("Bulk", DatasetImportJobOptions.builder().dataSource(DataSource.fromBucket(data, "bulk/"))
                .timeout(Duration.hours(6)).build());
        items.addExportJob("Export", DatasetExportJobOptions.builder().bucket(data).prefix("out/")
                .timeout(Duration.hours(2)).build());
        // the default job role's folder grants on the user's bucket are the user's to suppress, as the examples do
        ((CfnResource) DatasetJobProvider.of(stack).getDefaultRole().getRole().getNode().findChild("DefaultPolicy")
                .getNode().getDefaultChild()).addMetadata("cdk_nag", Map.of("rules_to_suppress", List.of(Map.of(
                        "id", "AwsSolutions-IAM5", "reason", "Personalize reads and writes every file of its folder.",
                        "applies_to", List.of(Map.of("regex",
                                "/^Resource::<Data[0-9A-F]{8}\\.Arn>\\/(bulk|out)\\/\\*$/g"))))));
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));

        List<String> findings = new ArrayList<>();
        Annotations annotations = Annotations.fromStack(stack);
        for (SynthesisMessage m : annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            findings.add("error " + m.getId() + " " + m.getEntry().getData());
        }
        for (SynthesisMessage m : annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            findings.add("warning " + m.getId() + " " + m.getEntry().getData());
        }
        assertThat(findings).isEmpty();
    }
}
