package io.github.personalizecdk.contract;

import java.util.regex.Pattern;

/** Personalize's rule for the names of dataset groups, schemas, datasets and jobs. */
public final class NameRules {
    public static final Pattern PATTERN = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
    public static final int MAX_LENGTH = 63;
    public static final String FORM =
            "1-63 characters of letters, digits, '-' and '_', starting with a letter or digit";

    private NameRules() {
    }
}
