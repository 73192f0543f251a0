package io.github.personalizecdk.it.lifecycle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a template's intrinsic functions against the stack's resources as they are at that moment: Ref
 * (resources, parameter defaults, pseudo parameters), Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split.
 */
final class Intrinsics {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");
    private static final Object NO_VALUE = new Object();

    /** The pseudo parameters of the stack. */
    record Pseudo(String stackName, String stackId, String region, String account) {
    }

    private final Pseudo pseudo;
    private final Map<String, Object> parameters;
    private final Map<String, StackResource> resources;

    Intrinsics(Pseudo pseudo, Map<String, Object> parameters, Map<String, StackResource> resources) {
        this.pseudo = pseudo;
        this.parameters = parameters;
        this.resources = resources;
    }

    @SuppressWarnings("unchecked")
    Object resolve(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            String fn = (String) map.keySet().iterator().next();
            if (fn.equals("Ref") || fn.startsWith("Fn::")) {
                return function(fn, map.get(fn));
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> {
                Object resolved = resolve(v);
                if (resolved != NO_VALUE) {
                    out.put(k, resolved);
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.stream().map(this::resolve).filter(v -> v != NO_VALUE).forEach(out::add);
            return out;
        }
        return value;
    }

    private Object function(String fn, Object arg) {
        List<?> args = arg instanceof List<?> l ? l : List.of();
        return switch (fn) {
            case "Ref" -> ref((String) arg);
            case "Fn::GetAtt" -> arg instanceof String s ? getAtt(s.substring(0, s.indexOf('.')),
                    s.substring(s.indexOf('.') + 1)) : getAtt((String) args.get(0), (String) resolve(args.get(1)));
            case "Fn::Join" -> String.join((String) args.get(0),
                    ((List<?>) resolve(args.get(1))).stream().map(String::valueOf).toList());
            case "Fn::Select" -> ((List<?>) resolve(args.get(1))).get(Integer.parseInt(
                    String.valueOf(resolve(args.get(0)))));
            case "Fn::Split" -> Arrays.asList(((String) resolve(args.get(1))).split(
                    Pattern.quote((String) args.get(0)), -1));
            case "Fn::Sub" -> sub(arg);
            default -> throw new IllegalArgumentException("intrinsic function " + fn + " is not modelled");
        };
    }

    private Object ref(String name) {
        switch (name) {
            case "AWS::Region": return pseudo.region();
            case "AWS::AccountId": return pseudo.account();
            case "AWS::Partition": return "aws";
            case "AWS::URLSuffix": return "amazonaws.com";
            case "AWS::StackName": return pseudo.stackName();
            case "AWS::StackId": return pseudo.stackId();
            case "AWS::NoValue": return NO_VALUE;
            default:
                if (parameters.containsKey(name)) {
                    return parameters.get(name);
                }
                return resource(name).physicalId();
        }
    }

    private Object getAtt(String id, String attribute) {
        StackResource r = resource(id);
        Object value = r.attributes().get(attribute);
        if (value == null) {
            throw new IllegalArgumentException("Template error: resource " + id + " (" + r.type()
                    + ") has no attribute " + attribute + "; it has " + r.attributes().keySet());
        }
        return value;
    }

    private StackResource resource(String id) {
        StackResource r = resources.get(id);
        if (r == null || r.physicalId() == null) {
            throw new IllegalArgumentException("Template error: unresolved resource dependency " + id);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private String sub(Object arg) {
        String text = arg instanceof List<?> l ? (String) l.get(0) : (String) arg;
        Map<String, Object> variables = arg instanceof List<?> l ? (Map<String, Object>) l.get(1) : Map.of();
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value;
            if (name.startsWith("!")) {
                value = "${" + name.substring(1) + "}";
            } else if (variables.containsKey(name)) {
                value = resolve(variables.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                value = getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                value = ref(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
