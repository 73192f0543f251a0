package io.github.personalizecdk.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cap on thrown messages, counted as the Provider framework sends them: JSON-escaped UTF-8. */
class BoundedFailureTest {
    private final List<String> logs = new ArrayList<>();

    @ParameterizedTest(name = "character #{index}")
    @ValueSource(strings = {"a", "\"", "\n", "\u0001", "ü", "€", "\uD83D\uDE00"})
    void everyKindOfCharacterIsCountedAsJsonSendsIt(String unit) {
        String message = "failed: " + unit.repeat(3_000);
        RuntimeException bounded = BoundedFailure.bound(new IllegalStateException(message), null, null, logs::add);

        assertThat(BoundedFailure.jsonBytes(bounded.getMessage())).isLessThanOrEqualTo(BoundedFailure.MAX_MESSAGE_BYTES)
                .isGreaterThan(BoundedFailure.MAX_MESSAGE_BYTES - 8);
        String kept = bounded.getMessage().substring(0, bounded.getMessage().indexOf(" [... cut here: "));
        assertThat(message).startsWith(kept);
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
        assertThat(bounded).isInstanceOf(IllegalStateException.class).hasCause(new IllegalStateException(message));
        assertThat(logs).singleElement().asString().contains("\"cut\":\"true\"");
    }

    @Test
    void theLogGroupIsNamedUnlessTheFrameworksHintIsAlreadyTrue() {
        IllegalArgumentException error = new IllegalArgumentException("bad property");
        assertThat(BoundedFailure.bound(error, "/aws/vendedlogs/shop/handler", "Shop-Handler", logs::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad property (handler logs: /aws/vendedlogs/shop/handler)");
        assertThat(BoundedFailure.bound(error, "/aws/lambda/Shop-Handler", "Shop-Handler", logs::add)).isSameAs(error);
        assertThat(BoundedFailure.bound(error, null, "Shop-Handler", logs::add)).isSameAs(error);
    }
}
