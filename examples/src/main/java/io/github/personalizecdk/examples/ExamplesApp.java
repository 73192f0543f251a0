package io.github.personalizecdk.examples;

import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;

/** Synthesizes every example stack; run by {@code cdk synth} through cdk.json. */
public final class ExamplesApp {
    private ExamplesApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /** Adds the example stacks to an app. */
    public static List<Stack> build(App app) {
        return List.of(
                new EcommerceStack(app, "PersonalizeEcommerceExample"),
                new EncryptedCustomStack(app, "PersonalizeEncryptedCustomExample"));
    }
}
