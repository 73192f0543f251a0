package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.examples.ExamplesApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/** Two synths of the examples give byte-identical templates and asset manifests. */
class DeterminismTest {
    @Test
    void twoSynthsWriteIdenticalCloudAssemblies(@TempDir Path first, @TempDir Path second) throws IOException {
        Map<String, String> a = synth(first);
        Map<String, String> b = synth(second);

        assertThat(a.keySet()).contains("PersonalizeEcommerceExample.template.json",
                "PersonalizeEncryptedCustomExample.template.json");
        assertThat(b).isEqualTo(a);
    }

    private static Map<String, String> synth(Path outdir) throws IOException {
        App app = App.Builder.create().outdir(outdir.toString()).build();
        ExamplesApp.build(app);
        app.synth();
        try (Stream<Path> files = Files.list(outdir)) {
            List<Path> compared = files.filter(f -> f.toString().endsWith(".template.json")
                    || f.toString().endsWith(".assets.json")).collect(Collectors.toList());
            Map<String, String> contents = new TreeMap<>();
            for (Path f : compared) {
                contents.put(f.getFileName().toString(), Files.readString(f));
            }
            return contents;
        }
    }
}
