package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each example stack's template against the JSON committed under {@code test/snapshots}.
 * {@code mvn -B verify -Dsnapshot.update=true} rewrites the files; review the diff before committing.
 */
class SnapshotTest {
    private static final Path DIR = Path.of(System.getProperty("snapshot.dir", "snapshots"));
    private static final boolean UPDATE = Boolean.getBoolean("snapshot.update");

    static Stream<String> stacks() {
        return Templates.examples().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void templateMatchesCommittedSnapshot(String stackName) throws IOException {
        String actual = Templates.toJson(Templates.examples().get(stackName));
        Path file = DIR.resolve(stackName + ".template.json");
        if (UPDATE) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file)
                .withFailMessage("no snapshot %s: run mvn -B verify -Dsnapshot.update=true and commit it", file)
                .exists();
        assertThat(actual)
                .as("template of %s differs from %s; if the change is intended, run "
                        + "mvn -B verify -Dsnapshot.update=true and commit the new snapshot", stackName, file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
