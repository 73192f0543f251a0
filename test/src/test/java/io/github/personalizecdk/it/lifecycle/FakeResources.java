package io.github.personalizecdk.it.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Every type that is neither Personalize nor a custom resource (IAM, Lambda, S3, KMS, Logs, Step Functions,
 * metadata...): no service behind it, updated in place, with physical ids and attributes derived from the
 * stack name and logical id, so another logical id means another name and ARN.
 */
final class FakeResources implements ResourceProvider {
    private static final Map<String, String> NAME_PROPERTIES = Map.of("AWS::IAM::Role", "RoleName",
            "AWS::S3::Bucket", "BucketName", "AWS::Lambda::Function", "FunctionName",
            "AWS::Logs::LogGroup", "LogGroupName", "AWS::StepFunctions::StateMachine", "StateMachineName");

    private final Intrinsics.Pseudo stack;

    FakeResources(Intrinsics.Pseudo stack) {
        this.stack = stack;
    }

    @Override
    public Outcome create(Request r) {
        String suffix = UUID.nameUUIDFromBytes((stack.stackName() + "/" + r.logicalId()).getBytes(
                StandardCharsets.UTF_8)).toString();
        String given = (String) r.properties().get(NAME_PROPERTIES.get(r.type()));
        String name = given != null ? given : stack.stackName() + "-" + cut(r.logicalId()) + "-"
                + suffix.replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
        String arnPrefix = "arn:aws:%s:" + stack.region() + ":" + stack.account() + ":";
        Map<String, Object> attributes = new LinkedHashMap<>();
        String physicalId = name;
        switch (r.type()) {
            case "AWS::IAM::Role" -> {
                attributes.put("Arn", "arn:aws:iam::" + stack.account() + ":role/" + name);
                attributes.put("RoleId", "AROA" + suffix.substring(0, 8).toUpperCase(Locale.ROOT));
            }
            case "AWS::KMS::Key" -> {
                physicalId = suffix;
                attributes.put("Arn", arnPrefix.formatted("kms") + "key/" + suffix);
                attributes.put("KeyId", suffix);
            }
            case "AWS::S3::Bucket" -> {
                physicalId = given != null ? given : name.toLowerCase(Locale.ROOT);
                attributes.put("Arn", "arn:aws:s3:::" + physicalId);
                attributes.put("DomainName", physicalId + ".s3.amazonaws.com");
                attributes.put("RegionalDomainName", physicalId + ".s3." + stack.region() + ".amazonaws.com");
            }
            case "AWS::Lambda::Function" -> attributes.put("Arn", arnPrefix.formatted("lambda") + "function:" + name);
            case "AWS::Logs::LogGroup" -> attributes.put("Arn", arnPrefix.formatted("logs") + "log-group:" + name
                    + ":*");
            case "AWS::StepFunctions::StateMachine" -> {
                physicalId = arnPrefix.formatted("states") + "stateMachine:" + name;
                attributes.put("Arn", physicalId);
                attributes.put("Name", name);
            }
            default -> attributes.put("Arn", arnPrefix.formatted(r.type().split("::")[1].toLowerCase(Locale.ROOT))
                    + r.type().split("::")[2].toLowerCase(Locale.ROOT) + "/" + name);
        }
        return new Outcome(physicalId, attributes);
    }

    /** The logical id part of a generated name, cut as CloudFormation does to keep names short. */
    private static String cut(String logicalId) {
        return logicalId.length() > 20 ? logicalId.substring(0, 20) : logicalId;
    }

    @Override
    public Outcome update(Request r) {
        return create(new Request(r.logicalId(), r.type(), null, r.properties(), null));
    }

    @Override
    public void delete(Request r) {
        // nothing behind it
    }
}
