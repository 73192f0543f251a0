package io.github.personalizecdk.handler.internal;

import java.util.Map;

/**
 * Reading a custom resource's properties, which CloudFormation passes as strings: an empty value counts as
 * absent, and a missing required one fails with its name.
 */
final class Properties {
    private Properties() {
    }

    /** @return the property's text, or null when it is absent or empty */
    static String optional(Map<String, Object> properties, String name) {
        Object value = properties.get(name);
        return value == null || String.valueOf(value).isEmpty() ? null : String.valueOf(value);
    }

    /** @return the property's text, or {@code fallback} when it is absent or empty */
    static String orDefault(Map<String, Object> properties, String name, String fallback) {
        String value = optional(properties, name);
        return value == null ? fallback : value;
    }

    /** @throws IllegalArgumentException naming the property when it is absent or empty */
    static String required(Map<String, Object> properties, String name) {
        String value = optional(properties, name);
        if (value == null) {
            throw new IllegalArgumentException("resource property " + name + " is required");
        }
        return value;
    }

    /** Appends {@code s} as the body of a JSON string (quotes and backslashes escaped, control characters too). */
    static StringBuilder escapeJson(String s, StringBuilder out) {
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out;
    }
}
