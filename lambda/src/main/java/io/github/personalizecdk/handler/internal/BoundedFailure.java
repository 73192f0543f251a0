package io.github.personalizecdk.handler.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Makes every failure the handler throws fit CloudFormation's response, once, at the entry point.
 *
 * <p>The Provider framework (aws-cdk-lib {@code custom-resources/lib/provider-framework/runtime}) turns a thrown
 * error into CloudFormation's FAILED response: {@code framework.js invokeUserFunction} builds
 * {@code errorMessage + "\n\nLogs: /aws/lambda/<function>\n"}, and, since the Java runtime's error payload has no
 * {@code trace}, the Reason is Node's {@code Error.stack} of that message ({@code cfn-response.js}
 * {@code includeStackTraces = true}): {@code "Error: " + message} and the framework's own frames (about four:
 * {@code invokeUserFunction}, {@code processTicksAndRejections}, {@code isComplete}/{@code onEvent},
 * {@code Runtime.handler}). {@code submitResponse} then sends {@code JSON.stringify} of
 * {@code {Status, Reason, StackId, RequestId, PhysicalResourceId, LogicalResourceId, NoEcho, Data}} (NoEcho is
 * left out when undefined; Data is the onEvent result's Data). CloudFormation rejects a response body over 4,096
 * bytes, and the user then sees a timeout instead of the reason.
 *
 * <p>{@link #MAX_MESSAGE_BYTES} is what remains of the 4,096 bytes when the framework's part is at its largest:
 * the JSON keys (~105 bytes), a StackId with a 128-character stack name (~230), a RequestId (36), a
 * LogicalResourceId of 255 characters, a physical id of up to ~170 (a dataset ARN with a 63-character group name,
 * {@code #adopted}), Data of up to ~430 (dataset ARN, name, schema ARN), and the Reason's frame: {@code "Error: "},
 * the log hint with a 64-character function name and up to six stack frames of 100 bytes, with {@code \n}
 * escaped (~700). That is ~1,930 bytes, so the message gets 2,048 (JSON-escaped, UTF-8), and the framework's
 * response stays at most ~4,000 bytes.
 */
public final class BoundedFailure {
    /** The most bytes (as JSON-escaped UTF-8, as the framework sends it) of a message the handler throws. */
    public static final int MAX_MESSAGE_BYTES = 2_048;

    private BoundedFailure() {
    }

    /**
     * Logs the failure's full message as one JSON line, then returns what to throw: the error itself when its
     * message fits and no log hint is due, else an error of the same kind (IllegalArgumentException or
     * IllegalStateException, with the original as cause) whose message keeps the start of the original, verbatim,
     * says where it was cut and how long it was, and ends with {@code (handler logs: <group>)}.
     *
     * @param logGroup the handler's log group ({@code AWS_LAMBDA_LOG_GROUP_NAME}), or null; not named when it is
     *                 the framework's hint already ({@code /aws/lambda/<functionName>})
     * @param functionName the handler's function name ({@code AWS_LAMBDA_FUNCTION_NAME}), or null
     */
    public static RuntimeException bound(RuntimeException error, String logGroup, String functionName,
            Consumer<String> log) {
        String full = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
        boolean hintNeeded = logGroup != null && !logGroup.isEmpty()
                && !logGroup.equals("/aws/lambda/" + functionName);
        String hint = hintNeeded ? " (handler logs: " + logGroup + ")" : "";
        String message = bounded(full, hint);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("errorType", error.getClass().getName());
        fields.put("messageBytes", Integer.toString(jsonBytes(full)));
        fields.put("cut", Boolean.toString(!message.startsWith(full)));
        fields.put("message", full);
        log.accept(ResourceLifecycle.jsonLine("requestFailed", fields));
        if (message.equals(full)) {
            return error;
        }
        return error instanceof IllegalArgumentException ? new IllegalArgumentException(message, error)
                : new IllegalStateException(message, error);
    }

    /** @return the message with the hint, cut (keeping its start) so that both fit {@link #MAX_MESSAGE_BYTES} */
    static String bounded(String message, String hint) {
        int messageBytes = jsonBytes(message);
        if (messageBytes + jsonBytes(hint) <= MAX_MESSAGE_BYTES) {
            return message + hint;
        }
        String marker = " [... cut here: the full message has " + message.length() + " characters ("
                + messageBytes + " bytes) and is in the handler's log]";
        int room = MAX_MESSAGE_BYTES - jsonBytes(marker) - jsonBytes(hint);
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < message.length(); ) {
            int cp = message.codePointAt(i);
            int bytes = jsonBytes(cp);
            if (used + bytes > room) {
                break;
            }
            kept.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        return kept + marker + hint;
    }

    /** @return the bytes of the text inside a JSON string as {@code JSON.stringify} writes it, in UTF-8 */
    public static int jsonBytes(String s) {
        int total = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            total += jsonBytes(cp);
            i += Character.charCount(cp);
        }
        return total;
    }

    private static int jsonBytes(int cp) {
        return switch (cp) {
            case '"', '\\', '\b', '\f', '\n', '\r', '\t' -> 2;
            default -> cp < 0x20 || cp <= 0xFFFF && Character.isSurrogate((char) cp) ? 6
                    : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
        };
    }
}
