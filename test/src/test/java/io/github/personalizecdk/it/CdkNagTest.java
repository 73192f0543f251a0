package io.github.personalizecdk.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.HIPAASecurityChecks;
import io.github.cdklabs.cdknag.NIST80053R5Checks;
import io.github.cdklabs.cdknag.NagPack;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagReportFormat;
import io.github.cdklabs.cdknag.PCIDSS321Checks;
import io.github.cdklabs.cdknag.ServerlessChecks;
import io.github.personalizecdk.examples.ExamplesApp;
import io.github.personalizecdk.examples.ProductionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag over every example stack: the AwsSolutions pack with default settings, and the AwsSolutions,
 * Serverless, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs with the production settings on. No finding
 * may stay unsuppressed, and every suppression has a reason.
 */
class CdkNagTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Function<NagPackProps, NagPack>> ALL_PACKS = List.of(
            AwsSolutionsChecks::new, ServerlessChecks::new, NIST80053R5Checks::new, HIPAASecurityChecks::new,
            PCIDSS321Checks::new);
    private static final Map<Boolean, List<Stack>> STACKS = new HashMap<>();
    private static final Map<Boolean, List<String>> SYNTH_ERRORS = new HashMap<>();
    @TempDir
    static Path defaultOut;
    @TempDir
    static Path productionOut;

    @BeforeAll
    static void synthWithNag() {
        STACKS.put(false, synth(defaultOut, false, List.of(AwsSolutionsChecks::new)));
        STACKS.put(true, synth(productionOut, true, ALL_PACKS));
    }

    private static List<Stack> synth(Path outdir, boolean production, List<Function<NagPackProps, NagPack>> packs) {
        Map<String, Object> context = new HashMap<>(CdkContext.get());
        context.put(ProductionSettings.CONTEXT_KEY, Boolean.toString(production));
        App app = App.Builder.create().context(context).outdir(outdir.toString()).build();
        List<Stack> stacks = ExamplesApp.build(app);
        for (Function<NagPackProps, NagPack> pack : packs) {
            Aspects.of(app).add(pack.apply(NagPackProps.builder()
                    .verbose(true)
                    .reports(true)
                    .reportFormats(List.of(NagReportFormat.JSON))
                    .build()));
        }
        try {
            assertThat(app.synth().getStacks()).hasSize(stacks.size());
        } catch (RuntimeException e) {
            // aws-cdk-lib refuses to synthesize with error annotations, and lists them in its validation report
            SYNTH_ERRORS.put(production, errorsFromValidationReport(outdir.resolve("validation-report.json"), e));
        }
        return stacks;
    }

    private static List<String> errorsFromValidationReport(Path report, RuntimeException failure) {
        if (!Files.exists(report)) {
            throw failure;
        }
        List<String> errors = new ArrayList<>();
        try {
            for (JsonNode plugin : JSON.readTree(report.toFile()).path("pluginReports")) {
                for (JsonNode violation : plugin.path("violations")) {
                    String rule = violation.path("description").asText().split("[:\\[]")[0];
                    for (JsonNode construct : violation.path("violatingConstructs")) {
                        errors.add(rule + " " + construct.path("constructPath").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return errors;
    }

    @Test
    void noUnsuppressedFindingsWithDefaultSettings() {
        assertNoFindings(false);
    }

    @Test
    void noUnsuppressedFindingsWithProductionSettings() {
        assertNoFindings(true);
    }

    private static void assertNoFindings(boolean production) {
        Map<String, Integer> countByRule = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        if (SYNTH_ERRORS.containsKey(production)) {
            for (String error : SYNTH_ERRORS.get(production)) {
                countByRule.merge(error.substring(0, error.indexOf(' ')), 1, Integer::sum);
                findings.add(error);
            }
            System.out.println("cdk-nag " + (production ? "production" : "default") + " errors: " + findings.size()
                    + " " + countByRule);
            findings.forEach(f -> System.out.println("  " + f));
            assertThat(findings).as("cdk-nag errors, %s settings", production ? "production" : "default").isEmpty();
        }
        for (Stack stack : STACKS.get(production)) {
            Annotations annotations = Annotations.fromStack(stack);
            List<SynthesisMessage> messages = new ArrayList<>(annotations.findError("*", Match.anyValue()));
            messages.addAll(annotations.findWarning("*", Match.anyValue()));
            for (SynthesisMessage m : messages) {
                String text = String.valueOf(m.getEntry().getData());
                if (text.matches("(?s)^[A-Za-z0-9.]+-[A-Za-z0-9]+: .*")) {
                    countByRule.merge(text.substring(0, text.indexOf(':')), 1, Integer::sum);
                    findings.add(stack.getStackName() + " " + m.getId() + " " + text.lines().findFirst().orElse(""));
                }
            }
        }
        System.out.println("cdk-nag " + (production ? "production" : "default") + " unsuppressed: "
                + findings.size() + " " + countByRule);
        assertThat(findings).as("cdk-nag findings, %s settings", production ? "production" : "default").isEmpty();
    }

    @Test
    void reportsShowEveryPackAppliedAndEverySuppressionHasAReason() throws IOException {
        for (boolean production : List.of(false, true)) {
            Path outdir = production ? productionOut : defaultOut;
            Map<String, Set<String>> rulesByPack = new TreeMap<>();
            Set<String> suppressed = new TreeSet<>();
            List<Path> reports;
            try (Stream<Path> files = Files.list(outdir)) {
                reports = files.filter(f -> f.getFileName().toString().endsWith("-NagReport.json")).sorted().toList();
            }
            for (Path report : reports) {
                for (JsonNode line : JSON.readTree(report.toFile()).path("lines")) {
                    String rule = line.path("ruleId").asText();
                    rulesByPack.computeIfAbsent(rule.substring(0, rule.indexOf('-')), p -> new TreeSet<>()).add(rule);
                    String level = line.path("compliance").asText();
                    assertThat(level).as("%s on %s", rule, line.path("resourceId").asText())
                            .isIn("Compliant", "Not Applicable", "Suppressed");
                    if (level.equals("Suppressed")) {
                        assertThat(line.path("exceptionReason").asText()).as("reason of %s", rule).isNotBlank();
                        suppressed.add(line.path("resourceId").asText() + " " + rule + ": "
                                + line.path("exceptionReason").asText());
                    }
                }
            }
            System.out.println("cdk-nag " + (production ? "production" : "default") + ": rules per pack "
                    + rulesByPack.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).toList()
                    + "; " + suppressed.size() + " suppressions");
            suppressed.forEach(s -> System.out.println("  " + s));
            assertThat(rulesByPack).containsOnlyKeys(production
                    ? List.of("AwsSolutions", "Serverless", "NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")
                    : List.of("AwsSolutions"));
            assertThat(rulesByPack.get("AwsSolutions")).contains("AwsSolutions-IAM4", "AwsSolutions-IAM5",
                    "AwsSolutions-S1", "AwsSolutions-S10", "AwsSolutions-KMS5");
        }
    }
}
