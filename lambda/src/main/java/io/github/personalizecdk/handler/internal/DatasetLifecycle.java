package io.github.personalizecdk.handler.internal;

import io.github.personalizecdk.contract.DatasetResource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.Dataset;
import software.amazon.awssdk.services.personalize.model.DatasetUpdateSummary;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;
import software.amazon.awssdk.services.personalize.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.personalize.model.ResourceInUseException;
import software.amazon.awssdk.services.personalize.model.ResourceNotFoundException;

/**
 * {@code Custom::PersonalizeDataset}: a dataset whose schema is replaced in place ({@code UpdateDataset}), so it
 * keeps its ARN and data when fields are added.
 *
 * <ul>
 * <li>Create: CreateDataset, then wait until ACTIVE; the physical id is the dataset's ARN. A dataset that already
 * exists under the expected ARN with the same name (a retried request, or one kept by an earlier deploy) is
 * adopted, with physical id {@code <datasetArn>#adopted} ({@link DatasetSpec#adoptedId}), and moved to the
 * requested schema if it has another. CREATE FAILED deletes the failed dataset (best effort) and fails with
 * Personalize's reason. Data {@code DatasetArn} is the plain ARN either way.
 * <li>Update: a new name, type or group is a new dataset (new physical id; CloudFormation deletes the old one
 * unless it is retained). A new schema is checked against Personalize's replacement rules ({@link SchemaEvolution})
 * before any call, then applied with UpdateDataset and waited on. Anything else calls no write operation.
 * <li>Delete: DeleteDataset, then wait until Personalize no longer finds it. A physical id that is not a dataset
 * ARN (the Provider framework's marker of a failed create) and a dataset already gone are done at once. An adopted
 * dataset held data before this resource existed: while the stack rolls back ({@link StackStatus#isRollback}), or
 * when its status cannot be read, it is kept (no call) and an {@code adoptedDatasetKept} line is logged; it is
 * deleted only by a stack delete or a replacement, i.e. when the removal policy DESTROY asks for it.
 * <li>A CreateDataset, UpdateDataset or DeleteDataset that Personalize refuses with ResourceInUseException (another
 * operation, e.g. an import job, holds the dataset or its group) is not failed: isComplete tries it again on later
 * calls ({@link #RETRY_CREATE}, {@link #RETRY_UPDATE}, {@link #RETRY_DELETE}) until it begins or {@link #TIMEOUT}
 * passes.
 * </ul>
 */
public final class DatasetLifecycle extends ResourceLifecycle {
    /** Wait until the dataset is ACTIVE. */
    static final String WAIT_CREATE = "WAIT_CREATE";
    /** Wait until the dataset's latest update (to the requested schema) is ACTIVE. */
    static final String WAIT_UPDATE = "WAIT_UPDATE";
    /** Wait until the dataset is gone. */
    static final String WAIT_DELETE = "WAIT_DELETE";
    /**
     * Personalize answered ResourceInUseException (another operation holds the dataset or its group): isComplete
     * describes the dataset and, while the operation has not begun, calls CreateDataset, UpdateDataset or
     * DeleteDataset again, until {@link #TIMEOUT} from the first try.
     */
    static final String RETRY_CREATE = "RETRY_CREATE";
    static final String RETRY_UPDATE = "RETRY_UPDATE";
    static final String RETRY_DELETE = "RETRY_DELETE";

    public static final String UPDATE_FAILED = "UPDATE FAILED";

    /** Dataset operations take minutes; the Provider's total timeout (55 minutes) must end after this one. */
    static final Duration TIMEOUT = Duration.ofMinutes(50);

    private final StackStatus stackStatus;

    /** @param stackStatus reads the status of the request's stack, to tell a rollback from a change */
    public DatasetLifecycle(PersonalizeClient client, StackStatus stackStatus, Clock clock, String region,
            Consumer<String> log) {
        super(client, clock, region, log);
        this.stackStatus = Objects.requireNonNull(stackStatus, "stackStatus");
    }

    // ---- onEvent

    @Override
    protected Map<String, Object> onCreate(Request request) {
        return create(DatasetSpec.parse(request.properties()), null);
    }

