package io.github.personalizecdk.examples;

import io.github.personalizecdk.PersonalizeServiceRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/** Buckets as the examples create them: TLS only, no public access, access logged. */
final class ExampleBuckets {
    private ExampleBuckets() {
    }

    /** The bucket that receives S3 server access logs. */
    static Bucket accessLogs(Construct scope) {
        return Bucket.Builder.create(scope, "AccessLogs")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .build();
    }

    /** A data bucket for Personalize imports and exports, SSE-S3, or SSE-KMS when a key is given. */
    static Bucket data(Construct scope, String id, Bucket accessLogs, IKey key) {
        return Bucket.Builder.create(scope, id)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .encryption(key == null ? BucketEncryption.S3_MANAGED : BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(key != null)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(id + "/")
                .build();
    }

    /**
     * Personalize reads or writes every object under a folder, so the object ARN ends in the folder's wildcard.
     * The suppression is the metadata cdk-nag reads (what {@code NagSuppressions.addResourceSuppressions} writes),
     * added directly so that synthesizing the app does not load cdk-nag.
     */
    static void allowFolderWildcards(PersonalizeServiceRole access, String bucketId) {
        CfnResource policy = (CfnResource) access.getRole().getNode().findChild("DefaultPolicy").getNode()
                .getDefaultChild();
        // insertion-ordered: Map.of orders its keys differently in every JVM, and the metadata is in the template
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", "AwsSolutions-IAM5");
        rule.put("reason", "Personalize imports every file of the import folder and writes files it names itself "
                + "into the export folder; the wildcard is limited to that folder of that bucket.");
        rule.put("applies_to", List.of(Map.of("regex",
                "/^Resource::<" + bucketId + "[0-9A-F]{8}\\.Arn>\\/(imports|exports)\\/\\*$/g")));
        policy.addMetadata("cdk_nag", Map.of("rules_to_suppress", List.of(rule)));
    }
}
