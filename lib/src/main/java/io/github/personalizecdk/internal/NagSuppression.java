package io.github.personalizecdk.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.services.iam.CfnPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.IConstruct;

/**
 * cdk-nag suppressions on the library's own resources, written as the metadata cdk-nag reads (what its
 * {@code NagSuppressions.addResourceSuppressions} writes), so that the library does not depend on cdk-nag. Each
 * suppression names one resource, one rule and, where the rule reports findings, the findings it applies to.
 */
public final class NagSuppression {
    /** The packs whose rules share a name: NIST 800-53 R5, HIPAA Security, PCI DSS 3.2.1. */
    private static final List<String> COMPLIANCE_PACKS = List.of("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321");

    private NagSuppression() {
    }

    /**
     * @param appliesTo a finding, or a {@code /regex/g} of findings, or {@code null} for a rule without findings
     * @return one rule to suppress
     */
    public static Map<String, Object> rule(String id, String reason, String appliesTo) {
        // insertion-ordered, as the metadata is in the template
        Map<String, Object> suppression = new LinkedHashMap<>();
        suppression.put("id", id);
        suppression.put("reason", reason);
        if (appliesTo != null) {
            suppression.put("applies_to", List.of(appliesTo.startsWith("/") ? Map.of("regex", appliesTo) : appliesTo));
        }
        return suppression;
    }

    /** @return the rule of that name in each of the packs given, as prefixes such as {@code Serverless} */
    public static List<Map<String, Object>> inPacks(List<String> packs, String ruleName, String reason) {
        return packs.stream().map(pack -> rule(pack + "-" + ruleName, reason, null)).toList();
    }

    /** @return the rule of that name in the NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs */
    public static List<Map<String, Object>> inCompliancePacks(String ruleName, String reason) {
        return inPacks(COMPLIANCE_PACKS, ruleName, reason);
    }

    /** Adds the rules to the construct's resource (its default child when it has one), keeping earlier ones. */
    public static void suppress(IConstruct construct, List<Map<String, Object>> rules) {
        IConstruct target = construct.getNode().getDefaultChild() != null ? construct.getNode().getDefaultChild()
                : construct;
        CfnResource resource = (CfnResource) target;
        List<Object> all = new ArrayList<>();
        if (resource.getMetadata("cdk_nag") instanceof Map<?, ?> existing
                && existing.get("rules_to_suppress") instanceof List<?> earlier) {
            all.addAll(earlier);
        }
        for (Map<String, Object> rule : rules) {
            if (!all.contains(rule)) {
                all.add(rule);
            }
        }
        resource.addMetadata("cdk_nag", Map.of("rules_to_suppress", all));
    }

    /**
     * Suppresses the compliance packs' IAMNoInlinePolicy on the role's own policy (its {@code DefaultPolicy}),
     * which grants create on first use, so the suppression is written when aspects run, before cdk-nag's.
     */
    public static void inlinePolicyOfOwnRole(Role role) {
        Aspects.of(role).add(new IAspect() {
            @Override
            public void visit(IConstruct node) {
                if (node instanceof CfnPolicy && node.getNode().getScope() == role.getNode().tryFindChild("DefaultPolicy")) {
                    suppress(node, inCompliancePacks("IAMNoInlinePolicy", "This policy belongs to this one role "
                            + "and holds only what aws-cdk-lib's grants and this library add for it; CloudFormation "
                            + "versions, changes and rolls it back with the role, and a customer-managed policy would "
                            + "hold the same statements under a second name."));
                }
            }
        }, AspectOptions.builder().priority(AspectPriority.MUTATING).build());
    }
}