    /** Updates keep the physical id they got (adopted or not): another one would be a replacement. */
    @Override
    protected Map<String, Object> onUpdate(Request request) {
        DatasetSpec spec = DatasetSpec.parse(request.properties());
        DatasetSpec before = DatasetSpec.parse(request.oldProperties());
        if (!spec.sameDataset(before)) {
            return create(spec, DatasetSpec.datasetArnOf(request.physicalId()));
        }
        if (spec.schemaArn().equals(before.schemaArn())) {
            return result(request.physicalId(), DONE, null, data(datasetArn(request), spec.name(),
                    spec.schemaArn()));
        }
        return replaceSchema(request, before, spec);
    }

    @Override
    protected Map<String, Object> onDelete(Request request) {
        String physicalId = request.physicalId();
        String arn = DatasetSpec.datasetArnOf(physicalId);
        if (arn == null || DatasetSpec.isAdopted(physicalId) && keepAdopted(request, arn)) {
            return result(physicalId, DONE, null, null);
        }
        try {
            client.deleteDataset(r -> r.datasetArn(arn));
        } catch (ResourceNotFoundException e) {
            return result(physicalId, DONE, null, null);
        } catch (ResourceInUseException e) {
            Dataset dataset = describeOrNull(arn);
            if (dataset == null) {
                return result(physicalId, DONE, null, null);
            }
            if (!dataset.status().startsWith("DELETE")) {
                logInUse("DeleteDataset", arn, e);
                return result(physicalId, RETRY_DELETE, clock.millis(), null);
            }
        } catch (PersonalizeException e) {
            throw rejected("the deletion of dataset " + arn, e);
        }
        return result(physicalId, WAIT_DELETE, clock.millis(), null);
    }

