package io.github.personalizecdk.it;

import io.github.personalizecdk.DataSource;
import io.github.personalizecdk.Dataset;
import io.github.personalizecdk.DatasetGroup;
import io.github.personalizecdk.DatasetImportJobOptions;
import io.github.personalizecdk.DatasetOptions;
import io.github.personalizecdk.DatasetType;
import io.github.personalizecdk.FieldType;
import io.github.personalizecdk.Schema;
import io.github.personalizecdk.SchemaDefinition;
import io.github.personalizecdk.SchemaField;
import io.github.personalizecdk.examples.EcommerceStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * One synth in a fresh JVM, for the benchmarks: {@code library}, {@code baseline} or {@code jobs:N}.
 * Prints one JSON line: jsii start, synth time, template bytes, Lambda functions.
 */
public final class SynthProbe {
    private SynthProbe() {
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        Path outdir = Files.createTempDirectory("synth-probe");
        long t0 = System.nanoTime();
        App app = CdkContext.app().outdir(outdir.toString()).build();
        long t1 = System.nanoTime();
        Stack stack;
        if (variant.equals("library")) {
            stack = new EcommerceStack(app, "Probe");
        } else if (variant.equals("baseline")) {
            stack = new BaselineEcommerceStack(app, "Probe");
        } else if (variant.startsWith("shared:")) {
            stack = jobs(app, Integer.parseInt(variant.substring("shared:".length())), true);
        } else {
            stack = jobs(app, Integer.parseInt(variant.substring("jobs:".length())), false);
        }
        long tBuilt = System.nanoTime();
        app.synth();
        long t2 = System.nanoTime();
        Path template = outdir.resolve("Probe.template.json");
        String text = Files.readString(template);
        int functions = text.split("\"AWS::Lambda::Function\"", -1).length - 1;
        System.out.println("@@{\"variant\":\"" + variant + "\",\"jsiiStartMs\":" + (t1 - t0) / 1_000_000
                + ",\"synthMs\":" + (t2 - t1) / 1_000_000 + ",\"constructMs\":" + (tBuilt - t1) / 1_000_000 + ",\"templateBytes\":" + Files.size(template)
                + ",\"functions\":" + functions + "}");
        try (Stream<Path> files = Files.walk(outdir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(0);
    }

    static Stack jobs(App app, int count, boolean sharedRole) {
        Stack stack = new Stack(app, "Probe");
        DatasetGroup group = new DatasetGroup(stack, "Group");
        Schema schema = Schema.Builder.create(stack, "Schema").definition(SchemaDefinition.fromFields("Interactions",
                SchemaField.of("USER_ID", FieldType.STRING), SchemaField.of("ITEM_ID", FieldType.STRING),
                SchemaField.of("TIMESTAMP", FieldType.LONG))).build();
        Dataset dataset = group.addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());
        Bucket bucket = new Bucket(stack, "Data");
        io.github.personalizecdk.PersonalizeServiceRole access = null;
        if (sharedRole) {
            access = new io.github.personalizecdk.PersonalizeServiceRole(stack, "Access");
            access.grantImportFrom(bucket, "imports/");
        }
        for (int i = 0; i < count; i++) {
            dataset.addImportJob("Import" + i, DatasetImportJobOptions.builder()
                    .dataSource(DataSource.fromBucket(bucket, "imports/part-" + i + "/"))
                    .role(access == null ? null : access.getRole()).build());
        }
        return stack;
    }
}
