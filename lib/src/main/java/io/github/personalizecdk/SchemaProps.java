package io.github.personalizecdk;

import software.amazon.awscdk.RemovalPolicy;

/** Properties of a {@link Schema}. */
public final class SchemaProps {
    private final SchemaDefinition definition;
    private final String schemaName;
    private final Domain domain;
    private final RemovalPolicy removalPolicy;

    private SchemaProps(Builder b) {
        this.definition = b.definition;
        this.schemaName = b.schemaName;
        this.domain = b.domain;
        this.removalPolicy = b.removalPolicy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The Avro definition. Required. */
    public SchemaDefinition getDefinition() {
        return definition;
    }

    /**
     * The schema's name. An explicit name gets a synth warning: a new definition or domain replaces the schema,
     * and the replacement would be created under the same name.
     *
     * @default - {@code <unique name from the construct path>-<8 hex>}, the hex a hash of the compact
     *     definition and the domain (at most 63 characters)
     */
    public String getSchemaName() {
        return schemaName;
    }

    /** The domain, for datasets of a Domain dataset group. @default - none: a custom schema */
    public Domain getDomain() {
        return domain;
    }

    /**
     * What happens to the schema when it leaves the stack or a new definition or domain replaces it.
     * Personalize refuses to delete a schema that a dataset still uses: the handler then keeps it, and the
     * deletion succeeds.
     *
     * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE - the schema is kept when the stack is deleted or the
     *     schema replaced, and deleted only when its very first create rolls back
     */
    public RemovalPolicy getRemovalPolicy() {
        return removalPolicy;
    }

    public static final class Builder {
        private SchemaDefinition definition;
        private String schemaName;
        private Domain domain;
        private RemovalPolicy removalPolicy;

        public Builder definition(SchemaDefinition definition) {
            this.definition = definition;
            return this;
        }

        public Builder schemaName(String schemaName) {
            this.schemaName = schemaName;
            return this;
        }

        public Builder domain(Domain domain) {
            this.domain = domain;
            return this;
        }

        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            this.removalPolicy = removalPolicy;
            return this;
        }

        public SchemaProps build() {
            return new SchemaProps(this);
        }
    }
}
