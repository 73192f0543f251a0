package io.github.personalizecdk.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The shaded handler jar in a JVM of its own, fed events the way Lambda would. */
final class HandlerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Writer stdin;
    private final BufferedReader stdout;
    private final List<String> logLines = new ArrayList<>();

    HandlerProcess(Path handlerJar, String handler, String javaToolOptions, URI endpoint) throws IOException {
        this(Path.of(System.getProperty("java.home")), handlerJar, handler, javaToolOptions, endpoint);
    }

    HandlerProcess(Path javaHome, Path handlerJar, String handler, String javaToolOptions, URI endpoint)
            throws IOException {
        String classpath = String.join(File.pathSeparator, handlerJar.toString(), location(LambdaRunner.class),
                location(ObjectMapper.class), location(com.fasterxml.jackson.core.JsonFactory.class),
                location(com.fasterxml.jackson.annotation.JsonProperty.class));
        ProcessBuilder builder = new ProcessBuilder(javaHome.resolve("bin").resolve("java").toString(),
                "-cp", classpath, LambdaRunner.class.getName(), handler);
        Map<String, String> env = builder.environment();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_ENDPOINT_URL_PERSONALIZE", endpoint.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        if (javaToolOptions != null) {
            env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        process = builder.start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the handler's answer: {@code result} or {@code errorMessage} */
    @SuppressWarnings("unchecked")
    Map<String, Object> invoke(Map<String, Object> event) throws IOException {
        stdin.write(JSON.writeValueAsString(event) + "\n");
        stdin.flush();
        String line;
        while ((line = stdout.readLine()) != null) {
            if (line.startsWith("@@")) {
                return JSON.readValue(line.substring(2), Map.class);
            }
            if (line.startsWith("{")) {
                logLines.add(line);
            }
        }
        throw new IOException("handler JVM ended, exit code " + waitFor());
    }

    /** @return the JSON log lines the handler printed */
    List<String> logLines() {
        return logLines;
    }

    private int waitFor() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        stdin.close();
        waitFor();
    }
}
