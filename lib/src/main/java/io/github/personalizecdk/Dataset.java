package io.github.personalizecdk;

import io.github.personalizecdk.internal.Arns;
import io.github.personalizecdk.internal.SchemaModel;
import io.github.personalizecdk.internal.Validate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.personalize.CfnDataset;
import software.constructs.Construct;

/**
 * A Personalize dataset ({@code AWS::Personalize::Dataset}) in a dataset group.
 *
 * <p>Checked at synth: the schema has the required fields and types of the dataset type (and of the
 * group's domain), a Domain group takes only domain schemas of its domain and a custom group only
 * custom schemas, and a group holds one dataset per type. CloudFormation creates only INTERACTIONS,
 * ITEMS and USERS datasets; ACTIONS and ACTION_INTERACTIONS fail at synth after their schema is checked.
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

    private final String datasetArn;
    private final String datasetName;
    private final DatasetType datasetType;
    private final IDatasetGroup datasetGroup;
    private final ISchema schema;

    public Dataset(Construct scope, String id, DatasetProps props) {
        super(scope, id);
        Objects.requireNonNull(props, "props");
        this.datasetGroup = Validate.required(KIND, this, "datasetGroup", props.getDatasetGroup(),
                "a DatasetGroup, or one imported with DatasetGroup.fromDatasetGroupArn(..)");
        this.datasetType = Validate.required(KIND, this, "datasetType", props.getDatasetType(),
                "one of " + Arrays.stream(DatasetType.values()).map(Enum::name).collect(Collectors.joining(", ")));
        this.schema = Validate.required(KIND, this, "schema", props.getSchema(),
                "a Schema, or one imported with Schema.fromSchemaArn(..)");
        this.datasetName = props.getDatasetName() != null ? props.getDatasetName() : Validate.generatedName(this);
        Validate.name(KIND, this, "datasetName", datasetName);

        checkSchemaFits();
        checkDomains();
        if (datasetGroup instanceof DatasetGroupBase base) {
            base.registerDataset(this, datasetType);
        }
        if (!datasetType.isSupportedByCloudFormation()) {
            throw Validate.error(KIND, this, "datasetType " + datasetType + " cannot be created by CloudFormation "
                    + "(AWS::Personalize::Dataset accepts Interactions, Items and Users); expected INTERACTIONS, "
                    + "ITEMS or USERS, or create the dataset outside this stack and import it with "
                    + "Dataset.fromDatasetArn(..)");
        }

        CfnDataset resource = CfnDataset.Builder.create(this, "Resource")
                .name(datasetName)
                .datasetType(datasetType.getCloudFormationName())
                .datasetGroupArn(datasetGroup.getDatasetGroupArn())
                .schemaArn(schema.getSchemaArn())
                .build();
        resource.applyRemovalPolicy(props.getRemovalPolicy() != null ? props.getRemovalPolicy() : RemovalPolicy.RETAIN);
        this.datasetArn = resource.getAttrDatasetArn();
    }

    private void checkSchemaFits() {
        SchemaDefinition definition = schema.getDefinition();
        if (definition == null) {
            return;
        }
        SchemaModel model;
        try {
            model = schema instanceof Schema own ? own.getModel() : SchemaModel.parse(definition.getJson());
        } catch (IllegalArgumentException e) {
            throw Validate.error(KIND, this, "schema '" + schema.getNode().getPath() + "' is not a valid Avro schema: "
                    + e.getMessage() + "; expected an Avro record schema as JSON");
        }
        Domain domain = datasetGroup.isDomainKnown() ? datasetGroup.getDomain() : schema.getDomain();
        List<String> problems = model.problemsFor(datasetType, domain);
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

    @Override
    public String getDatasetArn() {
        return datasetArn;
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
            this.attrs = attrs;
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
