package io.github.personalizecdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.personalizecdk.contract.SchemaResource;
import io.github.personalizecdk.internal.Arns;
import io.github.personalizecdk.internal.SchemaModel;
import io.github.personalizecdk.internal.Validate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Resource;
import software.constructs.Construct;

/**
 * A Personalize schema: a {@code Custom::PersonalizeSchema} served by the stack's one handler
 * ({@link DatasetJobProvider}), which calls CreateSchema and DeleteSchema.
 *
 * <p>Unlike CloudFormation's own {@code AWS::Personalize::Schema}, it meets an existing schema of its name
 * without failing: one with the same definition (compared as JSON) and domain is adopted, e.g. a schema kept
 * because a dataset still used it when a deploy rolled back, or one retained by an earlier stack; one with
 * another definition or domain fails the deployment, naming what differs. A schema cannot change, so a new
 * definition or domain is a new schema (and, with a generated name, a new name). Deleting a schema that a dataset
 * still uses keeps it and succeeds: a schema holds no data, and failing would block the rollback or stack
 * deletion around it.
 *
 * <p>The definition is parsed with Apache Avro at synth and checked against Personalize's rules:
 * allowed field types, reserved field types, categorical and textual flags, and the limit of
 * {@value #MAX_DEFINITION_LENGTH} characters (CreateSchema's, and CloudFormation's for its own schema type).
 * Whitespace between JSON tokens is removed
 * before the limit is applied. Fit for a dataset type is checked when a {@link Dataset} uses it.
 *
 * <pre>{@code
 * Schema schema = Schema.Builder.create(this, "InteractionsSchema")
 *     .definition(SchemaDefinition.fromFile(Path.of("schemas/interactions.json")))
 *     .build();
 * }</pre>
 */
public class Schema extends Resource implements ISchema {
    /** The limit on the schema text: CreateSchema's, the same as CloudFormation's for AWS::Personalize::Schema. */
    public static final int MAX_DEFINITION_LENGTH = 10_000;
    private static final String KIND = "Schema";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CustomResource resource;
    private final String schemaArn;
    private final String schemaName;
    private final Domain domain;
    private final SchemaDefinition definition;
    private final SchemaModel model;


