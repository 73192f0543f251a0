package io.github.personalizecdk.handler.internal;

import io.github.personalizecdk.contract.SchemaResource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.DatasetSchema;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;

/**
 * {@code Custom::PersonalizeSchema}: a schema that a deploy can meet again. CloudFormation's own schema type fails
 * when a schema of its name exists (kept by a rollback because a dataset still uses it, or retained by an earlier
 * stack); this one adopts such a schema when it is the one asked for.
 *
 * <ul>
 * <li>Create: CreateSchema. When Personalize answers that the name exists, DescribeSchema of the ARN it has under
 * that name: the same definition (as JSON) and domain is adopted; anything else fails, naming what differs.
 * A schema has no status: there is nothing to wait for.
 * <li>Update: a schema cannot change, so any new property is a new schema, created (or adopted) as above, with a
 * new physical id; CloudFormation deletes or keeps the old one during cleanup. The same properties call nothing.
 * <li>Delete: DeleteSchema. A schema already gone, a physical id that is not a schema ARN (the Provider
 * framework's marker of a failed create), and a schema a dataset still uses are done: the last is kept, since a
 * schema holds no data and failing would block the rollback or stack deletion around it.
 * </ul>
 *
 * <p>The ARN of an existing schema is formatted from its name with the partition, region and account of the
 * event's {@code ServiceToken}: the Provider framework's function, in the handler's own stack and so in the
 * account and region whose credentials create the schema (the event's {@code StackId} when it has no
 * ServiceToken).
 */
public final class SchemaLifecycle extends ResourceLifecycle {
    /** Never waited on: every operation is complete when onEvent returns. */
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    public SchemaLifecycle(PersonalizeClient client, Clock clock, String region, Consumer<String> log) {
        super(client, clock, region, log);
    }

    // ---- onEvent

    @Override
    protected Map<String, Object> onCreate(Request request) {
        return create(request, SchemaSpec.parse(request.properties()));
    }

    @Override
    protected Map<String, Object> onUpdate(Request request) {
        SchemaSpec spec = SchemaSpec.parse(request.properties());
        if (spec.sameSchema(SchemaSpec.parse(request.oldProperties()))) {
            return result(request.physicalId(), DONE, null, data(request.physicalId()));
        }
        return create(request, spec);
    }

    @Override
    protected Map<String, Object> onDelete(Request request) {
        String arn = request.physicalId();
        if (!SchemaSpec.isSchemaArn(arn)) {
            return result(arn, DONE, null, null);
        }
        try {
            client.deleteSchema(r -> r.schemaArn(arn));
        } catch (ResourceNotFoundException e) {
            // already gone
        } catch (ResourceInUseException e) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("schemaArn", arn);
            fields.put("reason", errorCode(e) + ": " + message(e));
            logEvent("schemaKept", fields);
        } catch (PersonalizeException e) {
            throw rejected("the deletion of schema " + arn, e);
        }
        return result(arn, DONE, null, null);
    }

    private Map<String, Object> create(Request request, SchemaSpec spec) {
        String arn = createOrAdopt("schema " + spec.name(),
                () -> client.createSchema(r -> r.name(spec.name()).schema(spec.definition()).domain(spec.domain()))
                        .schemaArn(),
                exists -> adopt(request, spec, exists),
                notFound -> rejected("schema " + spec.name(), notFound));
        return result(arn, DONE, null, data(arn));
    }

    /**
     * Personalize says a schema of this name exists (kept by a rollback or an earlier stack, or created by a
     * retried request): adopt it when it is the same schema.
     */
    private String adopt(Request request, SchemaSpec spec, ResourceAlreadyExistsException exists) {
        String arn = spec.schemaArn(accountArn(request));
        DatasetSchema existing;
        try {
            existing = client.describeSchema(r -> r.schemaArn(arn)).schema();
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("Personalize refused to create schema " + spec.name() + " ("
                    + errorCode(exists) + ": " + message(exists) + ") but has no schema " + arn + " (" + message(e)
                    + "); another resource may have this name: give this schema another name (schemaName), or "
                    + "leave schemaName unset for a generated one", exists);
        }
        List<String> differences = spec.differences(existing.schema(), existing.domainAsString());
        if (!differences.isEmpty()) {
            throw new IllegalStateException("schema " + spec.name() + " already exists (" + arn + ") with another "
                    + "definition or domain, and a schema cannot change: " + String.join("; ", differences)
                    + ". Give this schema another name (schemaName), or leave schemaName unset for a generated one "
                    + "that changes with the definition and domain");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("schemaArn", arn);
        fields.put("schemaName", spec.name());
        logEvent("schemaAdopted", fields);
        return arn;
    }

    /** @return an ARN of the handler's partition, region and account (see the class comment) */
    private static String accountArn(Request request) {
        Object serviceToken = request.properties().get("ServiceToken");
        if (serviceToken != null && serviceToken.toString().startsWith("arn:")) {
            return serviceToken.toString();
        }
        if (request.stackId() != null && request.stackId().startsWith("arn:")) {
            return request.stackId();
        }
        throw new IllegalArgumentException("the event has neither a ServiceToken nor a StackId ARN, so the ARN of "
                + "an existing schema cannot be formed");
    }

    // ---- isComplete: nothing to wait for

    @Override
    protected Progress isCreateOrUpdateComplete(Request request, String action, long elapsedMillis) {
        if (!action.equals(DONE)) {
            throw new IllegalArgumentException("unknown " + ACTION + " \"" + action + "\" for "
                    + request.requestType());
        }
        return new Complete(data(request.physicalId()));
    }

    @Override
    protected Progress isDeleteComplete(Request request, String action, long elapsedMillis) {
        return new Complete(null);
    }

    @Override
    protected Duration timeout(Request request) {
        return TIMEOUT;
    }

    @Override
    protected String timeoutAdvice() {
        return "Schemas have no status; deploy again";
    }

    private static Map<String, Object> data(String arn) {
        return data(SchemaResource.ATT_SCHEMA_ARN, arn);
    }
}
