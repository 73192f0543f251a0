package io.github.personalizecdk;

import io.github.personalizecdk.internal.Json;
import io.github.personalizecdk.internal.Validate;
import io.github.personalizecdk.internal.PolicyText;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.regioninfo.RegionInfo;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.IConstruct;

/**
 * What one grant of {@link PersonalizeServiceRole} produced: the statements on the role, and the
 * bucket and key policy statements, whether they could be attached, and their JSON for the owner
 * of a bucket or key this app does not own.
 */
public final class AccessGrant {
    private final IConstruct scope;
    private final List<PolicyStatement> roleStatements;
    private final List<PolicyStatement> bucketPolicyStatements;
    private final List<PolicyStatement> keyPolicyStatements;
    private final boolean bucketPolicyApplied;
    private final boolean keyPolicyApplied;

    AccessGrant(IConstruct scope, List<PolicyStatement> roleStatements, List<PolicyStatement> bucketPolicyStatements,
            boolean bucketPolicyApplied, List<PolicyStatement> keyPolicyStatements, boolean keyPolicyApplied) {
        this.scope = scope;
        this.roleStatements = List.copyOf(roleStatements);
        this.bucketPolicyStatements = List.copyOf(bucketPolicyStatements);
        this.bucketPolicyApplied = bucketPolicyApplied;
        this.keyPolicyStatements = List.copyOf(keyPolicyStatements);
        this.keyPolicyApplied = keyPolicyApplied;
    }

    /** @return the statements added to the role's policy */
    public List<PolicyStatement> getRoleStatements() {
        return roleStatements;
    }

    /** @return the statements for the bucket policy (principal {@code personalize.amazonaws.com}) */
    public List<PolicyStatement> getBucketPolicyStatements() {
        return bucketPolicyStatements;
    }

    /** @return the statements for the KMS key policy; empty when no key is involved */
    public List<PolicyStatement> getKeyPolicyStatements() {
        return keyPolicyStatements;
    }

    /** @return whether the bucket policy statements were attached (false for a bucket the app does not own) */
    public boolean isBucketPolicyApplied() {
        return bucketPolicyApplied;
    }

    /** @return whether the key policy statements were attached (true when there are none) */
    public boolean isKeyPolicyApplied() {
        return keyPolicyApplied;
    }

    /**
     * @return the bucket policy as JSON; values known only at deploy time appear as placeholders such as
     *     {@code ${AWS::AccountId}} or {@code ${RoleLogicalId.Arn}}; partition and URL suffix are filled in
     *     when the stack's region is known
     */
    public String getBucketPolicyJson() {
        return document(bucketPolicyStatements);
    }

    /** @return the key policy statements as a policy document in JSON, with placeholders as above */
    public String getKeyPolicyJson() {
        return document(keyPolicyStatements);
    }

    private String document(List<PolicyStatement> statements) {
        PolicyDocument doc = PolicyDocument.Builder.create().statements(statements).build();
        Stack stack = Stack.of(scope);
        Object resolved = stack.resolve(doc.toJSON());
        String json = Json.write(PolicyText.placeholders(resolved == null ? Map.of() : resolved));
        if (Validate.isKnown(stack.getRegion())) {
            RegionInfo region = RegionInfo.get(stack.getRegion());
            if (region.getPartition() != null) {
                json = json.replace("${AWS::Partition}", region.getPartition());
            }
            if (region.getDomainSuffix() != null) {
                json = json.replace("${AWS::URLSuffix}", region.getDomainSuffix());
            }
        }
        return json;
    }
}
