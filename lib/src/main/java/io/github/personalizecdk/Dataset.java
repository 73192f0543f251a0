package io.github.personalizecdk;

import io.github.personalizecdk.contract.DatasetResource;
import io.github.personalizecdk.internal.Arns;
import io.github.personalizecdk.internal.SchemaModel;
import io.github.personalizecdk.internal.Validate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.RemovalPolicy;
import software.constructs.Construct;

/**
 * A Personalize dataset in a dataset group, of any of the five types: a {@code Custom::PersonalizeDataset}
 * served by the stack's one handler ({@link DatasetJobProvider}), which calls CreateDataset, UpdateDataset
 * and DeleteDataset and waits for each to finish.
 *
 * <p>A new schema replaces the dataset's schema in place (UpdateDataset: same ARN, data kept), within
 * Personalize's rules, which the handler checks before the call: ITEMS and USERS only, every old field kept
 * with its type and attributes, new fields nullable. A new name, type or group creates a new dataset.
 *
 * <p>Checked at synth: the schema has the required fields and types of the dataset type (and of the
 * group's domain), a Domain group takes only domain schemas of its domain and a custom group only
 * custom schemas, and a group holds one dataset per type.
 *
 * <pre>{@code
 * Dataset interactions = group.addDataset("Interactions", DatasetOptions.builder()
 *     .datasetType(DatasetType.INTERACTIONS)
 *     .schema(interactionsSchema)
 *     .build());
 * }</pre>
 */
public class Dataset extends DatasetBase {
    private static final String KIND = "Dataset";

    private final CustomResource resource;
    private final String datasetArn;
    private final String policyArn;
    private final String datasetName;
    private final DatasetType datasetType;
    private final IDatasetGroup datasetGroup;
    private final ISchema schema;

