package io.github.personalizecdk.it.lifecycle;

import io.github.personalizecdk.handler.emulator.Permissions;
import io.github.personalizecdk.internal.HandlerJar;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The permissions of the stack's handler as IAM reads them at the moment of a call: the Allow statements of the
 * policies attached to the role of the function that runs {@link HandlerJar#HANDLER}, as the stack holds them
 * then (an update or rollback changes them before CloudFormation's cleanup deletes anything). Conditions are
 * not evaluated; there are no Deny statements to honour.
 */
final class DeployedPolicies implements Permissions {
    private final CloudFormationSimulator stack;

    DeployedPolicies(CloudFormationSimulator stack) {
        this.stack = stack;
    }

    @Override
    public boolean allows(String action, String resourceArn) {
        String role = handlerRole();
        return role != null && stack.resources().values().stream()
                .filter(r -> r.type().equals("AWS::IAM::Policy"))
                .filter(r -> r.properties().get("Roles") instanceof List<?> roles && roles.contains(role))
                .flatMap(r -> statements(r.properties()).stream())
                .anyMatch(s -> "Allow".equals(s.get("Effect")) && matches(s.get("Action"), action)
                        && matches(s.get("Resource"), resourceArn));
    }

    /** @return the name of the handler function's role, or null before it exists */
    private String handlerRole() {
        return stack.resources().values().stream()
                .filter(r -> r.type().equals("AWS::Lambda::Function"))
                .filter(r -> HandlerJar.HANDLER.equals(r.properties().get("Handler")))
                .map(r -> String.valueOf(r.properties().get("Role")))
                .map(arn -> arn.substring(arn.lastIndexOf('/') + 1))
                .findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        Map<String, Object> document = (Map<String, Object>) policy.get("PolicyDocument");
        return (List<Map<String, Object>>) document.get("Statement");
    }

    /** IAM's matching of an action or resource against a value or list of values with {@code *} and {@code ?}. */
    static boolean matches(Object patterns, String value) {
        List<?> all = patterns instanceof List<?> list ? list : List.of(String.valueOf(patterns));
        return all.stream().map(String::valueOf).anyMatch(p -> Pattern.compile(
                ("\\Q" + p + "\\E").replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q")).matcher(value).matches());
    }
}
