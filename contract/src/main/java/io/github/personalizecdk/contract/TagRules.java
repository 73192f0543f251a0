package io.github.personalizecdk.contract;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Personalize's rules for the tags of a resource (here: import and export jobs), checked by the constructs at
 * synth and by the local emulation of the service.
 *
 * <p>Sources: the API reference of {@code Tag} (https://docs.aws.amazon.com/personalize/latest/dg/API_Tag.html:
 * key 1-128 and value 0-256 characters, both matching {@link #PATTERN}) and the developer guide's "Guidelines and
 * requirements" for tags (https://docs.aws.amazon.com/personalize/latest/dg/personalize-managing-tags.html: at
 * most 50 tags per resource, keys and values must not start with {@code aws:}). AWS reserves that prefix in any
 * letter case ("Tag naming limits and requirements", Tagging AWS Resources).
 */
public final class TagRules {
    /** The API's pattern of tag keys and values: letters, separators, digits and {@code _ . : / = + - @}. */
    public static final Pattern PATTERN = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
    public static final String CHARACTERS = "letters, digits, spaces and _ . : / = + - @";
    public static final int MAX_TAGS = 50;
    public static final int MAX_KEY_LENGTH = 128;
    public static final int MAX_VALUE_LENGTH = 256;
    public static final String RESERVED_PREFIX = "aws:";

    private TagRules() {
    }

    /** @return the length as Personalize counts it: Unicode characters, not UTF-16 units */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** @return whether the key or value starts with the prefix AWS keeps for its own tags, in any letter case */
    public static boolean isReserved(String text) {
        return text.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX);
    }
}