    /**
     * An adopted dataset existed before this resource, with data the user kept on purpose (e.g. retained by an
     * earlier stack): a rollback undoes this deploy, which did not create it, so the dataset stays. So it does when
     * the stack's status cannot be read. A stack delete or a replacement (the removal policy DESTROY) deletes it.
     *
     * @return whether to keep the dataset; if so, one {@code adoptedDatasetKept} line says why
     */
    private boolean keepAdopted(Request request, String arn) {
        String status = null;
        String error = null;
        if (request.stackId() == null) {
            error = "the request names no stack";
        } else {
            try {
                status = stackStatus.of(request.stackId());
                if (status == null) {
                    error = "no status reported";
                }
            } catch (RuntimeException e) {
                error = String.valueOf(e.getMessage());
            }
        }
        if (status != null && !StackStatus.isRollback(status)) {
            return false;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("datasetArn", arn);
        fields.put("stackId", request.stackId());
        fields.put("stackStatus", status);
        fields.put("reason", status != null
                ? "the stack is rolling back and this resource did not create the dataset: it keeps its data"
                : "the stack's status cannot be read (" + error + "): an adopted dataset is kept when in doubt");
        logEvent("adoptedDatasetKept", fields);
        return true;
    }

    /** @return the dataset ARN of the request's physical id (plain, or adopted) */
    private static String datasetArn(Request request) {
        String arn = DatasetSpec.datasetArnOf(request.physicalId());
        if (arn == null) {
            throw new IllegalStateException("physical id " + request.physicalId() + " names no dataset; expected "
                    + "its ARN (arn:aws:personalize:<region>:<account>:dataset/<group>/<TYPE>), optionally followed "
                    + "by " + DatasetSpec.ADOPTED);
        }
        return arn;
    }

    /** @param replacing the ARN of the dataset this one replaces, or null (a Create, or no dataset) */
    private Map<String, Object> create(DatasetSpec spec, String replacing) {
        checkRegion(spec.groupArn(), "dataset group", "a dataset must be created in its dataset group's region");
        return createOrAdopt("dataset " + spec.name(),
                () -> {
                    String arn;
                    try {
                        arn = createDataset(spec);
                    } catch (ResourceInUseException e) {
                        logInUse("CreateDataset", spec.datasetArn(), e);
                        return result(spec.datasetArn(), RETRY_CREATE, clock.millis(),
                                data(spec.datasetArn(), spec.name(), spec.schemaArn()));
                    }
                    logStatus(spec.type(), arn, "CREATE PENDING", 0);
                    return result(arn, WAIT_CREATE, clock.millis(), data(arn, spec.name(), spec.schemaArn()));
                },
                exists -> adopt(spec, replacing, exists),
                notFound -> new IllegalStateException("Personalize cannot find dataset group " + spec.groupArn()
                        + " or schema " + spec.schemaArn() + " in region " + region + " (" + message(notFound)
                        + "); check that both exist in this account and region", notFound));
    }

    /**
     * Personalize says the dataset exists: adopt the one at the expected ARN when it has the requested name (a
     * retried request, or a dataset kept by an earlier deploy), moving it to the requested schema if needed.
     */
    private Map<String, Object> adopt(DatasetSpec spec, String replacing, ResourceAlreadyExistsException exists) {
        String arn = spec.datasetArn();
        Dataset existing = describeOrNull(arn);
        if (existing == null) {
            throw new IllegalStateException("Personalize refused to create dataset " + spec.name() + " ("
                    + errorCode(exists) + ": " + message(exists) + ") but has no dataset " + arn
                    + "; another dataset may have this name: give this dataset another name", exists);
        }
        if (!spec.name().equals(existing.name())) {
            if (arn.equals(replacing)) {
                throw new IllegalStateException("dataset " + existing.name() + " (" + arn + ") cannot be replaced "
                        + "by a dataset named " + spec.name() + " in the same dataset group: a group holds one "
                        + spec.type() + " dataset, and CloudFormation deletes the old dataset only after its "
                        + "replacement exists; keep the name " + existing.name()
                        + ", or give the dataset another dataset group", exists);
            }
            throw new IllegalStateException("dataset group " + spec.groupArn() + " already holds a " + spec.type()
                    + " dataset, " + existing.name() + " (" + arn + ", schema " + existing.schemaArn()
                    + "), and a group holds one dataset of each type: delete that dataset, or import it with "
                    + "Dataset.fromDatasetArn instead of creating " + spec.name(), exists);
        }
        if (existing.status().startsWith("DELETE")) {
            throw new IllegalStateException("dataset " + spec.name() + " (" + arn + ") exists but is being deleted"
                    + " (status " + existing.status() + "); deploy again once Personalize has deleted it", exists);
        }
        // a dataset still being created holds no data yet: most likely this request's own, retried; any other
        // is marked in the physical id as not created by this resource, so that a rollback does not delete it
        boolean stillCreating = existing.status().startsWith("CREATE") && !CREATE_FAILED.equals(existing.status());
        String physicalId = stillCreating ? arn : DatasetSpec.adoptedId(arn);
        logAdopted(arn, physicalId, existing);
        if (spec.schemaArn().equals(existing.schemaArn())) {
            return result(physicalId, WAIT_CREATE, clock.millis(), data(arn, spec.name(), spec.schemaArn()));
        }
        // the definition of the existing dataset's schema is unknown here: Personalize judges the replacement
        return startSchemaUpdate(physicalId, arn, spec, existing);
    }

    private void logAdopted(String arn, String physicalId, Dataset existing) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("datasetArn", arn);
        fields.put("physicalResourceId", physicalId);
        fields.put("status", existing.status());
        fields.put("schemaArn", existing.schemaArn());
        logEvent("datasetAdopted", fields);
    }

