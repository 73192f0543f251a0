package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.examples.ExamplesApp;
import io.github.personalizecdk.examples.ProductionSettings;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/**
 * Two synths of the examples (default and production settings), each in a fresh JVM, give byte-identical
 * templates and asset manifests. One JVM
 * would hide what differs between runs: the iteration order of {@code Map.of}/{@code Set.of} (salted per JVM),
 * identity hash codes, anything read from the clock.
 */
class DeterminismTest {
    private static final long TIMEOUT_MINUTES = 5;

    @Test
    void synthsInTwoFreshJvmsWriteIdenticalCloudAssemblies(@TempDir Path first, @TempDir Path second)
            throws Exception {
        Process a = synthInFreshJvm(first);
        Process b = synthInFreshJvm(second);
        awaitSuccess(a, first);
        awaitSuccess(b, second);

        Map<String, String> one = files(first);
        Map<String, String> other = files(second);
        assertThat(one.keySet()).contains("PersonalizeEcommerceExample.template.json",
                "PersonalizeEncryptedCustomExample.template.json",
                "production/PersonalizeEcommerceExample.template.json",
                "production/PersonalizeEncryptedCustomExample.template.json");
        for (Map.Entry<String, String> file : one.entrySet()) {
            assertThat(other.get(file.getKey())).as("%s of the second JVM", file.getKey()).isEqualTo(file.getValue());
        }
        assertThat(other.keySet()).isEqualTo(one.keySet());
    }

    /** Starts {@link SynthExamples} in a new JVM on this test's classpath. */
    private static Process synthInFreshJvm(Path outdir) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classpath,
                SynthExamples.class.getName(), outdir.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(outdir.resolveSibling(outdir.getFileName() + ".log").toFile())
                .start();
    }

    private static void awaitSuccess(Process process, Path outdir) throws Exception {
        boolean done = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly();
        }
        Path log = outdir.resolveSibling(outdir.getFileName() + ".log");
        String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        assertThat(done).as("synth into %s finished within %d minutes: %s", outdir, TIMEOUT_MINUTES, output).isTrue();
        assertThat(process.exitValue()).as("synth into %s: %s", outdir, output).isZero();
    }

    private static Map<String, String> files(Path outdir) throws IOException {
        try (Stream<Path> files = Files.walk(outdir)) {
            List<Path> compared = files.filter(f -> f.toString().endsWith(".template.json")
                    || f.toString().endsWith(".assets.json")).collect(Collectors.toList());
            Map<String, String> contents = new TreeMap<>();
            for (Path f : compared) {
                contents.put(outdir.relativize(f).toString().replace(File.separatorChar, '/'),
                        Files.readString(f, StandardCharsets.UTF_8));
            }
            return contents;
        }
    }

    /**
     * Synthesizes every example stack into the directory given as the only argument, and again with the
     * production settings on into its {@code production} folder.
     */
    public static final class SynthExamples {
        private SynthExamples() {
        }

        public static void main(String[] args) {
            if (args.length != 1) {
                System.err.println("usage: " + SynthExamples.class.getName() + " <outdir>");
                System.exit(2);
            }
            File outdir = new File(args[0]).getAbsoluteFile();
            App app = CdkContext.app().outdir(outdir.getPath()).build();
            ExamplesApp.build(app);
            app.synth();
            Map<String, Object> production = new HashMap<>(CdkContext.get());
            production.put(ProductionSettings.CONTEXT_KEY, "true");
            App productionApp = App.Builder.create().context(production)
                    .outdir(new File(outdir, "production").getPath()).build();
            ExamplesApp.build(productionApp);
            productionApp.synth();
            System.exit(0); // the jsii runtime's threads would keep the JVM alive
        }
    }
}
