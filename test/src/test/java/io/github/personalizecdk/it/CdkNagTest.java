package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagReportFormat;
import io.github.personalizecdk.examples.ExamplesApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** The AwsSolutions pack over every example stack: no finding may stay unsuppressed. */
class CdkNagTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Stack> STACKS = new ArrayList<>();
    @TempDir
    static Path outdir;

    @BeforeAll
    static void synthWithNag() {
        App app = CdkContext.app().outdir(outdir.toString()).build();
        STACKS.addAll(ExamplesApp.build(app));
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder()
                .verbose(true)
                .reports(true)
                .reportFormats(List.of(NagReportFormat.JSON))
                .build()));
        CloudAssembly assembly = app.synth();
        assertThat(assembly.getStacks()).hasSize(STACKS.size());
    }

    @Test
    void noUnsuppressedFindings() {
        for (Stack stack : STACKS) {
            Annotations annotations = Annotations.fromStack(stack);
            List<String> findings = new ArrayList<>();
            for (SynthesisMessage m : annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
                findings.add("error " + m.getId() + " " + m.getEntry().getData());
            }
            for (SynthesisMessage m : annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
                findings.add("warning " + m.getId() + " " + m.getEntry().getData());
            }
            assertThat(findings).as("cdk-nag findings in %s", stack.getStackName()).isEmpty();
        }
    }

    @Test
    void reportShowsRulesEvaluatedAndEverySuppressionHasAReason() throws IOException {
        Set<String> rules = new TreeSet<>();
        Set<String> suppressed = new TreeSet<>();
        for (Stack stack : STACKS) {
            Path report = outdir.resolve("AwsSolutions-" + stack.getArtifactId() + "-NagReport.json");
            assertThat(report).exists();
            for (JsonNode line : JSON.readTree(report.toFile()).path("lines")) {
                rules.add(line.path("ruleId").asText());
                String level = line.path("compliance").asText();
                assertThat(level).as("%s on %s", line.path("ruleId").asText(), line.path("resourceId").asText())
                        .isIn("Compliant", "Not Applicable", "Suppressed");
                if (level.equals("Suppressed")) {
                    assertThat(line.path("exceptionReason").asText()).isNotBlank();
                    suppressed.add(line.path("resourceId").asText() + " " + line.path("ruleId").asText() + ": "
                            + line.path("exceptionReason").asText());
                }
            }
        }
        System.out.println("cdk-nag AwsSolutions: " + rules.size() + " rules applied " + rules + "; "
                + suppressed.size() + " suppressed " + suppressed);
        assertThat(rules).contains("AwsSolutions-IAM4", "AwsSolutions-IAM5", "AwsSolutions-S1", "AwsSolutions-S10",
                "AwsSolutions-KMS5");
    }
}
