package io.github.personalizecdk;

import io.github.personalizecdk.internal.Json;
import io.github.personalizecdk.internal.PolicyText;
import io.github.personalizecdk.internal.Validate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.IAnyProducer;
import software.amazon.awscdk.IResolveContext;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.regioninfo.RegionInfo;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.kms.IAlias;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;
import software.constructs.IConstruct;
import software.constructs.IValidation;

/**
 * What Personalize needs on each S3 bucket and KMS key of the app, merged over every grant and job: one model per
 * bucket (by name, however many {@link IBucket} objects reach it) and per key, rendered once. Into the bucket or
 * key policy when the app owns it; otherwise into one policy file per bucket or key, written next to the
 * templates at synth, with one warning naming it and explaining every placeholder left in it.
 */
final class PersonalizeAccess extends Construct {
    /** Construct id of the singleton under the app. */
    static final String ID = "PersonalizeCdkAccess";
    private static final String BUCKET_WARNING = "personalize-cdk:bucketPolicyNotAttached";
    private static final String KEY_WARNING = "personalize-cdk:keyPolicyNotUpdated";
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    private final Map<String, BucketModel> buckets = new LinkedHashMap<>();
    private final Map<String, KeyModel> keys = new LinkedHashMap<>();
    private final Map<String, RoleBucket> roleBuckets = new LinkedHashMap<>();
    private final Map<String, PolicyStatement> roleKeyStatements = new LinkedHashMap<>();

    private PersonalizeAccess(Construct root) {
        super(root, ID);
        getNode().addValidation(new IValidation() {
            @Override
            public List<String> validate() {
                buckets.values().forEach(PolicyTarget::report);
                keys.values().forEach(PolicyTarget::report);
                return List.of();
            }
        });
    }

    /** @return the app's model, created on first use */
    static PersonalizeAccess of(IConstruct scope) {
        IConstruct root = scope.getNode().getRoot();
        IConstruct existing = root.getNode().tryFindChild(ID);
        return existing != null ? (PersonalizeAccess) existing : new PersonalizeAccess((Construct) root);
    }

    /** What one grant needs on a bucket. */
    record BucketNeed(String kind, IConstruct scope, IRole role, boolean onRole, IBucket bucket, String prefix,
            String objectAction, String purpose) {
    }

    /** Records what a job or grant needs on its bucket and on the key its data is encrypted with. */
    AccessGrant grant(BucketNeed need, IKey key, List<String> keyActions) {
        List<PolicyStatement> roleStatements = new ArrayList<>(grantBucket(need));
        KeyModel keyModel = null;
        if (key != null) {
            keyModel = key(key, need.scope());
            PolicyStatement onRole = grantKey(need.scope(), key, need.role(), need.onRole(), keyActions, true);
            if (onRole != null) {
                roleStatements.add(onRole);
            }
        }
        return new AccessGrant(need.scope(), roleStatements, buckets.get(need.bucket().getBucketName()), keyModel);
    }

    /** Records the need; returns the role statements it added (empty when {@code onRole} is false). */
    List<PolicyStatement> grantBucket(BucketNeed need) {
        BucketModel model = bucket(need.bucket(), need.scope());
        model.checkOverlap(need);
        model.add(need);
        if (!need.onRole()) {
            return List.of();
        }
        RoleBucket onRole = roleBuckets.computeIfAbsent(need.role().getNode().getPath() + "|" + model.name,
                k -> new RoleBucket(need.role(), need.bucket()));
        return onRole.add(need.prefix(), need.objectAction());
    }

    /** @return the bucket's model, by name */
    BucketModel bucket(IBucket bucket, IConstruct scope) {
        BucketModel model = buckets.computeIfAbsent(bucket.getBucketName(), name -> new BucketModel(name, bucket, scope));
        model.see(bucket);
        return model;
    }

    /**
     * Records that Personalize, and {@code role} (through S3 when {@code viaS3}), need {@code actions} on the key.
     *
     * @return the statement added to the role's policy, or {@code null} when {@code onRole} is false
     */
    PolicyStatement grantKey(IConstruct scope, IKey key, IRole role, boolean onRole, List<String> actions,
            boolean viaS3) {
        KeyModel model = key(key, scope);
        Map<String, Object> via = viaS3 ? s3ViaService(scope) : null;
        addMissing(model.service(scope), actions);
        addMissing(model.role(scope, role, via), actions);
        if (!onRole) {
            return null;
        }
        String id = role.getNode().getPath() + "|" + key.getKeyArn() + "|" + viaS3;
        PolicyStatement existing = roleKeyStatements.get(id);
        if (existing == null) {
            existing = statement(null, List.of(), List.of(key.getKeyArn()), via);
            roleKeyStatements.put(id, existing);
            role.addToPrincipalPolicy(existing);
        }
        addMissing(existing, actions);
        return existing;
    }