    /**
     * Moves the dataset to the new schema: Personalize's replacement rules first, from both definitions and
     * without a call; then one Describe, since a dataset already on the target schema (a retry, or the rollback of
     * a refused change) needs nothing; then UpdateDataset.
     */
    private Map<String, Object> replaceSchema(Request request, DatasetSpec before, DatasetSpec spec) {
        String physicalId = request.physicalId();
        String arn = datasetArn(request);
        List<String> violations = List.of();
        if (before.schemaDefinition() != null && spec.schemaDefinition() != null) {
            try {
                violations = SchemaEvolution.violations(spec.type(), before.schemaDefinition(),
                        spec.schemaDefinition());
            } catch (IllegalArgumentException e) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("datasetArn", arn);
                fields.put("reason", e.getMessage());
                logEvent("schemaCheckSkipped", fields);
            }
        }
        Dataset dataset = describeOrNull(arn);
        if (dataset == null) {
            throw new IllegalStateException("dataset " + spec.name() + " (" + arn + ") no longer exists in "
                    + "Personalize, so its schema cannot be replaced; remove it from the app and deploy, then add "
                    + "it again");
        }
        if (onSchema(dataset, spec.schemaArn())) {
            return result(physicalId, DONE, null, data(arn, spec.name(), spec.schemaArn()));
        }
        if (!violations.isEmpty() && onSchema(dataset, before.schemaArn()) && rollingBack(request)) {
            // Personalize cannot take fields away again: the dataset keeps the schema this deploy gave it
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("datasetArn", arn);
            fields.put("keptSchemaArn", before.schemaArn());
            fields.put("templateSchemaArn", spec.schemaArn());
            fields.put("reason", String.join("; ", violations));
            logEvent("schemaRollbackKept", fields);
            return result(physicalId, DONE, null, data(arn, spec.name(), before.schemaArn()));
        }
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(SchemaEvolution.refusal("dataset " + spec.name() + " (" + arn + ")",
                    spec.schemaArn(), violations));
        }
        return startSchemaUpdate(physicalId, arn, spec, dataset);
    }

    /** @return whether the request belongs to a rollback; false when the stack's status cannot be read */
    private boolean rollingBack(Request request) {
        if (request.stackId() == null) {
            return false;
        }
        try {
            return StackStatus.UPDATE_ROLLBACK_IN_PROGRESS.equals(stackStatus.of(request.stackId()));
        } catch (RuntimeException e) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("stackId", request.stackId());
            fields.put("error", String.valueOf(e.getMessage()));
            logEvent("stackStatusUnknown", fields);
            return false;
        }
    }

    private Map<String, Object> startSchemaUpdate(String physicalId, String arn, DatasetSpec spec, Dataset dataset) {
        DatasetUpdateSummary latest = dataset.latestDatasetUpdate();
        boolean running = latest != null && spec.schemaArn().equals(latest.schemaArn())
                && !ACTIVE.equals(latest.status()) && !UPDATE_FAILED.equals(latest.status());
        if (!running) {
            try {
                client.updateDataset(r -> r.datasetArn(arn).schemaArn(spec.schemaArn()));
            } catch (ResourceInUseException e) {
                logInUse("UpdateDataset", arn, e);
                return result(physicalId, RETRY_UPDATE, clock.millis(), data(arn, spec.name(), spec.schemaArn()));
            } catch (PersonalizeException e) {
                throw rejected("the schema update of dataset " + spec.name() + " (" + arn + ") to schema "
                        + spec.schemaArn(), e);
            }
            logStatus(spec.type(), arn, "UPDATE PENDING", 0);
        }
        return result(physicalId, WAIT_UPDATE, clock.millis(), data(arn, spec.name(), spec.schemaArn()));
    }

    /** @return whether the dataset is on the schema with nothing pending: its latest update is not still going */
    private static boolean onSchema(Dataset dataset, String schemaArn) {
        DatasetUpdateSummary latest = dataset.latestDatasetUpdate();
        return schemaArn.equals(dataset.schemaArn())
                && (latest == null || !schemaArn.equals(latest.schemaArn()) || ACTIVE.equals(latest.status()));
    }

    // ---- isComplete

    @Override
    protected Progress isCreateOrUpdateComplete(Request request, String action, long elapsedMillis) {
        DatasetSpec spec = DatasetSpec.parse(request.properties());
        String arn = datasetArn(request);
        return switch (action) {
            case DONE -> new Complete(data(arn, spec.name(), spec.schemaArn()));
            case WAIT_CREATE -> pollCreate(arn, spec, elapsedMillis);
            case WAIT_UPDATE -> pollUpdate(arn, spec, elapsedMillis);
            case RETRY_CREATE -> retryCreate(arn, spec, elapsedMillis);
            case RETRY_UPDATE -> retryUpdate(arn, spec, elapsedMillis);
            default -> throw new IllegalArgumentException("unknown " + ACTION + " \"" + action + "\" for "
                    + request.requestType());
        };
    }

    private Progress pollCreate(String arn, DatasetSpec spec, long elapsedMillis) {
        Dataset dataset = describeOrNull(arn);
        if (dataset == null) {
            throw new IllegalStateException("dataset " + arn + " disappeared while it was being created");
        }
        logStatus(spec.type(), arn, dataset.status(), elapsedMillis);
        if (ACTIVE.equals(dataset.status())) {
            return new Complete(data(arn, dataset.name(), dataset.schemaArn()));
        }
        if (CREATE_FAILED.equals(dataset.status())) {
            deleteFailed(arn);
            // the Dataset model has no failureReason of its own; a failed create may still report one on its update
            String failureReason = dataset.latestDatasetUpdate() == null ? null
                    : dataset.latestDatasetUpdate().failureReason();
            throw new IllegalStateException("dataset " + arn + " failed: " + reason(failureReason));
        }
        if (!dataset.status().startsWith("CREATE")) {
            throw new IllegalStateException("dataset " + arn + " has unexpected status " + dataset.status()
                    + " while it is being created");
        }
        return new Waiting("dataset " + arn, dataset.status());
    }

    /** A failed dataset still takes its type's place in the group: delete it so that a retry can create it. */
    private void deleteFailed(String arn) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("datasetArn", arn);
        try {
            client.deleteDataset(r -> r.datasetArn(arn));
            fields.put("outcome", "deleted");
        } catch (SdkException e) {
            fields.put("outcome", "not deleted: " + (e instanceof PersonalizeException p
                    ? errorCode(p) + ": " + message(p) : e.getMessage()));
        }
        logEvent("failedDatasetCleanup", fields);
    }

    private Progress pollUpdate(String arn, DatasetSpec spec, long elapsedMillis) {
        Dataset dataset = describeOrNull(arn);
        if (dataset == null) {
            throw new IllegalStateException("dataset " + arn + " disappeared while its schema was being replaced");
        }
        String what = "the schema update of dataset " + arn + " to schema " + spec.schemaArn();
        DatasetUpdateSummary latest = dataset.latestDatasetUpdate();
        if (latest != null && spec.schemaArn().equals(latest.schemaArn())) {
            logStatus(spec.type(), arn, latest.status(), elapsedMillis);
            if (ACTIVE.equals(latest.status())) {
                return new Complete(data(arn, dataset.name(), spec.schemaArn()));
            }
            if (UPDATE_FAILED.equals(latest.status())) {
                throw new IllegalStateException(what + " failed: " + reason(latest.failureReason()));
            }
            return new Waiting(what, latest.status());
        }
        logStatus(spec.type(), arn, dataset.status(), elapsedMillis);
        if (onSchema(dataset, spec.schemaArn()) && ACTIVE.equals(dataset.status())) {
            return new Complete(data(arn, dataset.name(), spec.schemaArn()));
        }
        return new Waiting(what, dataset.status());
    }

    @Override
    protected Progress isDeleteComplete(Request request, String action, long elapsedMillis) {
        String arn = datasetArn(request);
        Dataset dataset = describeOrNull(arn);
        if (dataset == null) {
            return new Complete(null);
        }
        if (action.equals(RETRY_DELETE) && !dataset.status().startsWith("DELETE")) {
            try {
                client.deleteDataset(r -> r.datasetArn(arn));
            } catch (ResourceNotFoundException e) {
                return new Complete(null);
            } catch (ResourceInUseException e) {
                logInUse("DeleteDataset", arn, e);
                return new Waiting("the deletion of dataset " + arn + " (in use: " + message(e) + ")",
                        dataset.status());
            } catch (PersonalizeException e) {
                throw rejected("the deletion of dataset " + arn, e);
            }
        }
        logStatus(arn.substring(arn.lastIndexOf('/') + 1), arn, dataset.status(), elapsedMillis);
        return new Waiting("the deletion of dataset " + arn, dataset.status());
    }

    @Override
    protected Duration timeout(Request request) {
        return TIMEOUT;
    }

    @Override
    protected String timeoutAdvice() {
        return "The operation goes on in Personalize; deploy again once DescribeDataset shows it has ended";
    }

    /** CreateDataset was refused while another operation held the group: describe, else create again. */
    private Progress retryCreate(String arn, DatasetSpec spec, long elapsedMillis) {
        Dataset dataset = describeOrNull(arn);
        if (dataset != null) {
            if (!spec.name().equals(dataset.name())) {
                throw new IllegalStateException("dataset group " + spec.groupArn() + " already holds a "
                        + spec.type() + " dataset, " + dataset.name() + " (" + arn + "), and a group holds one "
                        + "dataset of each type: delete that dataset, or import it with Dataset.fromDatasetArn "
                        + "instead of creating " + spec.name());
            }
            return pollCreate(arn, spec, elapsedMillis);
        }
        try {
            createDataset(spec);
        } catch (ResourceInUseException e) {
            logInUse("CreateDataset", arn, e);
            return new Waiting("dataset " + arn + " (not created yet: " + message(e) + ")", "NOT STARTED");
        } catch (ResourceAlreadyExistsException e) {
            return new Waiting("dataset " + arn, "CREATE PENDING");
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("Personalize cannot find dataset group " + spec.groupArn()
                    + " or schema " + spec.schemaArn() + " in region " + region + " (" + message(e)
                    + "); check that both exist in this account and region", e);
        } catch (PersonalizeException e) {
            throw rejected("dataset " + spec.name(), e);
        }
        logStatus(spec.type(), arn, "CREATE PENDING", elapsedMillis);
        return new Waiting("dataset " + arn, "CREATE PENDING");
    }

    /** UpdateDataset was refused while another operation held the dataset: describe, else update again. */
    private Progress retryUpdate(String arn, DatasetSpec spec, long elapsedMillis) {
        Dataset dataset = describeOrNull(arn);
        if (dataset == null) {
            throw new IllegalStateException("dataset " + arn + " disappeared while its schema was being replaced");
        }
        DatasetUpdateSummary latest = dataset.latestDatasetUpdate();
        boolean begun = latest != null && spec.schemaArn().equals(latest.schemaArn());
        if (begun || onSchema(dataset, spec.schemaArn())) {
            return pollUpdate(arn, spec, elapsedMillis);
        }
        try {
            client.updateDataset(r -> r.datasetArn(arn).schemaArn(spec.schemaArn()));
        } catch (ResourceInUseException e) {
            logInUse("UpdateDataset", arn, e);
            return new Waiting("the schema update of dataset " + arn + " to schema " + spec.schemaArn()
                    + " (not started yet: " + message(e) + ")", dataset.status());
        } catch (PersonalizeException e) {
            throw rejected("the schema update of dataset " + spec.name() + " (" + arn + ") to schema "
                    + spec.schemaArn(), e);
        }
        logStatus(spec.type(), arn, "UPDATE PENDING", elapsedMillis);
        return new Waiting("the schema update of dataset " + arn + " to schema " + spec.schemaArn(),
                "UPDATE PENDING");
    }

    private String createDataset(DatasetSpec spec) {
        return client.createDataset(r -> r.name(spec.name()).datasetType(spec.type())
                .datasetGroupArn(spec.groupArn()).schemaArn(spec.schemaArn())).datasetArn();
    }

    /** One line per ResourceInUseException that makes the handler try again later. */
    private void logInUse(String operation, String arn, ResourceInUseException e) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("operation", operation);
        fields.put("datasetArn", arn);
        fields.put("error", errorCode(e) + ": " + message(e));
        logEvent("datasetInUse", fields);
    }

    // ---- helpers

    /** @return the dataset, or null when Personalize has none with this ARN */
    private Dataset describeOrNull(String arn) {
        try {
            return client.describeDataset(r -> r.datasetArn(arn)).dataset();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }

    private void logStatus(String type, String arn, String status, long elapsedMillis) {
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("datasetType", type);
        identity.put("datasetArn", arn);
        logStatus("datasetStatus", identity, status, elapsedMillis);
    }

    private static Map<String, Object> data(String arn, String name, String schemaArn) {
        return data(DatasetResource.ATT_DATASET_ARN, arn, DatasetResource.ATT_DATASET_NAME, name,
                DatasetResource.ATT_SCHEMA_ARN, schemaArn);
    }
}