    public Schema(Construct scope, String id, SchemaProps props) {
        super(scope, id);
        Validate.required(KIND, this, "props", props, "SchemaProps.builder().definition(..).build()");
        SchemaDefinition given = Validate.required(KIND, this, "definition", props.getDefinition(),
                "SchemaDefinition.fromFile(..), fromJson(..) or fromFields(..)");
        if (given.getProblem() != null) {
            throw Validate.error(KIND, this, "definition (" + given.getSource() + ") " + given.getProblem());
        }
        Validate.name(KIND, this, "schemaName", props.getSchemaName());
        this.domain = props.getDomain();
        String compact = compact(given);
        String namePattern;
        if (props.getSchemaName() != null) {
            this.schemaName = props.getSchemaName();
            namePattern = schemaName;
            Validate.warnExplicitName(KIND, this, "schemaName", schemaName, "definition or domain", null);
        } else {
            this.schemaName = Validate.generatedName(this, compact, domain == null ? null : domain.name());
            namePattern = Validate.generationsPattern(schemaName);
        }
        try {
            this.model = SchemaModel.parse(compact);
        } catch (IllegalArgumentException e) {
            throw Validate.error(KIND, this, "definition (" + given.getSource() + ") is not a valid Avro schema: "
                    + e.getMessage() + "; expected an Avro record schema as JSON");
        }
        List<String> problems = model.getProblems();
        if (!problems.isEmpty()) {
            throw Validate.error(KIND, this, "definition (" + given.getSource() + "): " + String.join("; ", problems));
        }
        if (compact.length() > MAX_DEFINITION_LENGTH) {
            throw Validate.error(KIND, this, "definition (" + given.getSource() + ") has " + compact.length()
                    + " characters without whitespace; allowed: at most " + MAX_DEFINITION_LENGTH
                    + " (CloudFormation's limit for AWS::Personalize::Schema)");
        }
        this.definition = SchemaDefinition.fromJson(compact);

        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(SchemaResource.SCHEMA_NAME, schemaName);
        properties.put(SchemaResource.DEFINITION, compact);
        if (domain != null) {
            properties.put(SchemaResource.DOMAIN, domain.name());
        }
        DatasetJobProvider provider = DatasetJobProvider.of(this);
        this.resource = CustomResource.Builder.create(this, "Resource")
                .serviceToken(provider.getServiceToken())
                .resourceType(SchemaResource.TYPE)
                .properties(properties)
                .serviceTimeout(DatasetJobProvider.SERVICE_TIMEOUT)
                .build();
        resource.applyRemovalPolicy(props.getRemovalPolicy() != null ? props.getRemovalPolicy()
                : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
        this.schemaArn = resource.getAttString(SchemaResource.ATT_SCHEMA_ARN);
        // the ARN Personalize gives the schema, formatted from its name: the handler's own policy cannot name the
        // custom resource's attribute (schema -> provider -> handler -> handler policy -> schema is a cycle)
        provider.allowSchema(Arns.format(this, "schema", namePattern));
    }

    private String compact(SchemaDefinition given) {
        try {
            return JSON.writeValueAsString(JSON.readTree(given.getJson()));
        } catch (JsonProcessingException e) {
            throw Validate.error(KIND, this, "definition (" + given.getSource() + ") is not valid JSON: "
                    + e.getOriginalMessage() + "; expected an Avro record schema as JSON");
        }
    }

    /** @return JSON text without whitespace between tokens, as a Schema renders its definition */
    static String compactJson(String json) {
        try {
            return JSON.writeValueAsString(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Imports a schema by ARN; datasets using it skip the checks that need its fields. */
    public static ISchema fromSchemaArn(Construct scope, String id, String schemaArn) {
        return fromSchemaAttributes(scope, id, SchemaAttributes.builder().schemaArn(schemaArn).build());
    }

    /** Imports a schema; give its definition and domain to keep the dataset checks. */
    public static ISchema fromSchemaAttributes(Construct scope, String id, SchemaAttributes attrs) {
        return new Imported(scope, id, attrs);
    }

    /** @return the schema's ARN: the custom resource's {@code SchemaArn} attribute */
    @Override
    public String getSchemaArn() {
        return schemaArn;
    }

    @Override
    public String getSchemaName() {
        return schemaName;
    }

    /** @return the {@code Custom::PersonalizeSchema} custom resource */
    public CustomResource getResource() {
        return resource;
    }

    @Override
    public Domain getDomain() {
        return domain;
    }

    /** @return the definition as it goes into the template (JSON without whitespace) */
    @Override
    public SchemaDefinition getDefinition() {
        return definition;
    }


    /** @return the definition as parsed at construction, so datasets need not parse it again */
    SchemaModel getModel() {
        return model;
    }

    private static final class Imported extends Resource implements ISchema {
        private final SchemaAttributes attrs;
        private final String name;

        Imported(Construct scope, String id, SchemaAttributes attrs) {
            super(scope, id);
            this.attrs = Validate.required(KIND, this, "attrs", attrs, "SchemaAttributes.builder().schemaArn(..).build()");
            Validate.required(KIND, this, "schemaArn", attrs.getSchemaArn(),
                    "arn:<partition>:personalize:<region>:<account>:schema/<name>");
            Matcher m = Arns.check(KIND, this, "schemaArn", attrs.getSchemaArn(), Arns.Kind.SCHEMA);
            this.name = m != null ? m.group(1) : Arns.resourceName(this, attrs.getSchemaArn());
        }

        @Override
        public String getSchemaArn() {
            return attrs.getSchemaArn();
        }

        @Override
        public String getSchemaName() {
            return name;
        }

        @Override
        public Domain getDomain() {
            return attrs.getDomain();
        }

        @Override
        public SchemaDefinition getDefinition() {
            return attrs.getDefinition();
        }
    }

    /** Fluent builder: {@code Schema.Builder.create(scope, id).definition(..).build()}. */
    public static final class Builder {
        private final Construct scope;
        private final String id;
        private final SchemaProps.Builder props = SchemaProps.builder();

        private Builder(Construct scope, String id) {
            this.scope = scope;
            this.id = id;
        }

        public static Builder create(Construct scope, String id) {
            return new Builder(scope, id);
        }

        /** @see SchemaProps#getDefinition() */
        public Builder definition(SchemaDefinition definition) {
            props.definition(definition);
            return this;
        }

        /** @see SchemaProps#getSchemaName() */
        public Builder schemaName(String schemaName) {
            props.schemaName(schemaName);
            return this;
        }

        /** @see SchemaProps#getDomain() */
        public Builder domain(Domain domain) {
            props.domain(domain);
            return this;
        }

        /** @see SchemaProps#getRemovalPolicy() */
        public Builder removalPolicy(RemovalPolicy removalPolicy) {
            props.removalPolicy(removalPolicy);
            return this;
        }

        public Schema build() {
            return new Schema(scope, id, props.build());
        }
    }
}