    /** @return the key's model, by ARN */
    KeyModel key(IKey key, IConstruct scope) {
        return keys.computeIfAbsent(key.getKeyArn(), arn -> new KeyModel(key, scope));
    }

    /**
     * The key of a group or an export: an {@link Alias} this app creates stands for its target key; an imported
     * alias or an alias ARN is refused, since Personalize and CloudFormation take a key ARN.
     *
     * @return the key, or {@code null} for none
     */
    static IKey requireKey(String kind, IConstruct construct, String prop, IKey key) {
        if (key instanceof Alias alias) {
            return requireKey(kind, construct, prop, alias.getAliasTargetKey());
        }
        if (key instanceof IAlias alias) {
            throw Validate.error(kind, construct, prop + " is the KMS alias \"" + alias.getAliasName()
                    + "\"; expected a key (a Key, or Key.fromKeyArn(..) with arn:<partition>:kms:<region>:<account>:"
                    + "key/<key-id>): Personalize takes a key ARN, and only an Alias of this app leads to its key");
        }
        if (key != null) {
            String keyArn = key.getKeyArn();
            if (Validate.isKnown(keyArn) && !KMS_KEY_ARN.matcher(keyArn).matches()) {
                throw Validate.error(kind, construct, prop + " ARN \"" + keyArn + "\" is not a key ARN; expected "
                        + "arn:<partition>:kms:<region>:<account>:key/<key-id> (an alias ARN is not accepted)");
            }
        }
        return key;
    }

    /** {@code kms:ViaService} of S3 in the stack's region: literal where the stack's environment is. */
    private static Map<String, Object> s3ViaService(IConstruct scope) {
        Stack stack = Stack.of(scope);
        return Map.of("StringEquals", Map.of("kms:ViaService", Fn.join("", List.of("s3.", stack.getRegion(), ".",
                stack.getUrlSuffix()))));
    }

