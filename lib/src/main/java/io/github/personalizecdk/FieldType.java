package io.github.personalizecdk;

/** Avro primitive types that Personalize accepts for schema fields. */
public enum FieldType {
    STRING("string"),
    INT("int"),
    LONG("long"),
    FLOAT("float"),
    DOUBLE("double"),
    BOOLEAN("boolean");

    private final String avroName;

    FieldType(String avroName) {
        this.avroName = avroName;
    }

    /** @return the Avro type name, e.g. {@code string} */
    public String getAvroName() {
        return avroName;
    }
}
