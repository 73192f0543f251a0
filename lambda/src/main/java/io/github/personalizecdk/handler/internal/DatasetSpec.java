package io.github.personalizecdk.handler.internal;

import static io.github.personalizecdk.contract.DatasetResource.DATASET_GROUP_ARN;
import static io.github.personalizecdk.contract.DatasetResource.DATASET_NAME;
import static io.github.personalizecdk.contract.DatasetResource.DATASET_TYPE;
import static io.github.personalizecdk.contract.DatasetResource.SCHEMA_ARN;
import static io.github.personalizecdk.contract.DatasetResource.SCHEMA_DEFINITION;
import static io.github.personalizecdk.handler.internal.Properties.optional;
import static io.github.personalizecdk.handler.internal.Properties.required;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dataset as the custom resource's properties describe it.
 *
 * @param type             the API form, upper case: INTERACTIONS, ITEMS, USERS, ACTIONS or ACTION_INTERACTIONS
 * @param schemaDefinition the schema's Avro JSON, or null when the app does not know it
 */
public record DatasetSpec(String name, String type, String groupArn, String schemaArn, String schemaDefinition) {
    static final List<String> TYPES = List.of("INTERACTIONS", "ITEMS", "USERS", "ACTIONS", "ACTION_INTERACTIONS");

    private static final Pattern GROUP_ARN =
            Pattern.compile("(arn:[^:]+:personalize:[^:]*:[^:]*):dataset-group/([^/]+)");
    /** What Personalize names a dataset: {@code …:dataset/<groupName>/<TYPE>}. */
    static final Pattern DATASET_ARN = Pattern.compile("arn:[^:]+:personalize:[^:]*:[^:]*:dataset/[^/]+/[A-Za-z_]+");

    /** Reads the resource properties; a missing required property fails with its name. */
    public static DatasetSpec parse(Map<String, Object> properties) {
        Objects.requireNonNull(properties, "ResourceProperties");
        String type = required(properties, DATASET_TYPE).toUpperCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("resource property " + DATASET_TYPE + " is \"" + properties.get(
                    DATASET_TYPE) + "\"; allowed: " + String.join(", ", TYPES));
        }
        String groupArn = required(properties, DATASET_GROUP_ARN);
        if (!GROUP_ARN.matcher(groupArn).matches()) {
            throw new IllegalArgumentException("resource property " + DATASET_GROUP_ARN + " is \"" + groupArn
                    + "\", not a dataset group ARN like arn:aws:personalize:us-east-1:123456789012:dataset-group/shop");
        }
        return new DatasetSpec(required(properties, DATASET_NAME), type, groupArn, required(properties, SCHEMA_ARN),
                optional(properties, SCHEMA_DEFINITION));
    }

    /** @return the ARN Personalize gives this dataset: {@code …:dataset/<groupName>/<TYPE>} */
    public String datasetArn() {
        Matcher m = GROUP_ARN.matcher(groupArn);
        if (!m.matches()) {
            throw new IllegalStateException("not a dataset group ARN: " + groupArn);
        }
        return m.group(1) + ":dataset/" + m.group(2) + "/" + type;
    }

    /**
     * @return whether both describe the same dataset: name, type and group are create-only in Personalize, so
     *         a change to any of them is a new dataset
     */
    public boolean sameDataset(DatasetSpec other) {
        return name.equals(other.name) && type.equals(other.type) && groupArn.equals(other.groupArn);
    }

    /**
     * Ends the physical id of a dataset this resource adopted instead of creating:
     * {@code <datasetArn>#adopted}. A dataset it created has its plain ARN as physical id.
     */
    static final String ADOPTED = "#adopted";

    /** @return the physical id of a dataset this resource adopted (it existed before): {@code <arn>#adopted} */
    static String adoptedId(String datasetArn) {
        return datasetArn + ADOPTED;
    }

    /**
     * @return the dataset ARN in the physical id ({@code <arn>} or {@code <arn>#adopted}), or null when the id names
     *         no dataset (e.g. the Provider framework's marker of a failed create)
     */
    static String datasetArnOf(String physicalId) {
        if (physicalId == null) {
            return null;
        }
        String arn = isAdopted(physicalId) ? physicalId.substring(0, physicalId.length() - ADOPTED.length())
                : physicalId;
        return DATASET_ARN.matcher(arn).matches() ? arn : null;
    }

    /** @return whether the physical id is that of an adopted dataset: one this resource did not create */
    static boolean isAdopted(String physicalId) {
        return physicalId != null && physicalId.endsWith(ADOPTED);
    }
}
