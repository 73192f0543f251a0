package io.github.personalizecdk;

import io.github.personalizecdk.internal.Arns;
import io.github.personalizecdk.internal.NagSuppression;
import io.github.personalizecdk.internal.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The IAM role Amazon Personalize assumes to read import data from S3 and write exports to S3, with
 * grant methods that also write the matching bucket policy and KMS key policy statements.
 *
 * <p>The role trusts only {@code personalize.amazonaws.com}, with {@code aws:SourceAccount} and
 * {@code aws:SourceArn} conditions. Bucket policy statements name the same principal and conditions.
 * What Personalize needs on a bucket or key is merged over every grant and job of the app, per bucket name and
 * per key. For a bucket or key the app does not own, the policy cannot be attached: synth writes the one
 * complete policy next to the template ({@code bucket-policy.<bucket>.json} or {@code key-policy.<key-id>.json})
 * and warns once, naming the file and what its placeholders stand for; {@link AccessGrant} returns the same JSON.
 *
 * <pre>{@code
 * PersonalizeServiceRole access = new PersonalizeServiceRole(this, "PersonalizeAccess");
 * access.grantImportFrom(bucket, "imports/");
 * access.grantExportTo(bucket, "exports/", null);
 * }</pre>
 */
public class PersonalizeServiceRole extends Construct implements IGrantable {
    private static final String KIND = "PersonalizeServiceRole";
    private static final String S3_URI_PREFIX = "s3://";
    private static final int MAX_S3_URI_LENGTH = 256;

    private final IRole role;

    public PersonalizeServiceRole(Construct scope, String id) {
        this(scope, id, PersonalizeServiceRoleProps.builder().build());
    }

    public PersonalizeServiceRole(Construct scope, String id, PersonalizeServiceRoleProps props) {
        super(scope, id);
        Validate.required(KIND, this, "props", props, "PersonalizeServiceRoleProps.builder()...build()");
        if (props.getRole() != null && props.getRoleName() != null) {
            throw Validate.error(KIND, this, "roleName \"" + props.getRoleName()
                    + "\" is set together with role; expected roleName only when the role is created here");
        }
        this.role = props.getRole() != null ? props.getRole()
                : Role.Builder.create(this, "Role")
                        .roleName(props.getRoleName())
                        .assumedBy(servicePrincipal(this))
                        .description("Lets Amazon Personalize read and write the S3 data of " + getNode().getPath())
                        .build();
        if (props.getRole() == null) {
            NagSuppression.inlinePolicyOfOwnRole((Role) role);
        }
    }

    /**
     * @return {@code personalize.amazonaws.com}, limited to requests for this account ({@code aws:SourceAccount})
     *     from its Personalize resources ({@code aws:SourceArn})
     */
    public static IPrincipal servicePrincipal(Construct scope) {
        return new ServicePrincipal(DatasetGroup.SERVICE_PRINCIPAL).withConditions(confusedDeputyConditions(scope));
    }

    /**
     * @return the {@code aws:SourceAccount} and {@code aws:SourceArn} conditions for this stack, in this order
     *     (an insertion-ordered map: {@code Map.of} would order the keys differently in every JVM, and so the
     *     template)
     */
    public static Map<String, Object> confusedDeputyConditions(IConstruct scope) {
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("StringEquals", Map.of("aws:SourceAccount", Stack.of(scope).getAccount()));
        conditions.put("ArnLike", Map.of("aws:SourceArn", Arns.anyPersonalizeResource(scope)));
        return conditions;
    }

    /** @return the role */
    public IRole getRole() {
        return role;
    }

    /** @return the role's ARN, for {@code roleArn} of Personalize jobs */
    public String getRoleArn() {
        return role.getRoleArn();
    }

    @Override
    public IPrincipal getGrantPrincipal() {
        return role.getGrantPrincipal();
    }

    /**
     * Lets Personalize import from {@code s3://bucket/prefix}: {@code s3:GetObject} on the objects under the
     * prefix and {@code s3:ListBucket} on the bucket, limited to the prefix with {@code s3:prefix}; on the role
     * and in the bucket policy. With an SSE-KMS bucket, {@code kms:Decrypt} on its key through S3.
     *
     * @param prefix a folder ending in {@code /}, an object key, or {@code null} for the whole bucket
     */
    public AccessGrant grantImportFrom(IBucket bucket, String prefix) {
        Objects.requireNonNull(bucket, "bucket");
        checkPrefix("grantImportFrom", bucket, prefix, false);
        return grantImport(KIND, this, role, true, bucket, prefix);
    }

