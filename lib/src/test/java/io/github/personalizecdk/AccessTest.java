package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.contract.JobNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.s3.Bucket;

/** What the handler, the job roles, the buckets and the keys are allowed, asserted on the synthesized templates. */
class AccessTest {
    private static Dataset interactions(Stack stack) {
        Schema schema = Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build();
        return new DatasetGroup(stack, "Group").addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());
    }

    /** @return the job-name patterns the handler of the stack may create jobs under, as regular expressions */
    @SuppressWarnings("unchecked")
    private static List<Pattern> handlerJobPatterns(Stack stack, String action) {
        Template template = Template.fromStack(stack);
        List<Pattern> patterns = new ArrayList<>();
        for (Map<String, Object> policy : template.findResources("AWS::IAM::Policy").values()) {
            Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) policy.get("Properties"))
                    .get("PolicyDocument");
            for (Map<String, Object> statement : (List<Map<String, Object>>) document.get("Statement")) {
                if (!action.equals(statement.get("Action"))) {
                    continue;
                }
                for (Object resource : (List<Object>) statement.get("Resource")) {
                    String arn = String.valueOf(((List<Object>) ((List<Object>) ((Map<String, Object>) resource)
                            .get("Fn::Join")).get(1)).get(6));
                    if (!arn.contains("-job/")) {
                        continue; // the dataset
                    }
                    String name = arn.substring(arn.indexOf('/') + 1);
                    patterns.add(Pattern.compile(Pattern.quote(name).replace("*", "\\E.*\\Q")));
                }
            }
        }
        return patterns;
    }

    private static String defaultJobName(Stack stack, String requestId) {
        Map<String, Map<String, Object>> jobs = Template.fromStack(stack).findResources(DatasetImportJob.RESOURCE_TYPE);
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) jobs.values().iterator().next().get("Properties");
        return JobNames.name(String.valueOf(properties.get("JobNamePrefix")), requestId);
    }

    @Test
    void stacksWhoseNamesShareTheirStartNeverMayStartEachOthersJobs() {
        App app = new App();
        List<Stack> stacks = List.of(new Stack(app, "RecommendationsPipeline-Prod"),
                new Stack(app, "RecommendationsPipeline-Dev"));
        for (Stack stack : stacks) {
            interactions(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                    .dataSource(DataSource.fromBucket(new Bucket(stack, "Data"), "imports/")).build());
        }
        String prodJob = defaultJobName(stacks.get(0), "request-1");
        String devJob = defaultJobName(stacks.get(1), "request-1");
        List<Pattern> prod = handlerJobPatterns(stacks.get(0), "personalize:CreateDatasetImportJob");
        List<Pattern> dev = handlerJobPatterns(stacks.get(1), "personalize:CreateDatasetImportJob");

        assertThat(prod).hasSize(1).allMatch(p -> p.matcher(prodJob).matches() && !p.matcher(devJob).matches());
        assertThat(dev).hasSize(1).allMatch(p -> p.matcher(devJob).matches() && !p.matcher(prodJob).matches());
        assertThat(prodJob).matches("^Recommendati[0-9A-F]{8}-Import[0-9A-F]{8}-[0-9a-f]{16}$");
    }

    @Test
    void tagResourceIsAllowedOnJobsOnly() {
        Stack stack = TestApps.stack();
        Dataset dataset = interactions(stack);
        Bucket bucket = new Bucket(stack, "Data");
        dataset.addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromBucket(bucket, "imports/")).build());
        dataset.addExportJob("Export", DatasetExportJobOptions.builder().bucket(bucket).prefix("exports/").build());

        Template template = Template.fromStack(stack);
        String stackPart = DatasetJobProvider.of(stack).getJobNamePrefix();
        for (String type : List.of("import", "export")) {
            template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement",
                    Match.arrayWith(List.of(Map.of("Action", "personalize:TagResource", "Effect", "Allow",
                            "Resource", List.of(TestApps.personalizeArn("dataset-" + type + "-job/" + stackPart
                                    + "-*"))))))));
        }
        assertThat(String.valueOf(template.findResources("AWS::IAM::Policy"))).doesNotContain(
                "personalize:CreateDatasetImportJob, personalize:TagResource",
                "personalize:CreateDatasetExportJob, personalize:TagResource");
    }
}
