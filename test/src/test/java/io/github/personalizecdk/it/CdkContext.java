package io.github.personalizecdk.it;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;

/**
 * The "context" block of the project's {@code cdk.json} (the feature flags {@code cdk init} writes), read once,
 * so apps built by the tests synthesize as {@code cdk synth} does.
 */
final class CdkContext {
    private static Map<String, Object> context;

    private CdkContext() {
    }

    /** @return the "context" block of cdk.json, found in the working directory or one of its parents */
    static synchronized Map<String, Object> get() {
        if (context == null) {
            context = read(find());
        }
        return context;
    }

    /** @return a builder of an app holding cdk.json's context */
    static App.Builder app() {
        return App.Builder.create().context(get());
    }

    private static Path find() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("cdk.json");
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException("no cdk.json in " + Path.of("").toAbsolutePath() + " or its parents");
    }

    private static Map<String, Object> read(Path file) {
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile()).path("context");
            return Map.copyOf(new ObjectMapper().convertValue(node, new TypeReference<Map<String, Object>>() {
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
