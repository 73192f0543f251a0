package io.github.personalizecdk.it.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Every type that is neither Personalize nor a custom resource (IAM, Lambda, S3, KMS, Logs, Step Functions,
 * metadata...): no service behind it, updated in place, with names and ARNs derived from the stack name and
 * logical id as CloudFormation generates them, so another logical id means another name and ARN. Every
 * operation finishes at once.
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
    public Operation create(Request r) {
        return Operation.instant(() -> made(r));
    }

    private Outcome made(Request r) {
        String uuid = UUID.nameUUIDFromBytes((stack.stackName() + "/" + r.logicalId()).getBytes(
                StandardCharsets.UTF_8)).toString();
        String given = (String) r.properties().get(NAME_PROPERTIES.get(r.type()));
        String suffix = uuid.replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
        String cut = r.logicalId().substring(0, Math.min(20, r.logicalId().length()));
        String name = given != null ? given : stack.stackName() + "-" + cut + "-" + suffix;
        String arn = "arn:aws:%s:" + stack.region() + ":" + stack.account() + ":%s";
        String[] typeParts = r.type().toLowerCase(Locale.ROOT).split("::");
        return switch (r.type()) {
            case "AWS::IAM::Role" -> new Outcome(name, Map.of("Arn", "arn:aws:iam::" + stack.account() + ":role/"
                    + name, "RoleId", "AROA" + suffix));
            case "AWS::KMS::Key" -> new Outcome(uuid, Map.of("Arn", arn.formatted("kms", "key/" + uuid),
                    "KeyId", uuid));
            case "AWS::S3::Bucket" -> {
                String bucket = name.toLowerCase(Locale.ROOT);
                yield new Outcome(bucket, Map.of("Arn", "arn:aws:s3:::" + bucket,
                        "DomainName", bucket + ".s3.amazonaws.com",
                        "RegionalDomainName", bucket + ".s3." + stack.region() + ".amazonaws.com"));
            }
            case "AWS::Lambda::Function" -> new Outcome(name, Map.of("Arn", arn.formatted("lambda",
                    "function:" + name)));
            case "AWS::Logs::LogGroup" -> new Outcome(name, Map.of("Arn", arn.formatted("logs", "log-group:" + name
                    + ":*")));
            case "AWS::StepFunctions::StateMachine" -> new Outcome(arn.formatted("states", "stateMachine:" + name),
                    Map.of("Arn", arn.formatted("states", "stateMachine:" + name), "Name", name));
            default -> new Outcome(name, Map.of("Arn", arn.formatted(typeParts[1], typeParts[2] + "/" + name)));
        };
    }

    @Override
    public Operation update(Request r) {
        return create(r);
    }

    @Override
    public Operation delete(Request r) {
        return Operation.instant(() -> null); // nothing behind it
    }
}
