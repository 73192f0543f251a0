package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.Construct;

/**
 * INCREMENTAL imports against the FULL imports of the same dataset in the app: warned at synth, once every
 * dependency is declared, when none exists, when the two are not ordered, or when the FULL import does not wait.
 */
class JobOrderTest {
    private static final String PATH = "/Stack/Dataset/Incremental";
    private static final String INCREMENTAL = "DatasetImportJob 'Stack/Dataset/Incremental': importMode INCREMENTAL ";
    private static final String DATA = "s3://shared-data/interactions/";

    @ParameterizedTest(name = "{0}")
    @MethodSource("misorderedImports")
    void misorderedIncrementalImportWarnsWithAnExactMessage(String description, Consumer<Stack> build,
            String message) {
        Stack stack = TestApps.stack();
        build.accept(stack);
        Annotations annotations = Annotations.fromStack(stack);
        annotations.hasWarning(PATH, message);
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp(".*importMode INCREMENTAL.*"))).hasSize(1);
    }

    static Stream<Arguments> misorderedImports() {
        return Stream.of(
                Arguments.of("no FULL import of the dataset", (Consumer<Stack>) s -> job(dataset(s), "Incremental",
                                ImportMode.INCREMENTAL, true),
                        INCREMENTAL + "adds records to the data already in dataset 'Stack/Dataset', but the app has no "
                                + "FULL import of it; expected a FULL import job of that dataset that this job depends "
                                + "on (addDependency), unless its data was imported by an earlier deploy or outside "
                                + "this app [ack: personalize-cdk:incrementalImportWithoutFullImport]"),
                Arguments.of("a FULL import of another dataset only", (Consumer<Stack>) s -> {
                    Dataset interactions = dataset(s);
                    Dataset users = interactions.getDatasetGroup().addDataset("Users", DatasetOptions.builder()
                            .datasetType(DatasetType.USERS).schema(Schema.Builder.create(s, "UsersSchema")
                                    .definition(TestApps.users(1)).build()).build());
                    DatasetImportJob full = job(users, "Full", ImportMode.FULL, true);
                    job(interactions, "Incremental", ImportMode.INCREMENTAL, true).getNode().addDependency(full);
                },
                        INCREMENTAL + "adds records to the data already in dataset 'Stack/Dataset', but the app has no "
                                + "FULL import of it; expected a FULL import job of that dataset that this job depends "
                                + "on (addDependency), unless its data was imported by an earlier deploy or outside "
                                + "this app [ack: personalize-cdk:incrementalImportWithoutFullImport]"),
                Arguments.of("FULL and INCREMENTAL imports not ordered", (Consumer<Stack>) s -> {
                    Dataset dataset = dataset(s);
                    job(dataset, "Full", ImportMode.FULL, true);
                    job(dataset, "Incremental", ImportMode.INCREMENTAL, true);
                }, NOT_ORDERED),
                Arguments.of("FULL import ordered after the INCREMENTAL one", (Consumer<Stack>) s -> {
                    Dataset dataset = dataset(s);
                    DatasetImportJob full = job(dataset, "Full", ImportMode.FULL, true);
                    full.getNode().addDependency(job(dataset, "Incremental", ImportMode.INCREMENTAL, true));
                }, NOT_ORDERED),
                Arguments.of("FULL import of an imported dataset, known by its ARN", (Consumer<Stack>) s -> {
                    String arn = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";
                    job(Dataset.fromDatasetArn(s, "Imported", arn), "Full", ImportMode.FULL, true);
                    job(Dataset.fromDatasetArn(s, "Dataset", arn), "Incremental", ImportMode.INCREMENTAL, true);
                }, INCREMENTAL + "is not ordered after the FULL import 'Stack/Imported/Full' of dataset "
                        + "'Stack/Dataset': CloudFormation may start both at once, and a FULL import replaces the data, "
                        + "records of an INCREMENTAL import before it included; expected this job's "
                        + "getNode().addDependency(<the FULL import>) "
                        + "[ack: personalize-cdk:incrementalImportNotAfterFullImport]"),
                Arguments.of("after a FULL import that does not wait", (Consumer<Stack>) s -> {
                    Dataset dataset = dataset(s);
                    DatasetImportJob full = job(dataset, "Full", ImportMode.FULL, false);
                    job(dataset, "Incremental", ImportMode.INCREMENTAL, true).getNode().addDependency(full);
                }, INCREMENTAL + "follows the FULL import 'Stack/Dataset/Full' of dataset 'Stack/Dataset', which does "
                        + "not wait for completion (waitForCompletion(false)): on a deploy that starts both, this job "
                        + "starts while the FULL import still runs, which then replaces the records this job adds; "
                        + "expected waitForCompletion(true) (the default) on the FULL import "
                        + "[ack: personalize-cdk:incrementalImportAfterUnwaitedFullImport]"));
    }

    private static final String NOT_ORDERED = INCREMENTAL + "is not ordered after the FULL import 'Stack/Dataset/Full' "
            + "of dataset 'Stack/Dataset': CloudFormation may start both at once, and a FULL import replaces the data, "
            + "records of an INCREMENTAL import before it included; expected this job's "
            + "getNode().addDependency(<the FULL import>) [ack: personalize-cdk:incrementalImportNotAfterFullImport]";

    @ParameterizedTest(name = "{0}")
    @MethodSource("orderedImports")
    void incrementalImportAfterAWaitedFullImportDoesNotWarn(String description, Consumer<Stack> build) {
        Stack stack = TestApps.stack();
        build.accept(stack);
        Annotations.fromStack(stack).hasNoWarning("*", Match.stringLikeRegexp(".*importMode INCREMENTAL.*"));
    }

    static Stream<Arguments> orderedImports() {
        return Stream.of(
                Arguments.of("depends on the FULL import", (Consumer<Stack>) s -> {
                    Dataset dataset = dataset(s);
                    DatasetImportJob full = job(dataset, "Full", ImportMode.FULL, true);
                    job(dataset, "Incremental", ImportMode.INCREMENTAL, true).getNode().addDependency(full);
                }),
                Arguments.of("depends on the FULL import's custom resource", (Consumer<Stack>) s -> {
                    Dataset dataset = dataset(s);
                    DatasetImportJob full = job(dataset, "Full", ImportMode.FULL, true);
                    job(dataset, "Incremental", ImportMode.INCREMENTAL, true).getNode()
                            .addDependency(full.getResource());
                }),
                Arguments.of("depends on a construct that depends on the FULL import", (Consumer<Stack>) s -> {
                    Dataset dataset = dataset(s);
                    DatasetImportJob full = job(dataset, "Full", ImportMode.FULL, true);
                    Construct step = new Construct(s, "AfterFull");
                    step.getNode().addDependency(full);
                    job(dataset, "Incremental", ImportMode.INCREMENTAL, true).getNode().addDependency(step);
                }));
    }

    @Test
    void incrementalImportInAStackThatDependsOnTheFullImportsStackDoesNotWarn() {
        App app = new App();
        Stack data = new Stack(app, "Data");
        Dataset dataset = dataset(data);
        job(dataset, "Full", ImportMode.FULL, true);
        Stack daily = new Stack(app, "Daily");
        daily.addDependency(data);
        job(Dataset.fromDatasetAttributes(daily, "Dataset", DatasetAttributes.builder()
                .datasetArn("arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS").build()),
                "Incremental", ImportMode.INCREMENTAL, true);
        // the imported ARN names another dataset object: without the same object or ARN, no FULL import is known
        Annotations.fromStack(daily).hasWarning("/Daily/Dataset/Incremental", Match.stringLikeRegexp(
                ".*the app has no FULL import of it.*"));

        App same = new App();
        Stack first = new Stack(same, "Data");
        Dataset shared = dataset(first);
        job(shared, "Full", ImportMode.FULL, true);
        Stack second = new Stack(same, "Daily");
        second.addDependency(first);
        new DatasetImportJob(second, "Incremental", DatasetImportJobProps.of(shared, DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri(DATA)).importMode(ImportMode.INCREMENTAL).build()));
        Annotations.fromStack(second).hasNoWarning("*", Match.stringLikeRegexp(".*importMode INCREMENTAL.*"));
    }

    @Test
    void theWarningLeavesTheTemplateAsItWas() {
        Stack stack = TestApps.stack();
        job(dataset(stack), "Incremental", ImportMode.INCREMENTAL, true);
        Template.fromStack(stack).hasResourceProperties(DatasetImportJob.RESOURCE_TYPE,
                Match.objectLike(Map.of("ImportMode", "INCREMENTAL", "DataLocation", DATA)));
        assertThat(List.of(ImportOrder.NO_FULL_IMPORT, ImportOrder.NOT_ORDERED, ImportOrder.FULL_NOT_WAITED))
                .allMatch(id -> id.startsWith("personalize-cdk:"));
    }

    private static Dataset dataset(Stack s) {
        DatasetGroup group = new DatasetGroup(s, "Group");
        return Dataset.Builder.create(s, "Dataset").datasetGroup(group).datasetType(DatasetType.INTERACTIONS)
                .schema(Schema.Builder.create(s, "Schema").definition(TestApps.interactions()).build()).build();
    }

    private static DatasetImportJob job(IDataset dataset, String id, ImportMode mode, boolean wait) {
        return dataset.addImportJob(id, DatasetImportJobOptions.builder().dataSource(DataSource.fromUri(DATA))
                .importMode(mode).waitForCompletion(wait).build());
    }
}
