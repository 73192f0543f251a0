package io.github.personalizecdk;

import software.amazon.awscdk.IResource;

/** A Personalize schema, created in this app or imported. */
public interface ISchema extends IResource {
    /** @return the schema's ARN */
    String getSchemaArn();

    /** @return the schema's name */
    String getSchemaName();

    /** @return the schema's domain; {@code null} for a custom schema or when unknown */
    Domain getDomain();

    /**
     * @return the schema's definition, or {@code null} when unknown (an imported schema), in which case
     *     datasets skip the checks that need it
     */
    SchemaDefinition getDefinition();
}
