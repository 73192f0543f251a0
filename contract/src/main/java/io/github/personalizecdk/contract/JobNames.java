package io.github.personalizecdk.contract;

/**
 * How job names are formed: {@code <prefix>-<16 hex of the request's hash>}. The constructs choose the prefix and
 * grant the handler {@link #pattern(String)}; the handler appends the hash with {@link #name(String, String)}.
 */
public final class JobNames {
    /** Hex characters of the request hash after the prefix. */
    public static final int HASH_LENGTH = 16;
    /** Between prefix and hash. */
    public static final String SEPARATOR = "-";
    /** Longest prefix, so that the name fits {@link NameRules#MAX_LENGTH}. */
    public static final int MAX_PREFIX_LENGTH = NameRules.MAX_LENGTH - SEPARATOR.length() - HASH_LENGTH;
    /** Letters and digits of the stack's id kept in {@link #stackPrefix(String, String)}. */
    public static final int STACK_READABLE_LENGTH = 12;
    /** Hex characters of the stack's hash in {@link #stackPrefix(String, String)}. */
    public static final int STACK_HASH_LENGTH = 8;

    private JobNames() {
    }

    /** @return the job name for a prefix and a request, cut to {@link NameRules#MAX_LENGTH} */
    public static String name(String prefix, String requestId) {
        String cut = prefix.length() > MAX_PREFIX_LENGTH ? prefix.substring(0, MAX_PREFIX_LENGTH) : prefix;
        return cut + SEPARATOR + Hashes.sha256Hex(requestId).substring(0, HASH_LENGTH);
    }

    /** @return the IAM resource-name pattern of every job name with this prefix */
    public static String pattern(String prefix) {
        return prefix + SEPARATOR + "*";
    }

    /**
     * The start of a stack's default job prefixes: up to {@value #STACK_READABLE_LENGTH} letters and digits of the
     * stack's unique id, then {@value #STACK_HASH_LENGTH} hex of its unique id and name. Letters and digits only:
     * a pattern {@code <a>-*} then matches a name {@code <b>-...} only when a equals b, so stacks whose names
     * share a beginning ({@code Pipeline-Prod}, {@code Pipeline-Dev}) never match each other's jobs.
     *
     * @param stackUniqueId the stack's unique id in the app
     * @param stackName the stack's name, unique per account and region (or {@code null} when not known at synth)
     */
    public static String stackPrefix(String stackUniqueId, String stackName) {
        String readable = stackUniqueId.replaceAll("[^a-zA-Z0-9]", "");
        if (readable.length() > STACK_READABLE_LENGTH) {
            readable = readable.substring(0, STACK_READABLE_LENGTH);
        }
        String hash = Hashes.sha256Hex(stackUniqueId + "/" + (stackName == null ? "" : stackName));
        return readable + hash.substring(0, STACK_HASH_LENGTH).toUpperCase();
    }

}
