package io.github.personalizecdk;

/** What is known about a schema defined outside this app. */
public final class SchemaAttributes {
    private final String schemaArn;
    private final Domain domain;
    private final SchemaDefinition definition;

    private SchemaAttributes(Builder b) {
        this.schemaArn = b.schemaArn; // required: checked with the path by the construct that imports it
        this.domain = b.domain;
        this.definition = b.definition;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** ARN of the schema, e.g. {@code arn:aws:personalize:us-east-1:123456789012:schema/my-schema}. */
    public String getSchemaArn() {
        return schemaArn;
    }

    /** @default - a custom schema, or unknown when no definition is given */
    public Domain getDomain() {
        return domain;
    }

    /** @default - unknown: datasets using the schema skip the checks that need its fields */
    public SchemaDefinition getDefinition() {
        return definition;
    }

    public static final class Builder {
        private String schemaArn;
        private Domain domain;
        private SchemaDefinition definition;

        public Builder schemaArn(String schemaArn) {
            this.schemaArn = schemaArn;
            return this;
        }

        public Builder domain(Domain domain) {
            this.domain = domain;
            return this;
        }

        public Builder definition(SchemaDefinition definition) {
            this.definition = definition;
            return this;
        }

        public SchemaAttributes build() {
            return new SchemaAttributes(this);
        }
    }
}
