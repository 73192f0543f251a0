package io.github.personalizecdk.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one hash behind generated names, job names, wait-condition handles and the handler jar's asset hash. */
public final class Hashes {
    private Hashes() {
    }

    /** @return the lower-case hex SHA-256 of the text's UTF-8 bytes */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the lower-case hex SHA-256 of the bytes */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
