package io.github.personalizecdk.internal;

import io.github.personalizecdk.contract.Hashes;
import io.github.personalizecdk.contract.NameRules;
import io.github.personalizecdk.contract.TagRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.Stack;
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

    /** Length of the hash of create-only inputs at the end of generated names. */
    public static final int INPUT_HASH_LENGTH = 8;

    /**
     * A name unique in the app that changes exactly when a create-only input of the resource changes:
     * {@code <path-based unique name>-<8 hex of the inputs' hash>}, at most 63 characters. Personalize refuses
     * a second resource of the same name, and CloudFormation creates a replacement before it deletes the old
     * resource (or keeps the old one), so a replacement needs a new name.
     *
     * @param createOnlyInputs values whose change replaces the resource; tokens are hashed in their resolved
     *     form (another key construct gives another name), {@code null} counts as absent
     */
    public static String generatedName(IConstruct construct, Object... createOnlyInputs) {
        String hash = inputHash(construct, createOnlyInputs);
        String base = Names.uniqueResourceName(construct, UniqueResourceNameOptions.builder()
                .maxLength(NAME_MAX_LENGTH - 1 - hash.length())
                .allowedSpecialCharacters("-_")
                .separator("-")
                .build());
        return base + "-" + hash;
    }

    /**
     * @return the name with its create-only hash replaced by {@code *}: every name the construct has had or will
     *     have, e.g. the replaced group whose dataset CloudFormation deletes after an update
     */
    public static String generationsPattern(String generatedName) {
        return generatedName.substring(0, generatedName.length() - INPUT_HASH_LENGTH) + "*";
    }

    /** @return the first {@value #INPUT_HASH_LENGTH} hex digits of the SHA-256 of the inputs, resolved to JSON */
    static String inputHash(IConstruct construct, Object... inputs) {
        Stack stack = Stack.of(construct);
        List<Object> resolved = new ArrayList<>();
        for (Object input : inputs) {
            resolved.add(input == null ? null : stack.resolve(input));
        }
        return Hashes.sha256Hex(Json.write(resolved)).substring(0, INPUT_HASH_LENGTH);
    }

    /**
     * Warns that an explicit name stays when a create-only property changes, so the replacement CloudFormation
     * creates collides with the resource it replaces.
     *
     * @param createOnly the props whose change replaces the resource, e.g. {@code "domain, encryptionKey or
     *     encryptionRole"}
     */
    public static void warnExplicitName(String kind, IConstruct construct, String prop, String name,
            String createOnly, String note) {
        Annotations.of(construct).addWarningV2("personalize-cdk:explicit" + kind + "Name", kind + " '"
                + construct.getNode().getPath() + "': " + prop + " \"" + name + "\" is fixed, so a change to "
                + createOnly + " fails the deployment: it replaces the " + describe(kind) + ", the replacement is "
                + "created under the same name while the old one still exists, and Personalize refuses it "
                + "(already exists). Leave " + prop + " unset for a generated name that changes with "
                + createOnly.replace(" or ", " and ") + ", or change the name together with them."
                + (note == null ? "" : " " + note));
    }

    private static String describe(String kind) {
        return switch (kind) {
            case "DatasetGroup" -> "dataset group";
            case "Schema" -> "schema";
            default -> "dataset";
        };
    }

    /** @return an exception whose message starts with {@code Kind 'path': } */
    public static IllegalArgumentException error(String kind, IConstruct construct, String message) {
        return new IllegalArgumentException(message(kind, construct, message));
    }

    /** @return the message {@code Kind 'path': message}, for errors reported by a validation at synth */
    public static String message(String kind, IConstruct construct, String message) {
        return kind + " '" + construct.getNode().getPath() + "': " + message;
    }

    private static final String TAG_KEY_FORM = "1-" + TagRules.MAX_KEY_LENGTH + " characters of "
            + TagRules.CHARACTERS + ", not starting with aws:";
    private static final String TAG_VALUE_FORM = "0-" + TagRules.MAX_VALUE_LENGTH + " characters of "
            + TagRules.CHARACTERS + ", not starting with aws:";

    /**
     * Checks a resource's tags as they will be sent to Personalize (its own and those of {@code Tags.of(..)}),
     * against {@link TagRules}; tags with unresolved tokens are skipped.
     *
     * @return one message per broken rule, empty when Personalize accepts the tags
     */
    public static List<String> tags(String kind, IConstruct construct, Map<String, String> tags) {
        List<String> out = new ArrayList<>();
        if (tags.size() > TagRules.MAX_TAGS) {
            out.add(message(kind, construct, "has " + tags.size() + " tags (its own and those of Tags.of(..)); "
                    + "allowed: at most " + TagRules.MAX_TAGS + " tags per resource"));
        }
        tags.forEach((key, value) -> {
            if (isKnown(key)) {
                String problem = tagProblem(key, 1, TagRules.MAX_KEY_LENGTH);
                if (problem != null) {
                    out.add(message(kind, construct, "tag key \"" + key + "\" " + problem + "; expected "
                            + TAG_KEY_FORM));
                }
            }
            if (isKnown(value)) {
                String problem = tagProblem(value, 0, TagRules.MAX_VALUE_LENGTH);
                if (problem != null) {
                    out.add(message(kind, construct, "tag \"" + key + "\" has value \"" + value + "\", which "
                            + problem + "; expected " + TAG_VALUE_FORM));
                }
            }
        });
        return out;
    }

    private static String tagProblem(String text, int min, int max) {
        int length = TagRules.length(text);
        if (length < min || length > max) {
            return "has " + length + " characters";
        }
        if (TagRules.isReserved(text)) {
            return "starts with \"" + text.substring(0, TagRules.RESERVED_PREFIX.length()) + "\" (reserved for AWS)";
        }
        if (!TagRules.PATTERN.matcher(text).matches()) {
            return "has invalid characters";
        }
        return null;
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
