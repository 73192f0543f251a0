package io.github.personalizecdk.handler.emulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request the emulator received.
 *
 * @param operation      the operation from {@code X-Amz-Target} without the {@code AmazonPersonalize.} prefix
 *                       (the raw header value if it lacks the prefix, empty if absent)
 * @param body           the parsed JSON body; a text node with the raw body if it was not valid JSON
 * @param responseStatus the HTTP status the emulator answered with
 */
public record RecordedRequest(String operation, JsonNode body, int responseStatus) {
}
