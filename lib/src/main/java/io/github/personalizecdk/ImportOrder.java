package io.github.personalizecdk;

import io.github.personalizecdk.internal.Validate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.AspectOptions;
import software.amazon.awscdk.AspectPriority;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * Checks at synth, once every dependency is declared, that an INCREMENTAL import of a dataset follows a FULL import
 * of it. Personalize adds INCREMENTAL records to the data already in the dataset, and a FULL import replaces that
 * data ("INCREMENTAL only after a bulk import", ImportMode in the CreateDatasetImportJob reference). None of the
 * mistakes found here makes Personalize refuse the job for certain: the data may come from an earlier deploy or
 * from outside the app, and two jobs started together may still finish in the right order. So each is a warning
 * the user can acknowledge, never an error.
 */
final class ImportOrder {
    static final String NO_FULL_IMPORT = "personalize-cdk:incrementalImportWithoutFullImport";
    static final String NOT_ORDERED = "personalize-cdk:incrementalImportNotAfterFullImport";
    static final String FULL_NOT_WAITED = "personalize-cdk:incrementalImportAfterUnwaitedFullImport";

    private ImportOrder() {
    }

    /** Adds the check to an INCREMENTAL import; it runs when aspects run, after the app has declared its order. */
    static void checkAtSynth(DatasetImportJob incremental) {
        String path = incremental.getNode().getPath();
        Aspects.of(incremental).add(new IAspect() {
            @Override
            public void visit(IConstruct node) {
                if (node.getNode().getPath().equals(path)) {
                    check(incremental);
                }
            }
        }, AspectOptions.builder().priority(AspectPriority.READONLY).build());
    }

    private static void check(DatasetImportJob incremental) {
        List<DatasetImportJob> fulls = new ArrayList<>();
        for (IConstruct c : incremental.getNode().getRoot().getNode().findAll()) {
            if (c instanceof DatasetImportJob job && job.getImportMode() == ImportMode.FULL
                    && sameDataset(job.getDataset(), incremental.getDataset())) {
                fulls.add(job);
            }
        }
        String kind = "DatasetImportJob";
        String dataset = describe(incremental.getDataset());
        if (fulls.isEmpty()) {
            Annotations.of(incremental).addWarningV2(NO_FULL_IMPORT, Validate.message(kind, incremental,
                    "importMode INCREMENTAL adds records to the data already in " + dataset + ", but the app has no "
                            + "FULL import of it; expected a FULL import job of that dataset that this job depends "
                            + "on (addDependency), unless its data was imported by an earlier deploy or outside "
                            + "this app"));
            return;
        }
        List<DatasetImportJob> before = fulls.stream().filter(full -> orderedAfter(incremental, full)).toList();
        if (before.isEmpty()) {
            Annotations.of(incremental).addWarningV2(NOT_ORDERED, Validate.message(kind, incremental,
                    "importMode INCREMENTAL is not ordered after the FULL import '" + fulls.get(0).getNode().getPath()
                            + "' of " + dataset + ": CloudFormation may start both at once, and a FULL import "
                            + "replaces the data, records of an INCREMENTAL import before it included; expected "
                            + "this job's getNode().addDependency(<the FULL import>)"));
            return;
        }
        before.stream().filter(full -> !full.isWaitingForCompletion()).findFirst().ifPresent(full ->
                Annotations.of(incremental).addWarningV2(FULL_NOT_WAITED, Validate.message(kind, incremental,
                        "importMode INCREMENTAL follows the FULL import '" + full.getNode().getPath() + "' of "
                                + dataset + ", which does not wait for completion (waitForCompletion(false)): "
                                + "on a deploy that starts both, this job starts while the FULL import still runs, "
                                + "which then replaces the records this job adds; expected waitForCompletion(true) "
                                + "(the default) on the FULL import")));
    }

    private static boolean sameDataset(IDataset a, IDataset b) {
        if (a == b) {
            return true;
        }
        String arnA = a.getDatasetArn();
        return Validate.isKnown(arnA) && arnA.equals(b.getDatasetArn());
    }

    private static String describe(IDataset dataset) {
        return "dataset '" + dataset.getNode().getPath() + "'";
    }

    /**
     * @return whether CloudFormation creates the FULL job's resource before the INCREMENTAL job's: some construct
     *     the INCREMENTAL job (or an ancestor) depends on, directly or through other constructs' dependencies,
     *     holds the FULL job's resource, or the INCREMENTAL job's stack depends on the FULL job's stack
     */
    private static boolean orderedAfter(DatasetImportJob incremental, DatasetImportJob full) {
        String target = full.getResource().getNode().getPath();
        if (Stack.of(incremental) != Stack.of(full) && stackDependsOn(Stack.of(incremental), Stack.of(full))) {
            return true;
        }
        Deque<IConstruct> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(incremental);
        while (!todo.isEmpty()) {
            IConstruct next = todo.poll();
            String path = next.getNode().getPath();
            if (!seen.add(path)) {
                continue;
            }
            if (!next.equals(incremental) && (target.equals(path) || target.startsWith(path + "/")
                    || path.startsWith(target + "/"))) {
                return true;
            }
            List<IConstruct> sources = new ArrayList<>(next.getNode().findAll());
            for (IConstruct scope = next.getNode().getScope(); scope != null; scope = scope.getNode().getScope()) {
                sources.add(scope);
            }
            for (IConstruct source : sources) {
                todo.addAll(source.getNode().getDependencies());
            }
        }
        return false;
    }

    private static boolean stackDependsOn(Stack stack, Stack other) {
        Deque<Stack> todo = new ArrayDeque<>(stack.getDependencies());
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Stack next = todo.poll();
            if (next.getNode().getPath().equals(other.getNode().getPath())) {
                return true;
            }
            if (seen.add(next.getNode().getPath())) {
                todo.addAll(next.getDependencies());
            }
        }
        return false;
    }
}
