package io.github.personalizecdk.handler.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;
import software.amazon.awssdk.services.personalize.model.InvalidInputException;
import software.amazon.awssdk.services.personalize.model.Tag;
import software.amazon.awssdk.services.personalize.model.TooManyTagsException;

/**
 * What the guide says Personalize refuses, over real HTTP with the real SDK client: tags outside the tag rules and
 * schemas whose fields are complex types or whose names are not unique once compared alphanumerically.
 */
class EmulatorRulesTest {
    private static final String DATASET = "arn:aws:personalize:us-east-1:123456789012:dataset/shop/INTERACTIONS";
    private static final String DATA = "s3://bucket/interactions.csv";

    private PersonalizeEmulator emulator;
    private PersonalizeClient client;

    @BeforeEach
    void start() {
        emulator = PersonalizeEmulator.start();
        client = PersonalizeClient.builder()
                .endpointOverride(emulator.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private String importWith(String name, List<Tag> tags) {
        return client.createDatasetImportJob(b -> b.jobName(name).datasetArn(DATASET)
                .dataSource(d -> d.dataLocation(DATA)).tags(tags)).datasetImportJobArn();
    }

    private static List<Tag> tags(int count) {
        return IntStream.range(0, count).mapToObj(i -> Tag.builder().tagKey("k" + i).tagValue("v").build()).toList();
    }

    @Test
    void fiftyTagsPassAndFiftyOneAreTooMany() {
        assertThat(importWith("fifty", tags(50))).endsWith("/fifty");
        assertThatThrownBy(() -> importWith("fifty-one", tags(51)))
                .isInstanceOf(TooManyTagsException.class)
                .hasMessageContaining("You have exceeded the maximum number of tags (50) you can apply to this "
                        + "resource: 51 tags");
        assertThatThrownBy(() -> client.createDatasetGroup(b -> b.name("group").tags(tags(51))))
                .isInstanceOf(TooManyTagsException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTags")
    void tagOutsideTheRulesIsRefused(String key, String value, String message) {
        assertThatThrownBy(() -> importWith("tagged", List.of(Tag.builder().tagKey(key).tagValue(value).build())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message);
        assertThat(emulator.importJobs()).isEmpty();
    }

    static Stream<Arguments> badTags() {
        return Stream.of(
                Arguments.of("aws:team", "recs", "Value 'aws:team' at 'tags.1.member.tagKey' failed to satisfy "
                        + "constraint: Tag keys can't start with aws:"),
                Arguments.of("team", "AWS:recs", "Value 'AWS:recs' at 'tags.1.member.tagValue' failed to satisfy "
                        + "constraint: Tag values can't start with aws:"),
                Arguments.of("team#1", "recs", "Value 'team#1' at 'tags.1.member.tagKey' failed to satisfy "
                        + "constraint: Member must satisfy regular expression pattern: "
                        + "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$"),
                Arguments.of("team", "R&D", "Value 'R&D' at 'tags.1.member.tagValue' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern"));
    }

    @Test
    void unicodeLettersAndTheAllowedSymbolsPass() {
        assertThat(importWith("unicode", List.of(Tag.builder().tagKey("Équipe Données")
                .tagValue("recherche/ventes:été=+-@_.").build()))).endsWith("/unicode");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSchemas")
    void schemaOutsideTheFormattingRequirementsIsRefused(String description, String fields, String message) {
        String schema = "{\"type\":\"record\",\"name\":\"Items\",\"fields\":[{\"name\":\"ITEM_ID\",\"type\":\"string\"},"
                + fields + "]}";
        assertThatThrownBy(() -> client.createSchema(b -> b.name("items").schema(schema)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Invalid schema: " + message);
        assertThat(emulator.schemas()).isEmpty();
    }

    static Stream<Arguments> badSchemas() {
        return Stream.of(
                Arguments.of("array field", "{\"name\":\"TAGS\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}",
                        "field TAGS has type {\"type\":\"array\",\"items\":\"string\"}; supported: string, int, long, "
                                + "float, double, boolean, or a union of null and one of them"),
                Arguments.of("union of two types", "{\"name\":\"SIZE\",\"type\":[\"int\",\"string\"]}",
                        "field SIZE has type [\"int\",\"string\"]; supported"),
                Arguments.of("names equal once '_' is removed",
                        "{\"name\":\"GENRES_FIELD_1\",\"type\":\"string\"},{\"name\":\"GENRESFIELD1\",\"type\":\"string\"}",
                        "fields GENRES_FIELD_1 and GENRESFIELD1 do not have unique alphanumeric names"));
    }

    @Test
    void typesInObjectFormAndNullableUnionsPass() {
        String schema = "{\"type\":\"record\",\"name\":\"Items\",\"fields\":[{\"name\":\"ITEM_ID\",\"type\":"
                + "{\"type\":\"string\"}},{\"name\":\"PRICE\",\"type\":[\"null\",\"float\"]}]}";
        assertThat(client.createSchema(b -> b.name("items").schema(schema)).schemaArn()).endsWith(":schema/items");
    }
}
