package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.Bucket;

/**
 * Job tags against Personalize's tag rules, for the job's own tags and those {@code Tags.of(..)} adds: checked
 * at synth, once every tag is applied, with one exact message per broken rule.
 */
class TagValidationTest {
    private static final String IMPORT = "DatasetImportJob 'Stack/Dataset/Import': ";
    private static final String EXPORT = "DatasetExportJob 'Stack/Dataset/Export': ";
    private static final String CHARS = "letters, digits, spaces and _ . : / = + - @, not starting with aws:";
    private static final String KEY_FORM = "expected 1-128 characters of " + CHARS;
    private static final String VALUE_FORM = "expected 0-256 characters of " + CHARS;

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTags")
    void badTagsFailAtSynthWithAnExactMessage(String description, Consumer<Stack> build, String message) {
        Stack stack = TestApps.stack();
        build.accept(stack);
        // checked once per stack for all its jobs: the message names the job
        assertThatThrownBy(() -> App.of(stack).synth()).hasMessageContaining(message);
    }

    static Stream<Arguments> badTags() {
        return Stream.of(
                bad("own key starting with aws:", s -> importJob(s, Map.of("aws:team", "search")),
                        IMPORT + "tag key \"aws:team\" starts with \"aws:\" (reserved for AWS); " + KEY_FORM),
                bad("own key starting with AWS: in upper case", s -> importJob(s, Map.of("AWS:team", "search")),
                        IMPORT + "tag key \"AWS:team\" starts with \"AWS:\" (reserved for AWS); " + KEY_FORM),
                bad("own value starting with aws:", s -> importJob(s, Map.of("team", "aws:search")),
                        IMPORT + "tag \"team\" has value \"aws:search\", which starts with \"aws:\" (reserved for "
                                + "AWS); " + VALUE_FORM),
                bad("key of 129 characters", s -> importJob(s, Map.of("k".repeat(129), "v")),
                        IMPORT + "tag key \"" + "k".repeat(129) + "\" has 129 characters; " + KEY_FORM),
                bad("empty key", s -> importJob(s, Map.of("", "v")),
                        IMPORT + "tag key \"\" has 0 characters; " + KEY_FORM),
                bad("value of 257 characters", s -> importJob(s, Map.of("team", "v".repeat(257))),
                        IMPORT + "tag \"team\" has value \"" + "v".repeat(257) + "\", which has 257 characters; "
                                + VALUE_FORM),
                bad("key with '#'", s -> importJob(s, Map.of("team#1", "search")),
                        IMPORT + "tag key \"team#1\" has invalid characters; " + KEY_FORM),
                bad("value with a comma", s -> importJob(s, Map.of("teams", "search,ads")),
                        IMPORT + "tag \"teams\" has value \"search,ads\", which has invalid characters; " + VALUE_FORM),
                bad("51 own tags", s -> importJob(s, numbered(51)),
                        IMPORT + "has 51 tags (its own and those of Tags.of(..)); allowed: at most 50 tags per "
                                + "resource"),
                bad("Tags.of(..) key starting with aws:", s -> {
                    importJob(s, null);
                    Tags.of(s).add("aws:owner", "data-team");
                }, IMPORT + "tag key \"aws:owner\" starts with \"aws:\" (reserved for AWS); " + KEY_FORM),
                bad("Tags.of(..) value with invalid characters", s -> {
                    importJob(s, null);
                    Tags.of(s).add("cost-center", "R&D");
                }, IMPORT + "tag \"cost-center\" has value \"R&D\", which has invalid characters; " + VALUE_FORM),
                bad("Tags.of(..) pushing a job over 50 tags", s -> {
                    importJob(s, numbered(45));
                    IntStream.range(0, 6).forEach(i -> Tags.of(s).add("app-" + i, "x"));
                }, IMPORT + "has 51 tags (its own and those of Tags.of(..)); allowed: at most 50 tags per resource"),
                bad("export job key of 129 characters from Tags.of(..)", s -> {
                    exportJob(s, null);
                    Tags.of(s).add("k".repeat(129), "v");
                }, EXPORT + "tag key \"" + "k".repeat(129) + "\" has 129 characters; " + KEY_FORM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullTags")
    void nullKeysAndValuesFailWithThePath(String description, Map<String, String> tags, String message) {
        assertThatThrownBy(() -> importJob(TestApps.stack(), tags))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> nullTags() {
        Map<String, String> nullKey = new LinkedHashMap<>();
        nullKey.put(null, "search");
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("team", null);
        return Stream.of(
                Arguments.of("null key", nullKey, IMPORT + "tags has a null key (value \"search\"); expected keys "
                        + "of 1-128 characters"),
                Arguments.of("null value", nullValue, IMPORT + "tag \"team\" has a null value; expected a value of "
                        + "0-256 characters (\"\" for none)"));
    }

    @Test
    void tagsAtTheLimitsPassAndReachTheTemplate() {
        Stack stack = TestApps.stack();
        Map<String, String> tags = numbered(48);
        tags.put("k".repeat(128), "v".repeat(256));
        tags.put("Équipe Données", "recherche/ventes:été=+-@_.");
        importJob(stack, tags);
        Template template = Template.fromStack(stack);
        template.hasResourceProperties(DatasetImportJob.RESOURCE_TYPE, Match.objectLike(Map.of("Tags",
                Match.arrayWith(List.of(Map.of("Key", "Équipe Données", "Value", "recherche/ventes:été=+-@_."))))));
        assertThat(tags).hasSize(50);
    }

    private static Map<String, String> numbered(int count) {
        Map<String, String> tags = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> tags.put("tag-" + i, "value-" + i));
        return tags;
    }

    private static Dataset dataset(Stack s) {
        DatasetGroup group = new DatasetGroup(s, "Group");
        Schema schema = Schema.Builder.create(s, "Schema").definition(TestApps.interactions()).build();
        return Dataset.Builder.create(s, "Dataset").datasetGroup(group).datasetType(DatasetType.INTERACTIONS)
                .schema(schema).build();
    }

    private static DatasetImportJob importJob(Stack s, Map<String, String> tags) {
        return dataset(s).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri("s3://shared-data/interactions.csv")).tags(tags).build());
    }

    private static DatasetExportJob exportJob(Stack s, Map<String, String> tags) {
        return dataset(s).addExportJob("Export", DatasetExportJobOptions.builder()
                .bucket(Bucket.fromBucketName(s, "Exports", "shared-exports")).prefix("exports/").tags(tags).build());
    }

    private static Arguments bad(String description, Consumer<Stack> build, String message) {
        return Arguments.of(description, build, message);
    }
}
