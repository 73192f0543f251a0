package io.github.personalizecdk;

/**
 * One field of a Personalize schema, for {@link SchemaDefinition#fromFields(String, SchemaField...)}.
 *
 * <pre>{@code
 * SchemaField.of("USER_ID", FieldType.STRING)
 * SchemaField.of("GENRES", FieldType.STRING).categorical().nullable()
 * }</pre>
 */
public final class SchemaField {
    private final String name;
    private final FieldType type;
    private final boolean nullable;
    private final boolean categorical;
    private final boolean textual;

    private SchemaField(String name, FieldType type, boolean nullable, boolean categorical, boolean textual) {
        // null name or type: reported with the schema's path by SchemaDefinition.fromFields and Schema
        this.name = name;
        this.type = type;
        this.nullable = nullable;
        this.categorical = categorical;
        this.textual = textual;
    }

    /** A required (non-null) field. */
    public static SchemaField of(String name, FieldType type) {
        return new SchemaField(name, type, false, false, false);
    }

    /** @return this field, allowing null values (Avro union {@code ["null", type]}) */
    public SchemaField nullable() {
        return new SchemaField(name, type, true, categorical, textual);
    }

    /** @return this field marked {@code "categorical": true} (string fields only) */
    public SchemaField categorical() {
        return new SchemaField(name, type, nullable, true, textual);
    }

    /** @return this field marked {@code "textual": true} (string fields of Items datasets only) */
    public SchemaField textual() {
        return new SchemaField(name, type, nullable, categorical, true);
    }

    public String getName() {
        return name;
    }

    public FieldType getType() {
        return type;
    }

    public boolean isNullable() {
        return nullable;
    }

    public boolean isCategorical() {
        return categorical;
    }

    public boolean isTextual() {
        return textual;
    }
}
