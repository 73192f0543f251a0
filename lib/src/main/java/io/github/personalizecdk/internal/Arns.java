package io.github.personalizecdk.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.regioninfo.RegionInfo;
import software.constructs.IConstruct;

/** Parsing and building of Personalize ARNs. */
public final class Arns {
    private static final String PREFIX = "arn:[a-z0-9-]+:personalize:[a-z0-9-]+:[0-9]{12}:";
    private static final String NAME = "([a-zA-Z0-9][a-zA-Z0-9\\-_]{0,62})";

    private Arns() {
    }

    /** A Personalize resource type as it appears in ARNs. */
    public enum Kind {
        DATASET_GROUP("dataset-group", Pattern.compile(PREFIX + "dataset-group/" + NAME),
                "arn:aws:personalize:us-east-1:123456789012:dataset-group/my-group"),
        SCHEMA("schema", Pattern.compile(PREFIX + "schema/" + NAME),
                "arn:aws:personalize:us-east-1:123456789012:schema/my-schema"),
        DATASET("dataset", Pattern.compile(PREFIX + "dataset/" + NAME
                + "/(INTERACTIONS|ITEMS|USERS|ACTIONS|ACTION_INTERACTIONS)"),
                "arn:aws:personalize:us-east-1:123456789012:dataset/my-group/INTERACTIONS");

        final String resourceType;
        final Pattern pattern;
        final String example;

        Kind(String resourceType, Pattern pattern, String example) {
            this.resourceType = resourceType;
            this.pattern = pattern;
            this.example = example;
        }
    }

    /**
     * Checks a resolved ARN against its form.
     *
     * @return the match groups (1: resource name, 2: dataset type where present), or {@code null} for a token
     */
    public static Matcher check(String kind, IConstruct construct, String prop, String arn, Kind arnKind) {
        if (!Validate.isKnown(arn)) {
            return null;
        }
        Matcher m = arnKind.pattern.matcher(arn);
        if (!m.matches()) {
            throw Validate.error(kind, construct, prop + " \"" + arn + "\" is not a " + arnKind.resourceType
                    + " ARN; expected arn:<partition>:personalize:<region>:<account>:" + arnKind.resourceType
                    + "/..., e.g. " + arnKind.example);
        }
        checkEnvironment(kind, construct, prop, arn);
        return m;
    }

    /**
     * In a stack with an explicit environment, an ARN of another partition, region or account is refused: the
     * handler calls Personalize in the stack's region and account, and jobs reach only resources there.
     */
    private static void checkEnvironment(String kind, IConstruct construct, String prop, String arn) {
        Stack stack = Stack.of(construct);
        String region = stack.getRegion();
        String account = stack.getAccount();
        if (!Validate.isKnown(region) || !Validate.isKnown(account)) {
            return;
        }
        String[] parts = arn.split(":", 6);
        String partition = RegionInfo.get(region).getPartition();
        List<String> found = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        if (partition != null && !partition.equals(parts[1])) {
            found.add("partition " + parts[1]);
            expected.add("partition " + partition);
        }
        if (!region.equals(parts[3])) {
            found.add("region " + parts[3]);
            expected.add("region " + region);
        }
        if (!account.equals(parts[4])) {
            found.add("account " + parts[4]);
            expected.add("account " + account);
        }
        if (!found.isEmpty()) {
            throw Validate.error(kind, construct, prop + " \"" + arn + "\" is in " + join(found) + "; expected "
                    + join(expected) + " of stack '" + stack.getNode().getPath() + "', whose environment is explicit: "
                    + "Personalize reaches only resources of the caller's partition, region and account");
        }
    }

    private static String join(List<String> parts) {
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    /** @return the name in a dataset-group or schema ARN, as a token when the ARN is one */
    public static String resourceName(IConstruct scope, String arn) {
        return Stack.of(scope).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME).getResourceName();
    }

    /**
     * @return {@code arn:<partition>:personalize:<region>:<account>:<resource>/<name>} in the stack's partition,
     *     region and account, built from names only, so that policies using it depend on no resource
     */
    public static String format(IConstruct scope, String resource, String name) {
        return Stack.of(scope).formatArn(ArnComponents.builder()
                .service("personalize")
                .resource(resource)
                .resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }

    /** @return {@code arn:<partition>:personalize:<region>:<account>:*}, the confused-deputy source ARN */
    public static String anyPersonalizeResource(IConstruct scope) {
        return Stack.of(scope).formatArn(ArnComponents.builder()
                .service("personalize")
                .resource("*")
                .arnFormat(ArnFormat.NO_RESOURCE_NAME)
                .build());
    }
}