    static PolicyStatement statement(IPrincipal principal, List<String> actions, List<String> resources,
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

    private static void addMissing(PolicyStatement statement, List<String> actions) {
        List<String> missing = new ArrayList<>();
        for (String action : actions) {
            if (!statement.getActions().contains(action)) {
                missing.add(action);
            }
        }
        if (!missing.isEmpty()) {
            statement.addActions(missing.toArray(String[]::new));
        }
    }

    private static ServicePrincipal personalize() {
        return new ServicePrincipal(DatasetGroup.SERVICE_PRINCIPAL);
    }

    /** A resource policy Personalize needs: attached when the app owns the resource, else one file and one warning. */
    abstract static class PolicyTarget {
        /** Statements with the stack they were made for, in the order they were first needed. */
        final List<Map.Entry<PolicyStatement, Stack>> statements = new ArrayList<>();
        /** The roles named as principals, by ARN token, for explaining their placeholders. */
        final Map<String, Map.Entry<IRole, Stack>> principals = new LinkedHashMap<>();
        final IConstruct reporter;
        private boolean reported;

        PolicyTarget(IConstruct reporter) {
            this.reporter = reporter;
        }

        abstract boolean isAttached();

        abstract String fileName();

        abstract String warning(String file, String placeholders);

        abstract String warningId();

        /** Adds a statement to the file's list and, when owned, to the resource's policy. */
        void add(PolicyStatement statement, IConstruct scope) {
            statements.add(Map.entry(statement, Stack.of(scope)));
        }

        void notePrincipal(IRole role, IConstruct scope) {
            principals.putIfAbsent(role.getRoleArn(), Map.entry(role, Stack.of(scope)));
        }

        /** @return the complete policy document for the owner, each statement resolved in its own stack */
        String json() {
            Set<String> rendered = new LinkedHashSet<>();
            for (Map.Entry<PolicyStatement, Stack> entry : statements) {
                Object resolved = entry.getValue().resolve(entry.getKey().toStatementJson());
                rendered.add(fill(Json.write(PolicyText.placeholders(resolved)), entry.getValue()));
            }
            // keys in Json.write's order: Statement, Version
            return "{\"Statement\":[" + String.join(",", rendered) + "],\"Version\":\"2012-10-17\"}";
        }

        /** Writes the file and the warning once, at synth, for a resource the app does not own. */
        void report() {
            if (isAttached() || statements.isEmpty()) {
                return;
            }
            String file = fileName();
            String json = json();
            Path outdir = Path.of(Stage.of(reporter).getOutdir());
            try {
                Files.createDirectories(outdir);
                Files.writeString(outdir.resolve(file), json + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + " to " + outdir, e);
            }
            if (!reported) {
                reported = true;
                Annotations.of(reporter).addWarningV2(warningId(), warning(file, explain(json)));
            }
        }

        /** @return what each placeholder left in the document stands for, or an empty string */
        private String explain(String json) {
            Map<String, String> meanings = new LinkedHashMap<>();
            Map<String, String> roles = new LinkedHashMap<>();
            for (Map.Entry<IRole, Stack> role : principals.values()) {
                Object resolved = PolicyText.placeholders(role.getValue().resolve(role.getKey().getRoleArn()));
                if (resolved instanceof String text) {
                    roles.put(text, role.getKey().getNode().getPath());
                }
            }
            Matcher m = PLACEHOLDER.matcher(json);
            while (m.find()) {
                String name = m.group(1);
                String placeholder = m.group();
                if (meanings.containsKey(placeholder)) {
                    continue;
                }
                meanings.put(placeholder, switch (name) {
                    case "AWS::AccountId" -> "the account ID the stack deploys to";
                    case "AWS::Region" -> "the stack's region";
                    case "AWS::Partition" -> "the partition (aws, aws-cn or aws-us-gov)";
                    case "AWS::URLSuffix" -> "the domain suffix (amazonaws.com, or amazonaws.com.cn in China)";
                    default -> roles.containsKey(placeholder)
                            ? "the ARN of role '" + roles.get(placeholder) + "' once deployed"
                            : "the value of " + name + " in the stack once deployed";
                });
            }
            if (meanings.isEmpty()) {
                return "";
            }
            List<String> parts = new ArrayList<>();
            meanings.forEach((placeholder, meaning) -> parts.add(placeholder + " with " + meaning));
            return "; in it, replace " + String.join(", ", parts);
        }

        /** Region, partition, URL suffix and account filled in where the stack's environment has them. */
        private static String fill(String json, Stack stack) {
            String region = stack.getRegion();
            if (!Validate.isKnown(region)) {
                return json;
            }
            String out = json.replace("${AWS::Region}", region);
            RegionInfo info = RegionInfo.get(region);
            if (info.getPartition() != null) {
                out = out.replace("${AWS::Partition}", info.getPartition());
            }
            if (info.getDomainSuffix() != null) {
                out = out.replace("${AWS::URLSuffix}", info.getDomainSuffix());
            }
            if (Validate.isKnown(stack.getAccount())) {
                out = out.replace("${AWS::AccountId}", stack.getAccount());
            }
            return out;
        }

    }

    /** A bucket, by name: the statements Personalize needs on it, for every stack whose jobs use it. */
    final class BucketModel extends PolicyTarget {
        final String name;
        private final List<IBucket> seen = new ArrayList<>();
        private final IBucket first;
        private IBucket owner;
        private final Map<String, ServiceStatements> byStack = new LinkedHashMap<>();
        private final List<BucketNeed> needs = new ArrayList<>();

        BucketModel(String name, IBucket first, IConstruct reporter) {
            super(reporter);
            this.name = name;
            this.first = first;
        }

        @Override
        boolean isAttached() {
            return owner != null;
        }

        /** @return the bucket policy of the bucket that holds the statements, or {@code null} */
        IConstruct policy() {
            return owner == null ? null : owner.getPolicy();
        }

        void see(IBucket bucket) {
            if (seen.contains(bucket)) {
                return;
            }
            seen.add(bucket);
            if (owner == null && !statements.isEmpty() && attach(bucket, statements.get(0).getKey())) {
                owner = bucket;
                statements.stream().skip(1).forEach(s -> bucket.addToResourcePolicy(s.getKey()));
            }
        }

        private boolean attach(IBucket bucket, PolicyStatement statement) {
            return Boolean.TRUE.equals(bucket.addToResourcePolicy(statement).getStatementAdded());
        }

        @Override
        void add(PolicyStatement statement, IConstruct scope) {
            super.add(statement, scope);
            if (owner != null) {
                owner.addToResourcePolicy(statement);
                return;
            }
            for (IBucket bucket : seen) {
                if (attach(bucket, statement)) {
                    owner = bucket;
                    statements.stream().limit(statements.size() - 1).forEach(s -> bucket.addToResourcePolicy(s.getKey()));
                    return;
                }
            }
        }

        void add(BucketNeed need) {
            needs.add(need);
            Stack stack = Stack.of(need.scope());
            String key = stack.getAccount() + "|" + stack.getRegion() + "|" + stack.getPartition();
            byStack.computeIfAbsent(key, k -> new ServiceStatements(this, need.scope()))
                    .add(need.prefix(), need.objectAction(), need.scope());
        }

        /** Exports never write into a folder imports read, whichever grant or job comes first. */
        void checkOverlap(BucketNeed need) {
            for (BucketNeed other : needs) {
                if (other.purpose().equals(need.purpose())) {
                    continue;
                }
                String a = need.prefix() == null ? "" : need.prefix();
                String b = other.prefix() == null ? "" : other.prefix();
                if (a.startsWith(b) || b.startsWith(a)) {
                    throw Validate.error(need.kind(), need.scope(), need.purpose() + " prefix \"" + a + "\" overlaps "
                            + other.purpose() + " prefix \"" + b + "\" in bucket " + describe()
                            + "; expected separate folders, so that exports never mix with import data");
                }
            }
        }

        String describe() {
            return Validate.isKnown(name) ? "'" + name + "'" : "'" + first.getNode().getPath() + "'";
        }

        @Override
        String fileName() {
            return "bucket-policy." + (Validate.isKnown(name) ? name : Names.nodeUniqueId(first.getNode())) + ".json";
        }

        @Override
        String warningId() {
            return BUCKET_WARNING;
        }

        @Override
        String warning(String file, String placeholders) {
            return "bucket " + describe() + " is not owned by this app, so Personalize's statements cannot be "
                    + "attached to its policy: apply the bucket policy in " + file + " (next to the template), "
                    + "which holds what every import and export of the app needs on the bucket" + placeholders;
        }
    }

    /** Personalize's statements on one bucket for the stacks of one account, region and partition. */
    private static final class ServiceStatements {
        private final BucketModel bucket;
        private final Map<String, Object> deputy;
        private final Map<String, PolicyStatement> objects = new LinkedHashMap<>();
        private final Map<String, List<String>> objectPrefixes = new LinkedHashMap<>();
        private final List<String> listPrefixes = new ArrayList<>();
        private boolean wholeBucketListed;

        ServiceStatements(BucketModel bucket, IConstruct scope) {
            this.bucket = bucket;
            this.deputy = PersonalizeServiceRole.confusedDeputyConditions(scope);
        }

        void add(String prefix, String objectAction, IConstruct scope) {
            IBucket named = bucket.first;
            String arn = named.arnForObjects(prefix == null ? "*" : prefix + "*");
            PolicyStatement onObjects = objects.get(objectAction);
            if (onObjects == null) {
                onObjects = statement(personalize(), List.of(objectAction), List.of(arn), deputy);
                objects.put(objectAction, onObjects);
                objectPrefixes.put(objectAction, new ArrayList<>(List.of(prefix == null ? "" : prefix)));
                bucket.add(onObjects, scope);
            } else if (grant(objectPrefixes.get(objectAction), prefix == null ? "" : prefix)) {
                onObjects.addResources(arn);
            }
            if (prefix == null) {
                if (!wholeBucketListed) {
                    wholeBucketListed = true;
                    bucket.add(statement(personalize(), List.of("s3:ListBucket"), List.of(named.getBucketArn()),
                            deputy), scope);
                }
                return;
            }
            if (listPrefixes.isEmpty()) {
                Map<String, Object> conditions = new LinkedHashMap<>(deputy);
                conditions.put("StringLike", Map.of("s3:prefix", prefixes(listPrefixes)));
                bucket.add(statement(personalize(), List.of("s3:ListBucket"), List.of(named.getBucketArn()),
                        conditions), scope);
            }
            if (!covered(listPrefixes, prefix)) {
                listPrefixes.add(prefix + "*");
            }
        }
    }

    /** The statements one role needs on one bucket. */
    private static final class RoleBucket {
        private final IRole role;
        private final IBucket bucket;
        private final Map<String, PolicyStatement> objects = new LinkedHashMap<>();
        private final Map<String, List<String>> objectPrefixes = new LinkedHashMap<>();
        private final List<String> listPrefixes = new ArrayList<>();
        private PolicyStatement list;
        private PolicyStatement wholeList;

        RoleBucket(IRole role, IBucket bucket) {
            this.role = role;
            this.bucket = bucket;
        }

        List<PolicyStatement> add(String prefix, String objectAction) {
            String arn = bucket.arnForObjects(prefix == null ? "*" : prefix + "*");
            PolicyStatement onObjects = objects.get(objectAction);
            if (onObjects == null) {
                onObjects = statement(null, List.of(objectAction), List.of(arn), null);
                objects.put(objectAction, onObjects);
                objectPrefixes.put(objectAction, new ArrayList<>(List.of(prefix == null ? "" : prefix)));
                role.addToPrincipalPolicy(onObjects);
            } else if (grant(objectPrefixes.get(objectAction), prefix == null ? "" : prefix)) {
                onObjects.addResources(arn);
            }
            if (prefix == null) {
                if (wholeList == null) {
                    wholeList = statement(null, List.of("s3:ListBucket"), List.of(bucket.getBucketArn()), null);
                    role.addToPrincipalPolicy(wholeList);
                }
                return List.of(onObjects, wholeList);
            }
            if (list == null) {
                list = statement(null, List.of("s3:ListBucket"), List.of(bucket.getBucketArn()),
                        Map.of("StringLike", Map.of("s3:prefix", prefixes(listPrefixes))));
                role.addToPrincipalPolicy(list);
            }
            if (!covered(listPrefixes, prefix)) {
                listPrefixes.add(prefix + "*");
            }
            return List.of(onObjects, list);
        }
    }

    /** @return whether the prefix was added: false when a granted prefix already covers it */
    private static boolean grant(List<String> granted, String prefix) {
        for (String other : granted) {
            if (prefix.startsWith(other)) {
                return false;
            }
        }
        granted.add(prefix);
        return true;
    }

    /** @return whether an {@code s3:prefix} pattern ({@code <prefix>*}) of the list already matches the prefix */
    private static boolean covered(List<String> patterns, String prefix) {
        for (String pattern : patterns) {
            if (prefix.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static Object prefixes(List<String> granted) {
        return Lazy.uncachedAny(new IAnyProducer() {
            @Override
            public Object produce(IResolveContext context) {
                return granted.size() == 1 ? granted.get(0) : List.copyOf(granted);
            }
        });
    }

    /** A KMS key, by ARN: Personalize's and the roles' statements for its key policy. */
    final class KeyModel extends PolicyTarget {
        private final IKey key;
        private final Map<String, PolicyStatement> service = new LinkedHashMap<>();
        private final Map<String, PolicyStatement> roles = new LinkedHashMap<>();
        private boolean attached = true;

        KeyModel(IKey key, IConstruct reporter) {
            super(reporter);
            this.key = key;
        }

        @Override
        boolean isAttached() {
            return attached;
        }

        PolicyStatement service(IConstruct scope) {
            Stack stack = Stack.of(scope);
            return service.computeIfAbsent(stack.getAccount() + "|" + stack.getRegion() + "|" + stack.getPartition(),
                    k -> {
                        PolicyStatement s = statement(personalize(), List.of(), List.of("*"),
                                PersonalizeServiceRole.confusedDeputyConditions(scope));
                        addStatement(s, scope, true);
                        return s;
                    });
        }

        PolicyStatement role(IConstruct scope, IRole role, Map<String, Object> via) {
            return roles.computeIfAbsent(role.getNode().getPath() + "|" + (via != null), k -> {
                PolicyStatement s = statement(role.getGrantPrincipal(), List.of(), List.of("*"), via);
                notePrincipal(role, scope);
                // a key in another stack trusts the account already; naming the role there would create a cycle
                addStatement(s, scope, Stack.of(key) == Stack.of(role));
                return s;
            });
        }

        /** Statements made elsewhere (a dataset group's), for the file of a key the app does not own. */
        void addForFile(List<PolicyStatement> made, IConstruct scope, boolean attachedThere, IRole role) {
            attached &= attachedThere;
            for (PolicyStatement statement : made) {
                add(statement, scope);
            }
            if (role != null) {
                notePrincipal(role, scope);
            }
        }

        private void addStatement(PolicyStatement statement, IConstruct scope, boolean toPolicy) {
            add(statement, scope);
            if (toPolicy || !attached) {
                attached &= Boolean.TRUE.equals(key.addToResourcePolicy(statement).getStatementAdded());
            }
        }

        String describe() {
            return Validate.isKnown(key.getKeyArn()) ? key.getKeyArn() : "'" + key.getNode().getPath() + "'";
        }

        @Override
        String fileName() {
            String arn = key.getKeyArn();
            String id = Validate.isKnown(arn) && arn.contains(":key/") ? arn.substring(arn.indexOf(":key/") + 5)
                    : Names.nodeUniqueId(key.getNode());
            return "key-policy." + id + ".json";
        }

        @Override
        String warningId() {
            return KEY_WARNING;
        }

        @Override
        String warning(String file, String placeholders) {
            return "KMS key " + describe() + " is not owned by this app, so its key policy cannot be updated: add "
                    + "the statements in " + file + " (next to the template) to its key policy" + placeholders;
        }
    }
}
