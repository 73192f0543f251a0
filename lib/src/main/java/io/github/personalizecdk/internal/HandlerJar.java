package io.github.personalizecdk.internal;

import io.github.personalizecdk.contract.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The shaded job handler, shipped inside this library's jar. Its content hash is the Lambda asset hash,
 * so templates change only when the handler's bytes change.
 */
public final class HandlerJar {
    public static final String FILE_NAME = "personalize-cdk-handler.jar";
    public static final String HANDLER = "io.github.personalizecdk.handler.CustomResourceHandler::handleRequest";

    private static Path path;
    private static String sha256;

    private HandlerJar() {
    }

    /** @return a file holding the handler jar (extracted to the temp directory when the library is a jar) */
    public static synchronized Path path() {
        if (path == null) {
            load();
        }
        return path;
    }

    /** @return the SHA-256 of the handler jar, hex */
    public static synchronized String sha256() {
        if (sha256 == null) {
            load();
        }
        return sha256;
    }

    private static void load() {
        URL url = HandlerJar.class.getResource(FILE_NAME);
        if (url == null) {
            throw new IllegalStateException(FILE_NAME + " is missing from the personalize-cdk jar; rebuild it with "
                    + "'mvn package' so the handler is embedded");
        }
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readAllBytes();
            sha256 = Hashes.sha256Hex(bytes);
            if ("file".equals(url.getProtocol())) {
                path = Path.of(url.toURI());
                return;
            }
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "personalize-cdk-handler-" + sha256.substring(0, 16));
            Path target = dir.resolve(FILE_NAME);
            if (!Files.exists(target)) {
                Files.createDirectories(dir);
                Path partial = Files.createTempFile(dir, "handler", ".part");
                Files.write(partial, bytes);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            path = target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE_NAME, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
