package io.github.personalizecdk;

import io.github.personalizecdk.internal.Arns;
import io.github.personalizecdk.internal.Json;
import io.github.personalizecdk.internal.NagSuppression;
import io.github.personalizecdk.internal.Validate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AddToResourcePolicyResult;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.personalize.CfnDatasetGroup;
import software.constructs.Construct;

/**
 * A Personalize dataset group ({@code AWS::Personalize::DatasetGroup}): a Domain group when a
 * {@link Domain} is given, a custom group otherwise.
 *
 * <p>With an encryption key, a role that only Personalize can assume (for this account) is created or
 * taken from props; it gets {@link PersonalizeActions#KMS_FOR_DATASET_GROUP} on the key, and the key
 * policy gets the same plus {@code kms:CreateGrant} for that role and for the Personalize service,
 * with {@code aws:SourceAccount}/{@code aws:SourceArn} conditions.
 *
 * <pre>{@code
 * DatasetGroup group = DatasetGroup.Builder.create(this, "Group")
 *     .domain(Domain.ECOMMERCE)
 *     .build();
 * }</pre>
 */
public class DatasetGroup extends DatasetGroupBase {
    /** The Personalize service principal. */
    public static final String SERVICE_PRINCIPAL = "personalize.amazonaws.com";
    private static final String KIND = "DatasetGroup";

    private final String datasetGroupArn;
    private final String datasetGroupName;
    private final String datasetGroupNamePattern;
    private final Domain domain;
    private final IKey encryptionKey;
    private final IRole encryptionRole;

    public DatasetGroup(Construct scope, String id) {
        this(scope, id, DatasetGroupProps.builder().build());
    }

    public DatasetGroup(Construct scope, String id, DatasetGroupProps props) {
        super(scope, id);
        Validate.required(KIND, this, "props", props, "DatasetGroupProps.builder()...build(), or new DatasetGroup(scope, id) for the defaults");
        RemovalPolicy removalPolicy = props.getRemovalPolicy() != null ? props.getRemovalPolicy()
                : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
        Validate.name(KIND, this, "datasetGroupName", props.getDatasetGroupName());
        this.domain = props.getDomain();
        this.encryptionKey = PersonalizeAccess.requireKey(KIND, this, "encryptionKey", props.getEncryptionKey());
        if (encryptionKey == null && props.getEncryptionRole() != null) {
            throw Validate.error(KIND, this, "encryptionRole is set but encryptionKey is not; "
                    + "expected encryptionRole only together with encryptionKey");
        }
        if (encryptionKey != null) {
            if (props.getEncryptionRole() != null) {
                this.encryptionRole = props.getEncryptionRole();
                checkRoleStack();
            } else {
                Role role = Role.Builder.create(this, "EncryptionRole")
                        .assumedBy(PersonalizeServiceRole.servicePrincipal(this))
                        .description("Lets Amazon Personalize use the KMS key of dataset group "
                                + getNode().getPath())
                        .build();
                NagSuppression.inlinePolicyOfOwnRole(role);
                this.encryptionRole = role;
            }
            grantKeyUse();
            if (props.getEncryptionRole() == null) {
                // a kept group keeps needing its role to read its data
                encryptionRole.getNode().findAll().stream()
                        .filter(CfnResource::isCfnResource)
                        .forEach(c -> ((CfnResource) c).applyRemovalPolicy(removalPolicy));
            }
        } else {
            this.encryptionRole = null;
        }

        String keyArn = encryptionKey == null ? null : encryptionKey.getKeyArn();
        String roleArn = encryptionRole == null ? null : encryptionRole.getRoleArn();
        if (props.getDatasetGroupName() != null) {
            this.datasetGroupName = props.getDatasetGroupName();
            this.datasetGroupNamePattern = datasetGroupName;
            Validate.warnExplicitName(KIND, this, "datasetGroupName", datasetGroupName,
                    "domain, encryptionKey or encryptionRole", null);
        } else {
            this.datasetGroupName = Validate.generatedName(this, domain == null ? null : domain.name(), keyArn,
                    roleArn);
            this.datasetGroupNamePattern = Validate.generationsPattern(datasetGroupName);
        }

        CfnDatasetGroup resource = CfnDatasetGroup.Builder.create(this, "Resource")
                .name(datasetGroupName)
                .domain(domain == null ? null : domain.name())
                .kmsKeyArn(keyArn)
                .roleArn(roleArn)
                .build();
        resource.applyRemovalPolicy(removalPolicy);
        if (encryptionRole != null) {
            // Personalize checks the role's permissions when it creates the group
            resource.getNode().addDependency(encryptionRole);
        }
        this.datasetGroupArn = resource.getAttrDatasetGroupArn();
    }

    /**
     * A role of another stack, with the key in this one: the role's policy would name the key and the group the
     * role, so each stack would depend on the other.
     */
    private void checkRoleStack() {
        Stack here = Stack.of(this);
        Stack roleStack = Stack.of(encryptionRole);
        if (roleStack != here && Stack.of(encryptionKey) == here) {
            throw Validate.error(KIND, this, "encryptionRole '" + encryptionRole.getNode().getPath() + "' is in stack '"
                    + roleStack.getNode().getPath() + "' while encryptionKey is in this group's stack '"
                    + here.getNode().getPath() + "'; expected the role in stack '" + here.getNode().getPath()
                    + "' (or imported there with Role.fromRoleArn), or the key in stack '"
                    + roleStack.getNode().getPath() + "': the group names the role and the role's policy names the "
                    + "key, so each stack would depend on the other");
        }
    }

