package io.github.personalizecdk.contract;

/**
 * {@code Custom::PersonalizeSchema}: a schema, created with CreateSchema or, when one of the same name already
 * exists with the same definition and domain (kept by an earlier deploy or a rollback), adopted. A schema cannot
 * change, so any new property is a new schema. Its physical id is the schema ARN.
 */
public final class SchemaResource {
    public static final String TYPE = "Custom::PersonalizeSchema";

    // properties
    public static final String SCHEMA_NAME = "SchemaName";
    /** The Avro JSON, compact (no whitespace between tokens). */
    public static final String DEFINITION = "Definition";
    /** {@code ECOMMERCE} or {@code VIDEO_ON_DEMAND}; absent for a custom schema. */
    public static final String DOMAIN = "Domain";

    // attributes (Data)
    public static final String ATT_SCHEMA_ARN = "SchemaArn";

    private SchemaResource() {
    }
}
