package io.github.personalizecdk.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a resolved CloudFormation value into text a bucket or key owner can paste: pseudo parameters
 * and references become {@code ${AWS::AccountId}} / {@code ${LogicalId.Attr}} placeholders.
 */
public final class PolicyText {
    private PolicyText() {
    }

    /** @return the value with intrinsic functions replaced by placeholders */
    @SuppressWarnings("unchecked")
    public static Object placeholders(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Object ref = map.get("Ref");
                if (ref instanceof String name) {
                    return "${" + name + "}";
                }
                Object getAtt = map.get("Fn::GetAtt");
                if (getAtt instanceof List<?> parts && parts.size() == 2) {
                    return "${" + parts.get(0) + "." + parts.get(1) + "}";
                }
                Object join = map.get("Fn::Join");
                if (join instanceof List<?> args && args.size() == 2 && args.get(1) instanceof List<?> items) {
                    List<String> parts = new ArrayList<>();
                    for (Object item : items) {
                        Object part = placeholders(item);
                        if (!(part instanceof String text)) {
                            return copy((Map<String, Object>) map);
                        }
                        parts.add(text);
                    }
                    return String.join(String.valueOf(args.get(0)), parts);
                }
            }
            return copy((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(placeholders(item));
            }
            return out;
        }
        return value;
    }

    private static Map<String, Object> copy(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, placeholders(v)));
        return out;
    }
}
