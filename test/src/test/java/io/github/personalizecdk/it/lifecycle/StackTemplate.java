package io.github.personalizecdk.it.lifecycle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One version of a stack's template: its resources, parameter defaults, and the order CloudFormation may create
 * them in (DependsOn plus every Ref, GetAtt and Fn::Sub reference). Rules are ignored; Conditions are not modelled.
 */
final class StackTemplate {
    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([^!}][^}.]*)(\\.[^}]+)?}");

    final Map<String, Map<String, Object>> resources = new TreeMap<>();
    final Map<String, Object> parameters = new LinkedHashMap<>();
    /** Creation order: dependencies first, ties by logical id. */
    final List<String> order;

    @SuppressWarnings("unchecked")
    StackTemplate(Map<String, Object> template) {
        if (template.containsKey("Conditions")) {
            throw new IllegalArgumentException("Conditions are not modelled");
        }
        ((Map<String, Map<String, Object>>) template.getOrDefault("Parameters", Map.of()))
                .forEach((name, p) -> parameters.put(name, p.get("Default")));
        resources.putAll((Map<String, Map<String, Object>>) template.getOrDefault("Resources", Map.of()));
        this.order = topologicalOrder();
    }

    String type(String id) {
        return (String) resources.get(id).get("Type");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String id) {
        return (Map<String, Object>) resources.get(id).getOrDefault("Properties", Map.of());
    }

    String deletionPolicy(String id) {
        return (String) resources.get(id).getOrDefault("DeletionPolicy", "Delete");
    }

    String updateReplacePolicy(String id) {
        return (String) resources.get(id).getOrDefault("UpdateReplacePolicy", "Delete");
    }

    /** @return the logical ids this resource needs first */
    Set<String> dependencies(String id) {
        Set<String> out = new TreeSet<>();
        Object dependsOn = resources.get(id).get("DependsOn");
        if (dependsOn instanceof String s) {
            out.add(s);
        } else if (dependsOn instanceof List<?> l) {
            l.forEach(d -> out.add((String) d));
        }
        collectReferences(resources.get(id).get("Properties"), out);
        out.retainAll(resources.keySet());
        return out;
    }

    private static void collectReferences(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.get("Ref") instanceof String ref) {
                out.add(ref);
            } else if (map.size() == 1 && map.get("Fn::GetAtt") instanceof List<?> att) {
                out.add((String) att.get(0));
            } else if (map.size() == 1 && map.get("Fn::GetAtt") instanceof String att) {
                out.add(att.substring(0, att.indexOf('.')));
            } else if (map.size() == 1 && map.containsKey("Fn::Sub")) {
                Object sub = map.get("Fn::Sub");
                Matcher m = SUB_REFERENCE.matcher(sub instanceof List<?> l ? (String) l.get(0) : (String) sub);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
            map.values().forEach(v -> collectReferences(v, out));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collectReferences(v, out));
        }
    }

    /** Dependencies first; among the ready ones the smallest logical id, so the order is the same on every run. */
    private List<String> topologicalOrder() {
        Map<String, Set<String>> pending = new TreeMap<>();
        resources.keySet().forEach(id -> pending.put(id, new LinkedHashSet<>(dependencies(id))));
        List<String> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            String next = pending.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(
                            "Circular dependency between resources: " + pending.keySet()));
            pending.remove(next);
            pending.values().forEach(deps -> deps.remove(next));
            out.add(next);
        }
        return List.copyOf(out);
    }
}
