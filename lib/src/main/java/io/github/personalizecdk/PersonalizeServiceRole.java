package io.github.personalizecdk;

import io.github.personalizecdk.internal.Arns;
import io.github.personalizecdk.internal.NagSuppression;
import io.github.personalizecdk.internal.Validate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.IAnyProducer;
import software.amazon.awscdk.IResolveContext;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;
import software.constructs.IValidation;

/**
 * The IAM role Amazon Personalize assumes to read import data from S3 and write exports to S3, with
 * grant methods that also write the matching bucket policy and KMS key policy statements.
 *
 * <p>The role trusts only {@code personalize.amazonaws.com}, with {@code aws:SourceAccount} and
 * {@code aws:SourceArn} conditions. Bucket policy statements name the same principal and conditions.
 * For a bucket or key the app does not own, the policy cannot be attached: synth warns, and the exact
 * policy is written next to the template ({@code <stack>.<role>.<n>.bucket-policy.json} or
 * {@code key-policy.json}) and returned by {@link AccessGrant}.
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
    private final Map<String, java.util.function.Supplier<String>> policyFiles = new LinkedHashMap<>();
    private final Map<String, PolicyStatement> statements = new java.util.HashMap<>();
    private final Map<String, java.util.Set<String>> resources = new java.util.HashMap<>();
    private final Map<String, List<String>> listPrefixes = new java.util.HashMap<>();
    private final Map<String, Boolean> bucketPolicyApplied = new java.util.HashMap<>();
    private final Map<String, KeyGrant> keyGrants = new java.util.HashMap<>();
    private final java.util.Set<String> reported = new java.util.HashSet<>();
    private Map<String, Object> deputyConditions;
    private final List<Location> imports = new ArrayList<>();
    private final List<Location> exports = new ArrayList<>();

    private record Location(IBucket bucket, String prefix) {
    }

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
        getNode().addValidation(new IValidation() {
            @Override
            public List<String> validate() {
                writePolicyFiles();
                return List.of();
            }
        });
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
    public static Map<String, Object> confusedDeputyConditions(Construct scope) {
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
        checkOverlap(bucket, prefix, exports, "export", "import");
        imports.add(new Location(bucket, prefix));
        return grantBucket(bucket, prefix, "s3:GetObject", bucket.getEncryptionKey(),
                List.of("kms:Decrypt"), "import");
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
        checkOverlap(bucket, prefix, imports, "import", "export");
        exports.add(new Location(bucket, prefix));
        IKey key = outputKey != null ? outputKey : bucket.getEncryptionKey();
        return grantBucket(bucket, prefix, "s3:PutObject", key, List.of("kms:GenerateDataKey", "kms:Decrypt"),
                "export");
    }

    /**
     * Lets Personalize read an encrypted dataset group's data for an export: {@code kms:Decrypt} and
     * {@code kms:GenerateDataKeyWithoutPlaintext} on the group's key, on the role and in the key policy.
     * Does nothing for a group without a customer managed key.
     */
    public AccessGrant grantDatasetGroupKey(IDatasetGroup datasetGroup) {
        Objects.requireNonNull(datasetGroup, "datasetGroup");
        IKey key = datasetGroup.getEncryptionKey();
        List<PolicyStatement> roleStatements = new ArrayList<>();
        List<PolicyStatement> keyStatements = new ArrayList<>();
        boolean applied = true;
        if (key != null) {
            List<String> actions = List.of("kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext");
            applied = grantKey(key, actions, null, roleStatements, keyStatements);
        }
        AccessGrant grant = new AccessGrant(this, roleStatements, List.of(), true, keyStatements, applied);
        if (!applied) {
            reportKey(grant, key);
        }
        return grant;
    }

    private AccessGrant grantBucket(IBucket bucket, String prefix, String objectAction, IKey key,
            List<String> keyActions, String purpose) {
        String bucketId = bucket.getNode().getPath();
        String objects = bucket.arnForObjects(prefix == null ? "*" : prefix + "*");
        String bucketArn = bucket.getBucketArn();
        Map<String, Object> deputy = deputy();

        // one statement per bucket and action, on the role and in the bucket policy, growing with each grant
        PolicyStatement roleObjects = merged("role|" + bucketId + "|" + objectAction, objects,
                () -> statement(null, List.of(objectAction), List.of(objects), null), role::addToPrincipalPolicy);
        PolicyStatement roleList = mergedList("role|" + bucketId, prefix, bucketArn, null,
                role::addToPrincipalPolicy);
        boolean[] bucketApplied = {bucketPolicyApplied.getOrDefault(bucketId, true)};
        java.util.function.Consumer<PolicyStatement> toBucket = s -> {
            bucketApplied[0] &= Boolean.TRUE.equals(bucket.addToResourcePolicy(s).getStatementAdded());
            bucketPolicyApplied.put(bucketId, bucketApplied[0]);
        };
        PolicyStatement bucketObjects = merged("bucket|" + bucketId + "|" + objectAction, objects,
                () -> statement(personalize(), List.of(objectAction), List.of(objects), deputy), toBucket);
        PolicyStatement bucketList = mergedList("bucket|" + bucketId, prefix, bucketArn, deputy, toBucket);

        List<PolicyStatement> keyRoleStatements = new ArrayList<>();
        List<PolicyStatement> keyStatements = new ArrayList<>();
        boolean keyApplied = key == null || grantKey(key, keyActions, s3ViaService(), keyRoleStatements, keyStatements);
        List<PolicyStatement> allRoleStatements = new ArrayList<>(List.of(roleObjects, roleList));
        allRoleStatements.addAll(keyRoleStatements);

        List<PolicyStatement> bucketStatements = List.of(bucketObjects, bucketList);
        AccessGrant grant = new AccessGrant(this, allRoleStatements, bucketStatements, bucketApplied[0],
                keyStatements, keyApplied);
        if (!bucketApplied[0] && !reported.contains(bucketId)) {
            reported.add(bucketId);
            String file = addPolicyFile("bucket-policy", grant::getBucketPolicyJson);
            Annotations.of(this).addWarningV2("personalize-cdk:bucketPolicyNotAttached", "bucket "
                    + describe(bucket) + " is not owned by this app, so the " + purpose + " statements cannot be "
                    + "attached: apply the bucket policy in " + file + " (next to the template)");
        }
        if (!keyApplied) {
            reportKey(grant, key);
        }
        return grant;
    }

    /** @return the statement under {@code key}, created and attached on first use, else given the resource */
    private PolicyStatement merged(String key, String resource, java.util.function.Supplier<PolicyStatement> create,
            java.util.function.Consumer<PolicyStatement> attach) {
        PolicyStatement existing = statements.get(key);
        if (existing == null) {
            PolicyStatement created = create.get();
            statements.put(key, created);
            resources.put(key, new java.util.HashSet<>(List.of(resource)));
            attach.accept(created);
            return created;
        }
        if (resources.get(key).add(resource)) {
            existing.addResources(resource);
        }
        return existing;
    }

    /** ListBucket: unconditional for a whole bucket, else limited to the granted prefixes with s3:prefix. */
    private PolicyStatement mergedList(String key, String prefix, String bucketArn, Map<String, Object> conditions,
            java.util.function.Consumer<PolicyStatement> attach) {
        if (prefix == null) {
            return merged(key + "|list", bucketArn,
                    () -> statement(personalizeIf(conditions), List.of("s3:ListBucket"), List.of(bucketArn), conditions),
                    attach);
        }
        String listKey = key + "|list-prefixed";
        List<String> prefixes = listPrefixes.get(listKey);
        if (prefixes != null) {
            if (!prefixes.contains(prefix + "*")) {
                prefixes.add(prefix + "*"); // read at synth by the statement's s3:prefix value
            }
            return statements.get(listKey);
        }
        List<String> granted = new ArrayList<>(List.of(prefix + "*"));
        listPrefixes.put(listKey, granted);
        Map<String, Object> all = new LinkedHashMap<>();
        if (conditions != null) {
            all.putAll(conditions);
        }
        all.put("StringLike", Map.of("s3:prefix", Lazy.uncachedAny(new IAnyProducer() {
            @Override
            public Object produce(IResolveContext context) {
                return granted.size() == 1 ? granted.get(0) : List.copyOf(granted);
            }
        })));
        PolicyStatement created = statement(personalizeIf(conditions), List.of("s3:ListBucket"), List.of(bucketArn), all);
        statements.put(listKey, created);
        attach.accept(created);
        return created;
    }

    private Map<String, Object> deputy() {
        if (deputyConditions == null) {
            deputyConditions = confusedDeputyConditions(this);
        }
        return deputyConditions;
    }

    private static IPrincipal personalizeIf(Map<String, Object> conditions) {
        return conditions == null ? null : personalize();
    }

    /** Grants key actions to the role and adds them to the key policy for Personalize and the role. */
    private boolean grantKey(IKey key, List<String> actions, Map<String, Object> viaService,
            List<PolicyStatement> roleStatements, List<PolicyStatement> keyStatements) {
        String grantKey = key.getNode().getPath() + "|" + actions + "|" + (viaService != null);
        KeyGrant previous = keyGrants.get(grantKey);
        if (previous != null) {
            roleStatements.addAll(previous.roleStatements());
            keyStatements.addAll(previous.keyStatements());
            return previous.applied();
        }
        PolicyStatement onRole = statement(null, actions, List.of(key.getKeyArn()), viaService);
        role.addToPrincipalPolicy(onRole);
        roleStatements.add(onRole);

        PolicyStatement forService = statement(personalize(), actions, List.of("*"), deputy());
        PolicyStatement forRole = statement(role.getGrantPrincipal(), actions, List.of("*"), viaService);
        keyStatements.add(forService);
        keyStatements.add(forRole);
        boolean applied = Boolean.TRUE.equals(key.addToResourcePolicy(forService).getStatementAdded());
        // a key in another stack trusts the account already; naming the role there would create a cycle
        if (!applied || Stack.of(key) == Stack.of(this)) {
            applied &= Boolean.TRUE.equals(key.addToResourcePolicy(forRole).getStatementAdded());
        }
        keyGrants.put(grantKey, new KeyGrant(List.copyOf(roleStatements), List.copyOf(keyStatements), applied));
        return applied;
    }

    private record KeyGrant(List<PolicyStatement> roleStatements, List<PolicyStatement> keyStatements,
            boolean applied) {
    }

    private void reportKey(AccessGrant grant, IKey key) {
        String keyId = key.getNode().getPath();
        if (!reported.add(keyId)) {
            return;
        }
        String file = addPolicyFile("key-policy", grant::getKeyPolicyJson);
        Annotations.of(this).addWarningV2("personalize-cdk:keyPolicyNotUpdated", "KMS key "
                + (Validate.isKnown(key.getKeyArn()) ? key.getKeyArn() : keyId)
                + " is not owned by this app, so its key policy cannot be updated: add the statements in "
                + file + " (next to the template)");
    }

    private static ServicePrincipal personalize() {
        return new ServicePrincipal(DatasetGroup.SERVICE_PRINCIPAL);
    }

    private static Map<String, Object> s3ViaService() {
        return Map.of("StringEquals", Map.of("kms:ViaService", Fn.join("", List.of("s3.", Aws.REGION, ".",
                Aws.URL_SUFFIX))));
    }

    private static PolicyStatement statement(IPrincipal principal, List<String> actions, List<String> resources,
            Map<String, Object> conditions) {
        PolicyStatement.Builder b = PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(actions)
                .resources(resources);
        if (principal != null) {
            b.principals(List.of(principal));
        }
        if (conditions != null) {
            b.conditions(conditions);
        }
        return b.build();
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

    private void checkOverlap(IBucket bucket, String prefix, List<Location> others, String otherPurpose,
            String purpose) {
        for (Location other : others) {
            if (other.bucket() != bucket) {
                continue;
            }
            String a = prefix == null ? "" : prefix;
            String b = other.prefix() == null ? "" : other.prefix();
            if (a.startsWith(b) || b.startsWith(a)) {
                throw Validate.error(KIND, this, purpose + " prefix \"" + a + "\" overlaps " + otherPurpose
                        + " prefix \"" + b + "\" in bucket " + describe(bucket) + "; expected separate folders, so "
                        + "that exports never mix with import data");
            }
        }
    }

    private static String describe(IBucket bucket) {
        String name = bucket.getBucketName();
        return Validate.isKnown(name) ? "'" + name + "'" : "'" + bucket.getNode().getPath() + "'";
    }

    private String addPolicyFile(String kind, java.util.function.Supplier<String> json) {
        String name = Stack.of(this).getArtifactId() + "." + Names.uniqueId(this) + "."
                + (policyFiles.size() + 1) + "." + kind + ".json";
        policyFiles.put(name, json);
        return name;
    }

    private void writePolicyFiles() {
        if (policyFiles.isEmpty()) {
            return;
        }
        Path outdir = Path.of(Stage.of(this).getOutdir());
        try {
            Files.createDirectories(outdir);
            for (Map.Entry<String, java.util.function.Supplier<String>> file : policyFiles.entrySet()) {
                Files.writeString(outdir.resolve(file.getKey()), file.getValue().get() + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write policy files to " + outdir, e);
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
