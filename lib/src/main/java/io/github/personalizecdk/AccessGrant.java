package io.github.personalizecdk;

import java.util.List;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.IConstruct;

/**
 * What one grant of {@link PersonalizeServiceRole} produced: the statements on the role, and the
 * bucket and key policy statements (those of every grant and job of the app on the same bucket or
 * key), whether they could be attached, and their JSON for the owner of a bucket or key this app
 * does not own.
 */
public final class AccessGrant {
    private static final String EMPTY_DOCUMENT = "{\"Statement\":[],\"Version\":\"2012-10-17\"}";

    private final List<PolicyStatement> roleStatements;
    private final PersonalizeAccess.PolicyTarget bucket;
    private final PersonalizeAccess.PolicyTarget key;

    AccessGrant(IConstruct scope, List<PolicyStatement> roleStatements, PersonalizeAccess.PolicyTarget bucket,
            PersonalizeAccess.PolicyTarget key) {
        this.roleStatements = List.copyOf(roleStatements);
        this.bucket = bucket;
        this.key = key;
    }

    /** @return the statements added to the role's policy */
    public List<PolicyStatement> getRoleStatements() {
        return roleStatements;
    }

    /**
     * @return the bucket policy statements (principal {@code personalize.amazonaws.com}) of every grant and job of
     *     the app on this bucket, this grant's included
     */
    public List<PolicyStatement> getBucketPolicyStatements() {
        return bucket == null ? List.of() : bucket.statements.stream().map(e -> e.getKey()).toList();
    }

    /** @return the key policy statements of every grant and job of the app on this key; empty without a key */
    public List<PolicyStatement> getKeyPolicyStatements() {
        return key == null ? List.of() : key.statements.stream().map(e -> e.getKey()).toList();
    }

    /** @return whether the bucket policy statements were attached (false for a bucket the app does not own) */
    public boolean isBucketPolicyApplied() {
        return bucket == null || bucket.isAttached();
    }

    /** @return whether the key policy statements were attached (true when there are none) */
    public boolean isKeyPolicyApplied() {
        return key == null || key.isAttached();
    }

    /**
     * @return the complete bucket policy Personalize needs, as JSON: what every grant and job of the app needs on
     *     the bucket, the document written to {@code bucket-policy.<bucket>.json} for a bucket the app does not
     *     own. Values known only at deploy time appear as placeholders such as {@code ${AWS::AccountId}} or
     *     {@code ${RoleLogicalId.Arn}}; account, partition, region and URL suffix are filled in where the stack's
     *     environment is known
     */
    public String getBucketPolicyJson() {
        return bucket == null ? EMPTY_DOCUMENT : bucket.json();
    }

    /** @return the key policy statements of the key as a policy document in JSON, with placeholders as above */
    public String getKeyPolicyJson() {
        return key == null ? EMPTY_DOCUMENT : key.json();
    }
}
