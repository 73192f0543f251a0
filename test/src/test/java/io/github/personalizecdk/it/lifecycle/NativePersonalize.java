package io.github.personalizecdk.it.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.PersonalizeException;

/**
 * CloudFormation's own handlers for {@code AWS::Personalize::DatasetGroup}, {@code Schema} and {@code Dataset}:
 * create and wait until ACTIVE, delete and wait until gone; the physical id is the ARN, also the attribute
 * DatasetGroupArn, SchemaArn or DatasetArn. Create-only properties and the replacement strategy come from the
 * registry schemas in {@code cfn-schemas/}. Waits are polls every 5 seconds on the simulator's clock. Errors read as CloudFormation shows them: {@code Resource handler
 * returned message: "..." (RequestToken: ..., HandlerErrorCode: ...)}.
 */
final class NativePersonalize implements ResourceProvider {
    private static final String PREFIX = "AWS::Personalize::";
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    private static final int MAX_POLLS = 2160 * 60 / 5; // the Dataset schema's handler timeout: 2160 minutes

    private record RegistrySchema(List<String> createOnly, boolean deleteFirst) {
    }

    private static final Map<String, RegistrySchema> SCHEMAS = new HashMap<>();

    static {
        for (String file : List.of("datasetgroup", "schema", "dataset")) {
            try (InputStream in = NativePersonalize.class.getResourceAsStream("/cfn-schemas/" + file + ".json")) {
                JsonNode schema = new ObjectMapper().readTree(in);
                List<String> createOnly = new ArrayList<>();
                schema.get("createOnlyProperties").forEach(p -> createOnly.add(p.asText().replace("/properties/", "")));
                SCHEMAS.put(schema.get("typeName").asText(), new RegistrySchema(createOnly,
                        "delete_then_create".equals(schema.path("replacementStrategy").asText())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final PersonalizeClient client;
    private final CloudFormationSimulator stack;

    NativePersonalize(PersonalizeClient client, CloudFormationSimulator stack) {
        this.client = client;
        this.stack = stack;
    }

    @Override
    public boolean needsReplacement(String type, Map<String, Object> before, Map<String, Object> after) {
        return schema(type).createOnly().stream().anyMatch(p -> !Objects.equals(before.get(p), after.get(p)));
    }

    @Override
    public boolean deletesBeforeReplacing(String type) {
        return schema(type).deleteFirst();
    }

    private static RegistrySchema schema(String type) {
        return Objects.requireNonNull(SCHEMAS.get(type), () -> type + " is not modelled; expected " + SCHEMAS.keySet());
    }

    /** The create call in the first step, then a describe every poll interval until ACTIVE (a schema has none). */
    @Override
    public Operation create(Request r) {
        Map<String, Object> p = r.properties();
        schema(r.type());
        if (p.containsKey("DatasetImportJob")) {
            throw new IllegalArgumentException("AWS::Personalize::Dataset DatasetImportJob is not modelled");
        }
        return new Operation() {
            private String arn;
            private int poll;
            private Outcome outcome;

            @Override
            public Duration step() {
                if (arn == null) {
                    arn = call(null, () -> switch (r.type()) {
                        case PREFIX + "DatasetGroup" -> client.createDatasetGroup(b -> b.name(text(p, "Name"))
                                .roleArn(text(p, "RoleArn")).kmsKeyArn(text(p, "KmsKeyArn"))
                                .domain(text(p, "Domain"))).datasetGroupArn();
                        case PREFIX + "Schema" -> client.createSchema(b -> b.name(text(p, "Name"))
                                .schema(text(p, "Schema")).domain(text(p, "Domain"))).schemaArn();
                        default -> client.createDataset(b -> b.name(text(p, "Name")).schemaArn(text(p, "SchemaArn"))
                                .datasetGroupArn(text(p, "DatasetGroupArn"))
                                .datasetType(text(p, "DatasetType").toUpperCase(Locale.ROOT))).datasetArn();
                    });
                    if (!r.type().equals(PREFIX + "Schema")) {
                        return POLL_INTERVAL;
                    }
                } else {
                    String status = call(arn, () -> status(r.type(), arn));
                    if (!status.equals("ACTIVE")) {
                        if (status.endsWith("FAILED") || ++poll == MAX_POLLS) {
                            throw failure(arn, "NotStabilized", r.type() + " " + arn + " did not stabilize: status "
                                    + status);
                        }
                        return POLL_INTERVAL;
                    }
                }
                outcome = new Outcome(arn, Map.of(r.type().substring(PREFIX.length()) + "Arn", arn));
                return null;
            }

            @Override
            public Outcome outcome() {
                return outcome;
            }
        };
    }

    /** Only create-only properties and DatasetImportJob (which the library does not use) exist: nothing to call. */
    @Override
    public Operation update(Request r) {
        return Operation.instant(() -> new Outcome(r.physicalId(), Map.of(r.type().substring(PREFIX.length()) + "Arn",
                r.physicalId())));
    }

    /** The delete call in the first step, then a describe every poll interval until ResourceNotFound. */
    @Override
    public Operation delete(Request r) {
        String arn = r.physicalId();
        return new Operation() {
            private int poll = -1;

            @Override
            public Duration step() {
                try {
                    if (poll++ < 0) {
                        call(arn, () -> switch (r.type()) {
                            case PREFIX + "DatasetGroup" -> client.deleteDatasetGroup(b -> b.datasetGroupArn(arn));
                            case PREFIX + "Schema" -> client.deleteSchema(b -> b.schemaArn(arn));
                            default -> client.deleteDataset(b -> b.datasetArn(arn));
                        });
                    } else if (poll > MAX_POLLS) {
                        throw failure(arn, "NotStabilized", r.type() + " " + arn + " was not deleted");
                    } else {
                        call(arn, () -> status(r.type(), arn));
                    }
                    return POLL_INTERVAL;
                } catch (NotFound gone) {
                    return null; // deleted
                }
            }

            @Override
            public Outcome outcome() {
                return null;
            }
        };
    }

    private String status(String type, String arn) {
        return switch (type) {
            case PREFIX + "DatasetGroup" -> client.describeDatasetGroup(b -> b.datasetGroupArn(arn)).datasetGroup()
                    .status();
            case PREFIX + "Schema" -> {
                client.describeSchema(b -> b.schemaArn(arn));
                yield "ACTIVE";
            }
            default -> client.describeDataset(b -> b.datasetArn(arn)).dataset().status();
        };
    }

    private <T> T call(String arn, Supplier<T> call) {
        try {
            return call.get();
        } catch (PersonalizeException e) {
            String code = switch (e.awsErrorDetails().errorCode()) {
                case "ResourceNotFoundException" -> "NotFound";
                case "ResourceAlreadyExistsException" -> "AlreadyExists";
                case "InvalidInputException" -> "InvalidRequest";
                case "ResourceInUseException" -> "ResourceConflict";
                case "LimitExceededException" -> "ServiceLimitExceeded";
                default -> "GeneralServiceException";
            };
            Failure f = failure(arn, code, e.getMessage());
            throw code.equals("NotFound") ? new NotFound(f) : f;
        }
    }

    private Failure failure(String physicalId, String code, String message) {
        return new Failure("Resource handler returned message: \"" + message + "\" (RequestToken: " + stack.uuid()
                + ", HandlerErrorCode: " + code + ")", physicalId);
    }

    private static String text(Map<String, Object> p, String key) {
        return p.get(key) == null ? null : String.valueOf(p.get(key));
    }

    /** Personalize answered ResourceNotFoundException: a failure, unless the resource is being deleted. */
    private static final class NotFound extends Failure {
        private static final long serialVersionUID = 1L;

        NotFound(Failure f) {
            super(f.getMessage(), f.physicalId);
        }
    }
}