    /**
     * Lets Personalize export to {@code s3://bucket/prefix}: {@code s3:PutObject} under the prefix and
     * {@code s3:ListBucket} on the bucket; on the role and in the bucket policy. With an output key (or, without
     * one, an SSE-KMS bucket), {@code kms:GenerateDataKey} and {@code kms:Decrypt} on that key through S3.
     *
     * @param prefix a folder ending in {@code /}, or {@code null} for the bucket's root
     * @param outputKey the KMS key the export job encrypts its output with, or {@code null}
     */
    public AccessGrant grantExportTo(IBucket bucket, String prefix, IKey outputKey) {
        Objects.requireNonNull(bucket, "bucket");
        checkPrefix("grantExportTo", bucket, prefix, true);
        return grantExport(KIND, this, role, true, bucket, prefix, outputKey);
    }

    /**
     * Lets Personalize read an encrypted dataset group's data for an export: {@code kms:Decrypt} and
     * {@code kms:GenerateDataKeyWithoutPlaintext} on the group's key, on the role and in the key policy.
     * Does nothing for a group without a customer managed key.
     */
    public AccessGrant grantDatasetGroupKey(IDatasetGroup datasetGroup) {
        Objects.requireNonNull(datasetGroup, "datasetGroup");
        return grantGroupKey(this, role, true, datasetGroup);
    }

    /**
     * What an import needs, for any role: the bucket's and key's statements always, the role's own statements
     * when {@code onRole} (a role this library manages).
     */
    static AccessGrant grantImport(String kind, IConstruct scope, IRole role, boolean onRole, IBucket bucket,
            String prefix) {
        return PersonalizeAccess.of(scope).grant(new PersonalizeAccess.BucketNeed(kind, scope, role, onRole, bucket,
                prefix, "s3:GetObject", "import"), bucket.getEncryptionKey(), List.of("kms:Decrypt"));
    }

    /** What an export needs, as {@link #grantImport}. */
    static AccessGrant grantExport(String kind, IConstruct scope, IRole role, boolean onRole, IBucket bucket,
            String prefix, IKey outputKey) {
        IKey key = outputKey != null ? outputKey : bucket.getEncryptionKey();
        return PersonalizeAccess.of(scope).grant(new PersonalizeAccess.BucketNeed(kind, scope, role, onRole, bucket,
                prefix, "s3:PutObject", "export"), key, List.of("kms:GenerateDataKey", "kms:Decrypt"));
    }

    /** What reading an encrypted group's data needs, as {@link #grantImport}. */
    static AccessGrant grantGroupKey(IConstruct scope, IRole role, boolean onRole, IDatasetGroup datasetGroup) {
        IKey key = datasetGroup.getEncryptionKey();
        if (key == null) {
            return new AccessGrant(scope, List.of(), null, null);
        }
        PersonalizeAccess access = PersonalizeAccess.of(scope);
        PolicyStatement onRoleStatement = access.grantKey(scope, key, role, onRole,
                List.of("kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"), false);
        return new AccessGrant(scope, onRoleStatement == null ? List.of() : List.of(onRoleStatement), null,
                access.key(key, scope));
    }

    private void checkPrefix(String method, IBucket bucket, String prefix, boolean folderOnly) {
        if (!Validate.isKnown(prefix)) {
            return;
        }
        String allowed = folderOnly
                ? "a folder ending in '/' such as 'exports/', or null for the bucket's root"
                : "a folder ending in '/' such as 'imports/', an object key such as 'imports/data.csv', or null "
                        + "for the whole bucket";
        if (prefix.isEmpty() || prefix.startsWith("/")) {
            throw Validate.error(KIND, this, method + " prefix \"" + prefix + "\" "
                    + (prefix.isEmpty() ? "is empty" : "starts with '/'") + "; expected " + allowed);
        }
        if (folderOnly && !prefix.endsWith("/")) {
            throw Validate.error(KIND, this, method + " prefix \"" + prefix + "\" is not a folder; expected "
                    + allowed);
        }
        String name = bucket.getBucketName();
        if (Validate.isKnown(name)) {
            String uri = S3_URI_PREFIX + name + "/" + prefix;
            if (uri.length() > MAX_S3_URI_LENGTH) {
                throw Validate.error(KIND, this, method + " location \"" + uri + "\" has " + uri.length()
                        + " characters; expected at most " + MAX_S3_URI_LENGTH + " (Personalize's limit)");
            }
        }
    }

    /** Fluent builder: {@code PersonalizeServiceRole.Builder.create(scope, id).build()}. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private final PersonalizeServiceRoleProps.Builder props = PersonalizeServiceRoleProps.builder();

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        /** @see PersonalizeServiceRoleProps#getRole() */
        public Builder role(IRole role) {
            props.role(role);
            return this;
        }

        /** @see PersonalizeServiceRoleProps#getRoleName() */
        public Builder roleName(String roleName) {
            props.roleName(roleName);
            return this;
        }

        public PersonalizeServiceRole build() {
            return new PersonalizeServiceRole(scope, id, props.build());
        }
    }
}
