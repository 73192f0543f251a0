package io.github.personalizecdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The Avro text of a Personalize schema: from a file, a JSON string, or typed fields.
 *
 * <p>The text is checked when a {@link io.github.personalizecdk.Schema} is created from it.
 */
public final class SchemaDefinition {
    /** Namespace Personalize uses in its own schemas. */
    public static final String DEFAULT_NAMESPACE = "com.amazonaws.personalize.schema";

    private final String json;
    private final String source;

    private SchemaDefinition(String json, String source) {
        this.json = json;
        this.source = source;
    }

    /** Avro schema JSON as a string. */
    public static SchemaDefinition fromJson(String json) {
        Objects.requireNonNull(json, "json");
        return new SchemaDefinition(json, "JSON string");
    }

    /** Avro schema JSON read (UTF-8) from a file at synth time. */
    public static SchemaDefinition fromFile(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return new SchemaDefinition(Files.readString(file, StandardCharsets.UTF_8), "file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A record named {@code recordName} in namespace {@value #DEFAULT_NAMESPACE} with the given fields, in order. */
    public static SchemaDefinition fromFields(String recordName, SchemaField... fields) {
        Objects.requireNonNull(recordName, "recordName");
        SchemaBuilder.FieldAssembler<Schema> assembler =
                SchemaBuilder.record(recordName).namespace(DEFAULT_NAMESPACE).fields();
        for (SchemaField field : fields) {
            Schema type = Schema.create(Schema.Type.valueOf(field.getType().name()));
            SchemaBuilder.FieldBuilder<Schema> builder = assembler.name(field.getName());
            if (field.isCategorical()) {
                builder = builder.prop("categorical", true);
            }
            if (field.isTextual()) {
                builder = builder.prop("textual", true);
            }
            if (field.isNullable()) {
                Schema union = Schema.createUnion(List.of(Schema.create(Schema.Type.NULL), type));
                assembler = builder.type(union).withDefault(null);
            } else {
                assembler = builder.type(type).noDefault();
            }
        }
        Schema schema = assembler.endRecord();
        schema.addProp("version", "1.0");
        return new SchemaDefinition(schema.toString(), "fields");
    }

    /** @return the schema text exactly as it goes into the template */
    public String getJson() {
        return json;
    }

    /** @return where the text came from, for error messages */
    public String getSource() {
        return source;
    }
}