    public Dataset(Construct scope, String id, DatasetProps props) {
        super(scope, id);
        Validate.required(KIND, this, "props", props, "DatasetProps.builder()...build()");
        this.datasetGroup = Validate.required(KIND, this, "datasetGroup", props.getDatasetGroup(),
                "a DatasetGroup, or one imported with DatasetGroup.fromDatasetGroupArn(..)");
        this.datasetType = Validate.required(KIND, this, "datasetType", props.getDatasetType(),
                "one of " + Arrays.stream(DatasetType.values()).map(Enum::name).collect(Collectors.joining(", ")));
        this.schema = Validate.required(KIND, this, "schema", props.getSchema(),
                "a Schema, or one imported with Schema.fromSchemaArn(..)");
        String groupName = datasetGroup.getDatasetGroupName();
        if (props.getDatasetName() != null) {
            this.datasetName = props.getDatasetName();
            Validate.name(KIND, this, "datasetName", datasetName);
            Validate.warnExplicitName(KIND, this, "datasetName", datasetName, "datasetType or datasetGroup",
                    "A new schema keeps the dataset (UpdateDataset), whatever its name.");
        } else {
            // the schema is no input: a schema change updates the dataset in place
            this.datasetName = Validate.generatedName(this, groupName, datasetType.getApiName());
        }

        checkSchemaFits();
        checkDomains();
        if (datasetGroup instanceof DatasetGroupBase base) {
            base.registerDataset(this, datasetType);
        }

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(DatasetResource.DATASET_NAME, datasetName);
        properties.put(DatasetResource.DATASET_TYPE, datasetType.getApiName());
        properties.put(DatasetResource.DATASET_GROUP_ARN, datasetGroup.getDatasetGroupArn());
        properties.put(DatasetResource.SCHEMA_ARN, schema.getSchemaArn());
        if (schema.getDefinition() != null) {
            properties.put(DatasetResource.SCHEMA_DEFINITION, compact(schema.getDefinition()));
        }
        DatasetJobProvider provider = DatasetJobProvider.of(this);
        this.resource = CustomResource.Builder.create(this, "Resource")
                .serviceToken(provider.getServiceToken())
                .resourceType(DatasetResource.TYPE)
                .properties(properties)
                .serviceTimeout(DatasetJobProvider.SERVICE_TIMEOUT)
                .build();
        resource.applyRemovalPolicy(props.getRemovalPolicy() != null ? props.getRemovalPolicy()
                : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
        this.datasetArn = resource.getAttString(DatasetResource.ATT_DATASET_ARN);
        // the ARN Personalize gives the dataset, formatted from names: the handler's own policy cannot name the
        // custom resource's attribute (dataset -> provider -> handler -> handler policy -> dataset is a cycle)
        this.policyArn = Arns.format(this, "dataset", groupName + "/" + datasetType.getApiName());
        String groupPattern = datasetGroup instanceof DatasetGroupBase base ? base.getDatasetGroupNamePattern()
                : groupName;
        provider.allowDataset(Arns.format(this, "dataset", groupPattern + "/" + datasetType.getApiName()),
                groupPattern);
    }

    /** @return the definition as the template carries it: an own Schema's is compact already */
    private String compact(SchemaDefinition definition) {
        return schema instanceof Schema ? definition.getJson() : Schema.compactJson(definition.getJson());
    }

    private void checkSchemaFits() {
        SchemaDefinition definition = schema.getDefinition();
        if (definition == null) {
            return;
        }
        if (definition.getProblem() != null) {
            throw Validate.error(KIND, this, "schema '" + schema.getNode().getPath() + "' definition ("
                    + definition.getSource() + ") " + definition.getProblem());
        }
        SchemaModel model;
        try {
            model = schema instanceof Schema own ? own.getModel() : SchemaModel.parse(definition.getJson());
        } catch (IllegalArgumentException e) {
            throw Validate.error(KIND, this, "schema '" + schema.getNode().getPath() + "' is not a valid Avro schema: "
                    + e.getMessage() + "; expected an Avro record schema as JSON");
        }
        Domain domain = datasetGroup.isDomainKnown() ? datasetGroup.getDomain() : schema.getDomain();
        // an own Schema has refused its problems already; an imported schema's definition is checked here
        List<String> problems = new ArrayList<>(model.getProblems());
        if (problems.isEmpty()) {
            problems.addAll(model.problemsFor(datasetType, domain));
        }
        if (!problems.isEmpty()) {
            throw Validate.error(KIND, this, String.join("; ", problems));
        }
    }

    private void checkDomains() {
        boolean schemaDomainKnown = schema instanceof Schema || schema.getDefinition() != null;
        if (!schemaDomainKnown || !datasetGroup.isDomainKnown()) {
            return;
        }
        Domain groupDomain = datasetGroup.getDomain();
        Domain schemaDomain = schema.getDomain();
        if (groupDomain == schemaDomain) {
            return;
        }
        String group = "dataset group '" + datasetGroup.getNode().getPath() + "'";
        String schemaRef = "schema '" + schema.getNode().getPath() + "'";
        if (groupDomain == null) {
            throw Validate.error(KIND, this, schemaRef + " has domain " + schemaDomain + " but " + group
                    + " is a custom group; expected a schema without domain");
        }
        throw Validate.error(KIND, this, schemaRef + " has " + (schemaDomain == null ? "no domain" : "domain " + schemaDomain)
                + " but " + group + " has domain " + groupDomain + "; expected a schema with domain " + groupDomain);
    }

    /** Imports a dataset by ARN; its type is read from the ARN when the ARN is not a token. */
    public static IDataset fromDatasetArn(Construct scope, String id, String datasetArn) {
        return fromDatasetAttributes(scope, id, DatasetAttributes.builder().datasetArn(datasetArn).build());
    }

    /** Imports a dataset. */
    public static IDataset fromDatasetAttributes(Construct scope, String id, DatasetAttributes attrs) {
        return new Imported(scope, id, attrs);
    }

    /** @return the dataset's ARN: the custom resource's {@code DatasetArn} attribute */
    @Override
    public String getDatasetArn() {
        return datasetArn;
    }

    /** The dataset's ARN formatted from its group's name and its type, which depends on no resource. */
    @Override
    String getPolicyArn() {
        return policyArn;
    }

    /** @return the {@code Custom::PersonalizeDataset} custom resource */
    public CustomResource getResource() {
        return resource;
    }

    /** @return the dataset's name */
    public String getDatasetName() {
        return datasetName;
    }

    @Override
    public DatasetType getDatasetType() {
        return datasetType;
    }

    @Override
    public IDatasetGroup getDatasetGroup() {
        return datasetGroup;
    }

    /** @return the dataset's schema */
    public ISchema getSchema() {
        return schema;
    }

    private static final class Imported extends DatasetBase {
        private final DatasetAttributes attrs;
        private final DatasetType type;

        Imported(Construct scope, String id, DatasetAttributes attrs) {
            super(scope, id);
            this.attrs = Validate.required(KIND, this, "attrs", attrs,
                    "DatasetAttributes.builder().datasetArn(..).build()");
            Validate.required(KIND, this, "datasetArn", attrs.getDatasetArn(),
                    "arn:<partition>:personalize:<region>:<account>:dataset/<group name>/<TYPE>");
            Matcher m = Arns.check(KIND, this, "datasetArn", attrs.getDatasetArn(), Arns.Kind.DATASET);
            this.type = m != null ? DatasetType.valueOf(m.group(2)) : null;
        }

        @Override
        public String getDatasetArn() {
            return attrs.getDatasetArn();
        }

        @Override
        public DatasetType getDatasetType() {
            return type;
        }

        @Override
        public IDatasetGroup getDatasetGroup() {
            return attrs.getDatasetGroup();
        }
    }

    /** Fluent builder: {@code Dataset.Builder.create(scope, id).datasetGroup(..).datasetType(..).schema(..).build()}. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private final DatasetProps.Builder props = DatasetProps.builder();

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        /** @see DatasetProps#getDatasetGroup() */
        public Builder datasetGroup(IDatasetGroup datasetGroup) {
            props.datasetGroup(datasetGroup);
            return this;
        }

        /** @see DatasetOptions#getDatasetType() */
        public Builder datasetType(DatasetType datasetType) {
            props.datasetType(datasetType);
            return this;
        }

        /** @see DatasetOptions#getSchema() */
        public Builder schema(ISchema schema) {
            props.schema(schema);
            return this;
        }

        /** @see DatasetOptions#getDatasetName() */
        public Builder datasetName(String datasetName) {
            props.datasetName(datasetName);
            return this;
        }

        /** @see DatasetOptions#getRemovalPolicy() */
        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            props.removalPolicy(removalPolicy);
            return this;
        }

        public Dataset build() {
            return new Dataset(scope, id, props.build());
        }
    }
}
