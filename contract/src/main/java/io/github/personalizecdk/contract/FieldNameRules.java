package io.github.personalizecdk.contract;

import java.util.Locale;

/**
 * Personalize's rule that the fields of a schema have unique alphanumeric names: "you can't add both a
 * GENRES_FIELD_1 field and a GENRESFIELD1 field" (Schema formatting requirements,
 * https://docs.aws.amazon.com/personalize/latest/dg/how-it-works-dataset-schema.html#general-schema-requirements).
 * Two names collide when they are equal once every character but letters and digits is removed; names that
 * differ only in letter case are treated as colliding too, a stricter reading than the guide's example.
 */
public final class FieldNameRules {
    private FieldNameRules() {
    }

    /** @return the name as Personalize compares field names: letters and digits only, upper case */
    public static String normalize(String fieldName) {
        return fieldName.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
    }
}