    private void grantKeyUse() {
        encryptionKey.grant(encryptionRole, PersonalizeActions.KMS_FOR_DATASET_GROUP.toArray(String[]::new));
        List<String> keyPolicyActions = new ArrayList<>(PersonalizeActions.KMS_FOR_DATASET_GROUP);
        keyPolicyActions.add(PersonalizeActions.KMS_CREATE_GRANT);

        List<PolicyStatement> statements = new ArrayList<>();
        statements.add(PolicyStatement.Builder.create()
                .sid("AllowPersonalizeServiceToUseKey")
                .effect(Effect.ALLOW)
                .principals(List.of(new ServicePrincipal(SERVICE_PRINCIPAL)))
                .actions(keyPolicyActions)
                .resources(List.of("*"))
                .conditions(PersonalizeServiceRole.confusedDeputyConditions(this))
                .build());
        IPrincipal rolePrincipal = encryptionRole.getGrantPrincipal();
        PolicyStatement forRole = PolicyStatement.Builder.create()
                .sid("AllowPersonalizeRoleToUseKey")
                .effect(Effect.ALLOW)
                .principals(List.of(rolePrincipal))
                .actions(keyPolicyActions)
                .resources(List.of("*"))
                .build();
        boolean added = Boolean.TRUE.equals(encryptionKey.addToResourcePolicy(statements.get(0)).getStatementAdded());
        // a key in another stack trusts the account already; naming the role there would create a cycle
        if (added && Stack.of(encryptionRole) == Stack.of(encryptionKey)) {
            encryptionKey.addToResourcePolicy(forRole);
        }
        if (!added) {
            statements.add(forRole);
            PersonalizeAccess.of(this).key(encryptionKey, this).addForFile(statements, this, false, encryptionRole);
        }
    }

    /** Imports a dataset group by ARN; its domain is unknown, so datasets skip domain checks. */
    public static IDatasetGroup fromDatasetGroupArn(Construct scope, String id, String datasetGroupArn) {
        return fromDatasetGroupAttributes(scope, id,
                DatasetGroupAttributes.builder().datasetGroupArn(datasetGroupArn).build());
    }

    /** Imports a dataset group, with its domain (or {@code custom(true)}) and key when known. */
    public static IDatasetGroup fromDatasetGroupAttributes(Construct scope, String id, DatasetGroupAttributes attrs) {
        return new Imported(scope, id, attrs);
    }

    @Override
    public String getDatasetGroupArn() {
        return datasetGroupArn;
    }

    @Override
    public String getDatasetGroupName() {
        return datasetGroupName;
    }

    @Override
    String getDatasetGroupNamePattern() {
        return datasetGroupNamePattern;
    }

    @Override
    public Domain getDomain() {
        return domain;
    }

    @Override
    public boolean isDomainKnown() {
        return true;
    }

    @Override
    public IKey getEncryptionKey() {
        return encryptionKey;
    }

    /** @return the role Personalize uses for the encryption key, or {@code null} without a key */
    public IRole getEncryptionRole() {
        return encryptionRole;
    }

    private static final class Imported extends DatasetGroupBase {
        private final DatasetGroupAttributes attrs;
        private final String name;

        Imported(Construct scope, String id, DatasetGroupAttributes attrs) {
            super(scope, id);
            this.attrs = attrs;
            if (attrs.isCustom() && attrs.getDomain() != null) {
                throw Validate.error(KIND, this, "custom is true and domain is " + attrs.getDomain()
                        + "; expected either a domain or custom(true)");
            }
            Matcher m = Arns.check(KIND, this, "datasetGroupArn", attrs.getDatasetGroupArn(), Arns.Kind.DATASET_GROUP);
            this.name = m != null ? m.group(1) : Arns.resourceName(this, attrs.getDatasetGroupArn());
        }

        @Override
        public String getDatasetGroupArn() {
            return attrs.getDatasetGroupArn();
        }

        @Override
        public String getDatasetGroupName() {
            return name;
        }

        @Override
        public Domain getDomain() {
            return attrs.getDomain();
        }

        @Override
        public boolean isDomainKnown() {
            return attrs.getDomain() != null || attrs.isCustom();
        }

        @Override
        public IKey getEncryptionKey() {
            return attrs.getEncryptionKey();
        }
    }

    /** Fluent builder: {@code DatasetGroup.Builder.create(scope, id).domain(..).build()}. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private final DatasetGroupProps.Builder props = DatasetGroupProps.builder();

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        /** @see DatasetGroupProps#getDatasetGroupName() */
        public Builder datasetGroupName(String datasetGroupName) {
            props.datasetGroupName(datasetGroupName);
            return this;
        }

        /** @see DatasetGroupProps#getDomain() */
        public Builder domain(Domain domain) {
            props.domain(domain);
            return this;
        }

        /** @see DatasetGroupProps#getEncryptionKey() */
        public Builder encryptionKey(IKey encryptionKey) {
            props.encryptionKey(encryptionKey);
            return this;
        }

        /** @see DatasetGroupProps#getEncryptionRole() */
        public Builder encryptionRole(IRole encryptionRole) {
            props.encryptionRole(encryptionRole);
            return this;
        }

        /** @see DatasetGroupProps#getRemovalPolicy() */
        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            props.removalPolicy(removalPolicy);
            return this;
        }

        public DatasetGroup build() {
            return new DatasetGroup(scope, id, props.build());
        }
    }
}
