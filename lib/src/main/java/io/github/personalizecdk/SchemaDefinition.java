package io.github.personalizecdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The Avro text of a Personalize schema: from a file, a JSON string, or typed fields.
 *
 * <p>The text is checked when a {@link io.github.personalizecdk.Schema} is created from it; so are null inputs
 * and unreadable files, which the factories record instead of throwing, so that the error names the schema's path.
 */
public final class SchemaDefinition {
    /** Namespace Personalize uses in its own schemas. */
    public static final String DEFAULT_NAMESPACE = "com.amazonaws.personalize.schema";

    private final String json;
    private final String source;
    private final String problem;

    private SchemaDefinition(String json, String source, String problem) {
        this.json = json;
        this.source = source;
        this.problem = problem;
    }

    private static SchemaDefinition invalid(String source, String problem) {
        return new SchemaDefinition(null, source, problem);
    }

    /** Avro schema JSON as a string. */
    public static SchemaDefinition fromJson(String json) {
        if (json == null) {
            return invalid("JSON string", "is null; expected Avro schema JSON text");
        }
        return new SchemaDefinition(json, "JSON string", null);
    }

    /** Avro schema JSON read (UTF-8) from a file at synth time. */
    public static SchemaDefinition fromFile(Path file) {
        if (file == null) {
            return invalid("file", "is null; expected the path of an Avro schema JSON file");
        }
        try {
            return new SchemaDefinition(Files.readString(file, StandardCharsets.UTF_8), "file " + file, null);
        } catch (IOException e) {
            return invalid("file " + file, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); expected a readable UTF-8 file");
        }
    }

    /**
     * A record named {@code recordName} in namespace {@value #DEFAULT_NAMESPACE} with the given fields, in order.
     * Missing names or types and repeated field names are reported, with the path, by the {@link
     * io.github.personalizecdk.Schema} that uses the definition.
     */
    public static SchemaDefinition fromFields(String recordName, SchemaField... fields) {
        if (recordName == null) {
            return invalid("fields", "has a null recordName; expected the dataset type's record name, e.g. "
                    + "\"Interactions\"");
        }
        if (fields == null) {
            return invalid("fields", "has a null list of fields; expected SchemaField.of(..) values");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < fields.length; i++) {
            SchemaField field = fields[i];
            String at = "field " + (i + 1) + " of " + fields.length;
            if (field == null) {
                return invalid("fields", "has a null " + at + "; expected SchemaField.of(name, type)");
            }
            if (field.getName() == null) {
                return invalid("fields", "has a null name in " + at + "; expected a name such as USER_ID");
            }
            if (field.getType() == null) {
                return invalid("fields", "has a null type in " + at + " (" + field.getName() + "); expected one of "
                        + Arrays.stream(FieldType.values()).map(Enum::name).collect(Collectors.joining(", ")));
            }
            if (!names.add(field.getName())) {
                return invalid("fields", "declares field " + field.getName() + " more than once; allowed: each "
                        + "field name once");
            }
        }
        try {
            return new SchemaDefinition(build(recordName, fields), "fields", null);
        } catch (AvroRuntimeException e) {
            return invalid("fields", "is not a valid Avro schema: " + e.getMessage() + "; expected a record name "
                    + "and field names of letters, digits and '_', not starting with a digit");
        }
    }

    private static String build(String recordName, SchemaField... fields) {
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
        return schema.toString();
    }

    /** @return the schema text exactly as it goes into the template; {@code null} when {@link #getProblem()} is set */
    public String getJson() {
        return json;
    }

    /**
     * @return why no schema text could be made (e.g. a null input or an unreadable file), said after the source,
     *     or {@code null}
     */
    public String getProblem() {
        return problem;
    }

    /** @return where the text came from, for error messages */
    public String getSource() {
        return source;
    }
}
