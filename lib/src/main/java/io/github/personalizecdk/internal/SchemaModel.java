package io.github.personalizecdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.Domain;
import io.github.personalizecdk.contract.FieldNameRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * A Personalize schema parsed with Avro, and the rules Personalize applies to it. Sources, cited per rule below:
 * <ul>
 * <li>[FMT] Schema formatting requirements and Schema data types:
 *     https://docs.aws.amazon.com/personalize/latest/dg/how-it-works-dataset-schema.html</li>
 * <li>[CUSTOM] Custom dataset and schema requirements (required fields, reserved keywords, metadata fields):
 *     https://docs.aws.amazon.com/personalize/latest/dg/custom-datasets-and-schemas.html</li>
 * <li>[INTERACTIONS] Item interactions dataset schema requirements (custom):
 *     https://docs.aws.amazon.com/personalize/latest/dg/interactions-dataset-requirements.html</li>
 * <li>[ACTIONS] Actions dataset schema requirements (custom):
 *     https://docs.aws.amazon.com/personalize/latest/dg/action-dataset-requirements.html</li>
 * <li>[ECOMMERCE] ECOMMERCE datasets and schemas, Items dataset requirements (ECOMMERCE domain):
 *     https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-datasets-and-schemas.html,
 *     https://docs.aws.amazon.com/personalize/latest/dg/ECOMMERCE-items-dataset.html</li>
 * <li>[VOD] VIDEO_ON_DEMAND datasets and schemas, Items dataset requirements (VIDEO_ON_DEMAND domain):
 *     https://docs.aws.amazon.com/personalize/latest/dg/VIDEO-ON-DEMAND-datasets-and-schemas.html,
 *     https://docs.aws.amazon.com/personalize/latest/dg/VIDEO-ON-DEMAND-items-dataset.html</li>
 * </ul>
 */
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String recordName;
    private final Map<String, Field> fields;
    private final List<String> problems;

    private SchemaModel(String recordName, Map<String, Field> fields, List<String> problems) {
        this.recordName = recordName;
        this.fields = fields;
        this.problems = problems;
    }

    /**
     * Parses Avro JSON.
     *
     * @throws IllegalArgumentException with Avro's reason when the text is not an Avro record schema
     */
    public static SchemaModel parse(String json) {
        // [FMT] "Schema fields must have unique alphanumeric names": Avro itself refuses a name declared twice
        // with an AvroRuntimeException, so repeated names are found first, in the JSON
        List<String> repeated = repeatedFieldNames(json);
        if (!repeated.isEmpty()) {
            return new SchemaModel(null, Map.of(), repeated.stream().map(name -> "field " + name
                    + " is declared more than once; allowed: each field name once").toList());
        }
        Schema schema;
        try {
            schema = new Schema.Parser().setValidateDefaults(true).parse(json);
        } catch (AvroRuntimeException e) { // SchemaParseException, AvroTypeException and the like: never raw
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
        // [FMT] "you can't add both a GENRES_FIELD_1 field and a GENRESFIELD1 field"
        Map<String, String> byNormalized = new LinkedHashMap<>();
        for (String name : fields.keySet()) {
            String normalized = FieldNameRules.normalize(name);
            String earlier = byNormalized.putIfAbsent(normalized, name);
            if (earlier != null) {
                problems.add("fields " + earlier + " and " + name + " have the same alphanumeric name " + normalized
                        + "; allowed: field names that differ in their letters and digits, ignoring case and other "
                        + "characters");
            }
        }
        return new SchemaModel(schema.getName(), Collections.unmodifiableMap(fields), List.copyOf(problems));
    }

    /** @return the names the JSON's {@code fields} list declares more than once, each once */
    private static List<String> repeatedFieldNames(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return List.of(); // Avro reports it
        }
        Set<String> seen = new LinkedHashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        if (root != null && root.path("fields").isArray()) {
            for (JsonNode field : root.path("fields")) {
                JsonNode name = field.path("name");
                if (name.isTextual() && !seen.add(name.asText())) {
                    repeated.add(name.asText());
                }
            }
        }
        return List.copyOf(repeated);
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
        List<Required> required = required(type, domain);
        for (Required r : required) {
            Field f = fields.get(r.name);
            String wanted = r.name + " (" + (r.categorical ? "categorical " : "") + r.type.getName() + ")";
            if (f == null) {
                out.add("schema lacks required field " + r.name + " for datasetType " + type
                        + domainSuffix(domain) + "; required: " + describe(required));
            } else if (f.type() != r.type || (f.nullable() && !r.nullable) || (r.categorical && !f.categorical())) {
                out.add("schema field " + r.name + " has type " + (f.categorical() ? "categorical " : "")
                        + f.avroType() + " for datasetType " + type + domainSuffix(domain) + "; required: " + wanted);
            }
        }
        List<Reserved> reserved = reserved(type, domain);
        for (Reserved r : reserved) {
            Field f = fields.get(r.name);
            if (f == null || f.type() == null) {
                continue;
            }
            String where = " for datasetType " + type + domainSuffix(domain);
            if (f.type() != r.type && !RESERVED.containsKey(r.name)) {
                out.add("reserved field " + r.name + " has type " + f.avroType() + where + "; allowed: " + r.describe());
            } else if (Boolean.TRUE.equals(r.categorical) && !f.categorical()) {
                // [FMT] "Reserved categorical string fields must have the categorical attribute set to true"
                out.add("reserved field " + r.name + " is not categorical" + where + "; allowed: " + r.describe());
            } else if (Boolean.FALSE.equals(r.categorical) && f.categorical()) {
                // [FMT] "reserved string fields can't be categorical"; [INTERACTIONS] "EVENT_TYPE must be a string
                // and cannot be categorical"
                out.add("reserved field " + r.name + " is categorical" + where + "; allowed: " + r.describe()
                        + " without \"categorical\": true");
            } else if (r.textual && !f.textual()) {
                out.add("reserved field " + r.name + " is not textual" + where + "; allowed: " + r.describe());
            }
        }
        if (type != DatasetType.ITEMS) {
            fields.values().stream().filter(Field::textual).findFirst().ifPresent(f -> out.add(
                    "schema field " + f.name() + " is textual; allowed: textual fields in ITEMS datasets only"));
        }
        Set<String> reservedNames = new LinkedHashSet<>();
        reserved.forEach(r -> reservedNames.add(r.name));
        String idField = switch (type) {
            case USERS -> "USER_ID";
            case ITEMS -> "ITEM_ID";
            case ACTIONS -> "ACTION_ID";
            default -> null;
        };
        if (idField != null) {
            // [CUSTOM] "Users, Items, and Actions schemas require at least one metadata field"; at most 25 for
            // Users and 100 for Items. Reserved keywords are "optional, non-metadata fields" ([ECOMMERCE], [VOD]).
            List<String> skipped = fields.keySet().stream().filter(reservedNames::contains).toList();
            long metadata = fields.keySet().stream().filter(n -> !n.equals(idField) && !reservedNames.contains(n))
                    .count();
            int max = type == DatasetType.USERS ? 25 : type == DatasetType.ITEMS ? 100 : Integer.MAX_VALUE;
            if (metadata < 1 || metadata > max) {
                out.add("schema has " + metadata + " metadata fields besides " + idField
                        + (skipped.isEmpty() ? "" : " and the reserved " + String.join(", ", skipped))
                        + " for datasetType " + type + "; allowed: "
                        + (max == Integer.MAX_VALUE ? "at least 1" : "1 to " + max)
                        + (skipped.isEmpty() ? "" : " (reserved keywords are not metadata)"));
            }
        }
        if (type == DatasetType.INTERACTIONS) {
            // [INTERACTIONS] "The maximum number of metadata fields excluding reserved fields, such as IMPRESSION,
            // is 5"
            List<String> metadata = fields.keySet().stream().filter(n -> !reservedNames.contains(n)
                    && required.stream().noneMatch(r -> r.name.equals(n))).toList();
            if (metadata.size() > MAX_INTERACTIONS_METADATA) {
                out.add("schema has " + metadata.size() + " metadata fields besides the required and reserved ones "
                        + "for datasetType INTERACTIONS (" + String.join(", ", metadata) + "); allowed: at most "
                        + MAX_INTERACTIONS_METADATA);
            }
        }
        // [FMT] "A schema has a name key whose value must match the dataset type"; reported once the fields fit
        String expectedName = RECORD_NAMES.get(type);
        if (out.isEmpty() && recordName != null
                && !FieldNameRules.normalize(recordName).equals(FieldNameRules.normalize(expectedName))) {
            out.add("schema record name \"" + recordName + "\" does not match datasetType " + type + "; expected \""
                    + expectedName + "\" (the record's \"name\" must match the dataset type)");
        }
        return out;
    }

    /** Custom metadata fields an Interactions schema may have besides its required and reserved ones. */
    static final int MAX_INTERACTIONS_METADATA = 5;

    /** The record name of each dataset type, as Personalize's schema examples spell it. */
    private static final Map<DatasetType, String> RECORD_NAMES = Map.of(DatasetType.INTERACTIONS, "Interactions",
            DatasetType.ITEMS, "Items", DatasetType.USERS, "Users", DatasetType.ACTIONS, "Actions",
            DatasetType.ACTION_INTERACTIONS, "ActionInteractions");

    /**
     * A reserved keyword: an optional, non-metadata field that must have its documented type when present.
     *
     * @param categorical {@code TRUE}: must be categorical, {@code FALSE}: must not be, {@code null}: not a string
     */
    private record Reserved(String name, Schema.Type type, Boolean categorical, boolean textual) {
        static Reserved string(String name) {
            return new Reserved(name, Schema.Type.STRING, false, false);
        }

        static Reserved categorical(String name) {
            return new Reserved(name, Schema.Type.STRING, true, false);
        }

        static Reserved textual(String name) {
            return new Reserved(name, Schema.Type.STRING, null, true);
        }

        static Reserved of(String name, Schema.Type type) {
            return new Reserved(name, type, null, false);
        }

        String describe() {
            return (Boolean.TRUE.equals(categorical) ? "categorical " : textual ? "textual " : "") + type.getName();
        }
    }

    private static List<Reserved> reserved(DatasetType type, Domain domain) {
        List<Reserved> r = new ArrayList<>();
        switch (type) {
            case INTERACTIONS -> {
                // [CUSTOM], [ECOMMERCE], [VOD]: the same in every group (EVENT_TYPE is required in domain groups)
                r.add(Reserved.string("EVENT_TYPE"));
                r.add(Reserved.of("EVENT_VALUE", Schema.Type.FLOAT));
                r.add(Reserved.string("IMPRESSION"));
                r.add(Reserved.string("RECOMMENDATION_ID"));
                r.add(Reserved.string("EVENT_ATTRIBUTION_SOURCE"));
            }
            case ITEMS -> {
                if (domain == null) {
                    r.add(Reserved.of("CREATION_TIMESTAMP", Schema.Type.LONG)); // [CUSTOM]
                } else if (domain == Domain.ECOMMERCE) {
                    // [ECOMMERCE] (CREATION_TIMESTAMP: the page lists float, the global rule keeps long)
                    r.add(Reserved.categorical("CATEGORY_L2"));
                    r.add(Reserved.categorical("CATEGORY_L3"));
                    r.add(Reserved.textual("PRODUCT_DESCRIPTION"));
                    r.add(Reserved.of("CREATION_TIMESTAMP", Schema.Type.LONG));
                    r.add(Reserved.categorical("AGE_GROUP"));
                    r.add(Reserved.categorical("ADULT"));
                    r.add(Reserved.categorical("GENDER"));
                } else {
                    // [VOD]
                    r.add(Reserved.of("PRICE", Schema.Type.FLOAT));
                    r.add(Reserved.of("DURATION", Schema.Type.FLOAT));
                    r.add(Reserved.categorical("GENRE_L2"));
                    r.add(Reserved.categorical("GENRE_L3"));
                    r.add(Reserved.of("AVERAGE_RATING", Schema.Type.FLOAT));
                    r.add(Reserved.textual("PRODUCT_DESCRIPTION"));
                    r.add(Reserved.categorical("CONTENT_OWNER"));
                    r.add(Reserved.categorical("CONTENT_CLASSIFICATION"));
                }
            }
            case USERS -> {
                if (domain == Domain.VIDEO_ON_DEMAND) {
                    r.add(Reserved.categorical("SUBSCRIPTION_MODEL")); // [VOD]
                }
            }
            case ACTIONS -> {
                // [CUSTOM]; VALUE, listed there as long, is not checked: its documented type is unconfirmed
                r.add(Reserved.of("CREATION_TIMESTAMP", Schema.Type.LONG));
                r.add(Reserved.string("TYPE"));
                r.add(Reserved.of("EXPIRATION_TIMESTAMP", Schema.Type.LONG));
                r.add(Reserved.of("REPEAT_FREQUENCY", Schema.Type.LONG));
            }
            case ACTION_INTERACTIONS -> {
                r.add(Reserved.string("EVENT_TYPE")); // required; a string field that can't be categorical
                r.add(Reserved.string("IMPRESSION"));
                r.add(Reserved.string("RECOMMENDATION_ID"));
            }
            default -> throw new IllegalStateException("unknown dataset type " + type);
        }
        return r;
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
                } else if (domain == Domain.VIDEO_ON_DEMAND) {
                    // [VOD] Items: ITEM_ID, GENRES (categorical string), CREATION_TIMESTAMP (long)
                    r.add(new Required("GENRES", Schema.Type.STRING, false, true));
                    r.add(Required.of("CREATION_TIMESTAMP", Schema.Type.LONG));
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
