package io.github.personalizecdk.internal;

import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.Domain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** A Personalize schema parsed with Avro, and the rules Personalize applies to it. */
public final class SchemaModel {
    /** Avro primitives Personalize accepts. */
    static final Set<Schema.Type> ALLOWED_TYPES = EnumSet.of(Schema.Type.STRING, Schema.Type.INT,
            Schema.Type.LONG, Schema.Type.FLOAT, Schema.Type.DOUBLE, Schema.Type.BOOLEAN);

    /** Reserved field names and the only type each may have. */
    static final Map<String, Schema.Type> RESERVED = reserved();

    private static Map<String, Schema.Type> reserved() {
        Map<String, Schema.Type> m = new LinkedHashMap<>();
        m.put("USER_ID", Schema.Type.STRING);
        m.put("ITEM_ID", Schema.Type.STRING);
        m.put("ACTION_ID", Schema.Type.STRING);
        m.put("TIMESTAMP", Schema.Type.LONG);
        m.put("EVENT_TYPE", Schema.Type.STRING);
        m.put("EVENT_VALUE", Schema.Type.FLOAT);
        m.put("CREATION_TIMESTAMP", Schema.Type.LONG);
        m.put("IMPRESSION", Schema.Type.STRING);
        m.put("RECOMMENDATION_ID", Schema.Type.STRING);
        return Collections.unmodifiableMap(m);
    }

    /** One field: its primitive type and flags. */
    public record Field(String name, Schema.Type type, boolean nullable, boolean categorical, boolean textual,
            String avroType) {
    }

    private final Map<String, Field> fields;
    private final List<String> problems;

    private SchemaModel(Map<String, Field> fields, List<String> problems) {
        this.fields = fields;
        this.problems = problems;
    }

