package io.github.personalizecdk.internal;

import io.github.personalizecdk.contract.NameRules;
import java.util.regex.Pattern;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.UniqueResourceNameOptions;
import software.constructs.IConstruct;

/** Synth-time checks. Each message names the construct, the prop, the value and the allowed form. */
public final class Validate {
    /** Names of dataset groups, schemas, datasets and jobs (Personalize API and CloudFormation). */
    public static final Pattern NAME = NameRules.PATTERN;
    public static final int NAME_MAX_LENGTH = NameRules.MAX_LENGTH;
    static final String NAME_FORM = NameRules.FORM;

    private Validate() {
    }

    /** @return a name unique in the app, derived from the construct path, fitting the name rules */
    public static String generatedName(IConstruct construct) {
        return Names.uniqueResourceName(construct, UniqueResourceNameOptions.builder()
                .maxLength(NAME_MAX_LENGTH)
                .allowedSpecialCharacters("-_")
                .separator("-")
                .build());
    }

    /** @return an exception whose message starts with {@code Kind 'path': } */
    public static IllegalArgumentException error(String kind, IConstruct construct, String message) {
        return new IllegalArgumentException(kind + " '" + construct.getNode().getPath() + "': " + message);
    }

    /** Checks a resource name unless it is an unresolved token. */
    public static void name(String kind, IConstruct construct, String prop, String value) {
        if (!isKnown(value)) {
            return;
        }
        if (value.isEmpty() || value.length() > NAME_MAX_LENGTH) {
            throw error(kind, construct, prop + " \"" + value + "\" has " + value.length()
                    + " characters; expected " + NAME_FORM);
        }
        if (!NAME.matcher(value).matches()) {
            throw error(kind, construct, prop + " \"" + value + "\" has invalid characters; expected " + NAME_FORM);
        }
    }

    public static <T> T required(String kind, IConstruct construct, String prop, T value, String expected) {
        if (value == null) {
            throw error(kind, construct, prop + " is required; expected " + expected);
        }
        return value;
    }

    /**
     * @return whether a string can be checked now: present and without CDK string tokens ({@code ${Token[..]}}),
     *     decided in Java, without a round trip to the CDK runtime
     */
    public static boolean isKnown(String value) {
        return value != null && !value.contains("${Token[");
    }
}
