package io.github.personalizecdk;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * Where an import job reads: one object, or every object in a folder (a key ending in {@code /}).
 *
 * <pre>{@code
 * DataSource.fromBucket(bucket, "imports/interactions.csv")
 * DataSource.fromBucket(bucket, "imports/")          // a folder: note the trailing '/'
 * DataSource.fromUri("s3://shared-data/imports/")    // a bucket this app does not own
 * DataSource.fromBucket(bucket, null)                 // the whole bucket, as DataSource.fromUri("s3://bucket/")
 * }</pre>
 */
public final class DataSource {
    private static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9])/(.*)");

    private final IBucket bucket;
    private final String bucketName;
    private final String key;
    private final String uri;

    private DataSource(IBucket bucket, String bucketName, String key, String uri) {
        this.bucket = bucket;
        this.bucketName = bucketName;
        this.key = key;
        this.uri = uri;
    }

    /** @param keyOrFolder an object key, a folder ending in {@code /}, or {@code null} for the whole bucket */
    public static DataSource fromBucket(IBucket bucket, String keyOrFolder) {
        return new DataSource(Objects.requireNonNull(bucket, "bucket"), null, keyOrFolder, null);
    }

    /** @param s3Uri {@code s3://bucket/key}, {@code s3://bucket/folder/}, or {@code s3://bucket/} for the whole bucket */
    public static DataSource fromUri(String s3Uri) {
        Objects.requireNonNull(s3Uri, "s3Uri");
        Matcher m = S3_URI.matcher(s3Uri);
        return m.matches() ? new DataSource(null, m.group(1), m.group(2).isEmpty() ? null : m.group(2), s3Uri) : new DataSource(null, null, null, s3Uri);
    }

    /** @return the key or folder within the bucket; {@code null} for the whole bucket or a malformed URI */
    public String getKey() {
        return key;
    }

    /** @return the URI as given to {@link #fromUri}, or {@code null} */
    public String getUri() {
        return uri;
    }

    /** @return the bucket, importing it by name under {@code scope} for a URI */
    IBucket bucket(Construct scope) {
        return bucket != null ? bucket : Bucket.fromBucketName(scope, "SourceBucket", bucketName);
    }

    boolean isWellFormed() {
        return bucket != null || bucketName != null;
    }
}