    /**
     * Parses Avro JSON.
     *
     * @throws IllegalArgumentException with Avro's reason when the text is not an Avro record schema
     */
    public static SchemaModel parse(String json) {
        Schema schema;
        try {
            schema = new Schema.Parser().setValidateDefaults(true).parse(json);
        } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
            throw new IllegalArgumentException(firstLine(e.getMessage()), e);
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("top-level type is " + schema.getType().getName() + ", not record");
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            Field field = toField(f);
            fields.put(f.name(), field);
            if (field.type() == null) {
                problems.add("field " + f.name() + " has type " + field.avroType()
                        + "; allowed: string, int, long, float, double, boolean, or a union of null and one of them");
                continue;
            }
            if (field.categorical() && field.type() != Schema.Type.STRING) {
                problems.add("field " + f.name() + " is categorical but has type " + field.avroType()
                        + "; allowed: categorical on string fields only");
            }
            if (field.textual() && field.type() != Schema.Type.STRING) {
                problems.add("field " + f.name() + " is textual but has type " + field.avroType()
                        + "; allowed: textual on string fields only");
            }
            Schema.Type reservedType = RESERVED.get(f.name());
            if (reservedType != null && field.type() != reservedType) {
                problems.add("reserved field " + f.name() + " has type " + field.avroType() + "; allowed: "
                        + reservedType.getName() + (isId(f.name()) ? "" : " (or a union of null and "
                        + reservedType.getName() + ")"));
            }
        }
        if (fields.isEmpty()) {
            problems.add("record has no fields; allowed: a record with the fields of one dataset type");
        }
        return new SchemaModel(Collections.unmodifiableMap(fields), List.copyOf(problems));
    }

    private static boolean isId(String name) {
        return name.equals("USER_ID") || name.equals("ITEM_ID") || name.equals("ACTION_ID")
                || name.equals("TIMESTAMP");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable schema";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static Field toField(Schema.Field f) {
        Schema s = f.schema();
        boolean categorical = Boolean.TRUE.equals(f.getObjectProp("categorical"));
        boolean textual = Boolean.TRUE.equals(f.getObjectProp("textual"));
        String avroType = describe(s);
        if (ALLOWED_TYPES.contains(s.getType())) {
            return new Field(f.name(), s.getType(), false, categorical, textual, avroType);
        }
        if (s.getType() == Schema.Type.UNION && s.getTypes().size() == 2) {
            List<Schema> branches = s.getTypes();
            Schema other = branches.get(0).getType() == Schema.Type.NULL ? branches.get(1)
                    : branches.get(1).getType() == Schema.Type.NULL ? branches.get(0) : null;
            if (other != null && ALLOWED_TYPES.contains(other.getType())) {
                return new Field(f.name(), other.getType(), true, categorical, textual, avroType);
            }
        }
        return new Field(f.name(), null, false, categorical, textual, avroType);
    }

    private static String describe(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            return s.getTypes().stream().map(SchemaModel::describe)
                    .collect(Collectors.joining(", ", "[", "]"));
        }
        return s.getType().getName();
    }

    public Map<String, Field> getFields() {
        return fields;
    }

    /** @return problems that make Personalize reject the schema whatever the dataset type */
    public List<String> getProblems() {
        return problems;
    }

    /** @return problems that make the schema unfit for a dataset of this type in a group of this domain */
    public List<String> problemsFor(DatasetType type, Domain domain) {
        List<String> out = new ArrayList<>();
        for (Required r : required(type, domain)) {
            Field f = fields.get(r.name);
            String wanted = r.name + " (" + (r.categorical ? "categorical " : "") + r.type.getName() + ")";
            if (f == null) {
                out.add("schema lacks required field " + r.name + " for datasetType " + type
                        + domainSuffix(domain) + "; required: " + describe(required(type, domain)));
            } else if (f.type() != r.type || (f.nullable() && !r.nullable) || (r.categorical && !f.categorical())) {
                out.add("schema field " + r.name + " has type " + (f.categorical() ? "categorical " : "")
                        + f.avroType() + " for datasetType " + type + domainSuffix(domain) + "; required: " + wanted);
            }
        }
        if (type != DatasetType.ITEMS) {
            fields.values().stream().filter(Field::textual).findFirst().ifPresent(f -> out.add(
                    "schema field " + f.name() + " is textual; allowed: textual fields in ITEMS datasets only"));
        }
        String idField = switch (type) {
            case USERS -> "USER_ID";
            case ITEMS -> "ITEM_ID";
            case ACTIONS -> "ACTION_ID";
            default -> null;
        };
        if (idField != null) {
            long metadata = fields.keySet().stream().filter(n -> !n.equals(idField)).count();
            int max = type == DatasetType.USERS ? 25 : type == DatasetType.ITEMS ? 100 : Integer.MAX_VALUE;
            if (metadata < 1 || metadata > max) {
                out.add("schema has " + metadata + " metadata fields besides " + idField + " for datasetType "
                        + type + "; allowed: " + (max == Integer.MAX_VALUE ? "at least 1" : "1 to " + max));
            }
        }
        return out;
    }

    private static String domainSuffix(Domain domain) {
        return domain == null ? "" : " in domain " + domain;
    }

    private record Required(String name, Schema.Type type, boolean nullable, boolean categorical) {
        static Required of(String name, Schema.Type type) {
            return new Required(name, type, false, false);
        }
    }

    private static String describe(List<Required> required) {
        return required.stream().map(r -> r.name + " (" + (r.categorical ? "categorical " : "")
                + r.type.getName() + ")").collect(Collectors.joining(", "));
    }

    private static List<Required> required(DatasetType type, Domain domain) {
        List<Required> r = new ArrayList<>();
        switch (type) {
            case INTERACTIONS -> {
                r.add(Required.of("USER_ID", Schema.Type.STRING));
                r.add(Required.of("ITEM_ID", Schema.Type.STRING));
                r.add(Required.of("TIMESTAMP", Schema.Type.LONG));
                if (domain != null) {
                    r.add(Required.of("EVENT_TYPE", Schema.Type.STRING));
                }
            }
            case USERS -> r.add(Required.of("USER_ID", Schema.Type.STRING));
            case ITEMS -> {
                r.add(Required.of("ITEM_ID", Schema.Type.STRING));
                if (domain == Domain.ECOMMERCE) {
                    r.add(Required.of("PRICE", Schema.Type.FLOAT));
                    r.add(new Required("CATEGORY_L1", Schema.Type.STRING, false, true));
                }
            }
            case ACTIONS -> r.add(Required.of("ACTION_ID", Schema.Type.STRING));
            case ACTION_INTERACTIONS -> {
                r.add(Required.of("USER_ID", Schema.Type.STRING));
                r.add(Required.of("ACTION_ID", Schema.Type.STRING));
                r.add(Required.of("EVENT_TYPE", Schema.Type.STRING));
                r.add(Required.of("TIMESTAMP", Schema.Type.LONG));
            }
            default -> throw new IllegalStateException("unknown dataset type " + type);
        }
        return r;
    }
}
