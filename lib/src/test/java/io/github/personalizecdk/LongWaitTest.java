package io.github.personalizecdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.personalizecdk.contract.JobNames;
import io.github.personalizecdk.contract.JobResource;
import io.github.personalizecdk.contract.JobWaiter;
import io.github.personalizecdk.internal.WaiterDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.s3.Bucket;

/** Jobs whose timeout passes CloudFormation's hour for a custom resource: a wait condition and the stack's poller. */
class LongWaitTest {
    private static final String WAIT_CONDITION = "AWS::CloudFormation::WaitCondition";
    private static final String HANDLE = "AWS::CloudFormation::WaitConditionHandle";

    private static Dataset dataset(Stack stack) {
        Schema schema = Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build();
        return new DatasetGroup(stack, "Group").addDataset("Interactions", DatasetOptions.builder()
                .datasetType(DatasetType.INTERACTIONS).schema(schema).build());
    }

    private static DatasetImportJob job(Stack stack, String location, Duration timeout) {
        return dataset(stack).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri(location)).timeout(timeout).build());
    }

    private static String only(Template template, String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertThat(found).hasSize(1);
        return found.keySet().iterator().next();
    }

    @Test
    void aThreeHourTimeoutAddsAHandleAWaitConditionAndTheStacksPoller() {
        Stack stack = TestApps.stack();
        DatasetImportJob job = job(stack, "s3://shared-data/bulk/", Duration.hours(3));
        Template template = Template.fromStack(stack);

        String handle = only(template, HANDLE);
        String wait = only(template, WAIT_CONDITION);
        String jobId = only(template, JobResource.IMPORT_TYPE);
        assertThat(handle).startsWith("GroupInteractionsImportWaitHandle");
        assertThat(wait).startsWith("GroupInteractionsImportWait").doesNotContain("Handle");
        template.hasResource(WAIT_CONDITION, Map.of(
                "Properties", Map.of("Handle", Map.of("Ref", handle), "Timeout", "10800", "Count", 1),
                "DependsOn", List.of(jobId)));
        template.hasResourceProperties(JobResource.IMPORT_TYPE, Match.objectLike(Map.of(
                JobResource.WAIT_HANDLE, Map.of("Ref", handle),
                JobResource.WAITER_ARN, Match.objectLike(Map.of("Fn::GetAtt", Match.anyValue())),
                JobResource.TIMEOUT_SECONDS, "10800", JobResource.WAIT, "true",
                "ServiceTimeout", "3420")));
        // the Provider's waiter and the poller
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 2);
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Map.of(
                "DefinitionString", WaiterDefinition.definition(),
                "StateMachineType", "STANDARD",
                "StateMachineName", Match.stringLikeRegexp("^Stack-PersonalizeCdkJobProvider-JobWaiter-[0-9A-F]{8}$"),
                "DefinitionSubstitutions", Map.of("HandlerArn", Match.objectLike(Map.of("Fn::GetAtt",
                        Match.anyValue())), "Partition", Map.of("Ref", "AWS::Partition"))));
        // downstream users of the ARN and status wait for the wait condition
        Map<String, Object> arn = resolved(stack, job.getJobArn());
        assertThat(arn).isEqualTo(Map.of("Fn::Select", List.of(0, List.of(
                Map.of("Fn::GetAtt", List.of(jobId, JobResource.ATT_JOB_ARN)),
                Map.of("Fn::GetAtt", List.of(wait, "Data"))))));
        assertThat(resolved(stack, job.getJobStatus())).isEqualTo(Map.of("Fn::Select", List.of(0, List.of("ACTIVE",
                Map.of("Fn::GetAtt", List.of(wait, "Data"))))));
        assertThat(job.getWaitCondition()).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolved(Stack stack, String token) {
        return (Map<String, Object>) stack.resolve(token);
    }

    @Test
    void thePollerAndTheHandlerMayDoExactlyTheirPartOnTheStacksNames() {
        Stack stack = TestApps.stack();
        job(stack, "s3://shared-data/bulk/", Duration.hours(3));
        Template template = Template.fromStack(stack);
        String policies = template.findResources("AWS::IAM::Policy").toString();

        assertThat(policies).contains("states:StartExecution")
                .contains(":stateMachine:Stack-PersonalizeCdkJobProvider-JobWaiter-")
                .contains("states:StopExecution").contains(":execution:Stack-PersonalizeCdkJobProvider-JobWaiter-")
                .contains("personalize:DescribeDatasetImportJob").contains("lambda:InvokeFunction");
        assertThat(policies).doesNotContain("states:*");
        Map<String, Map<String, Object>> poller = template.findResources("AWS::IAM::Policy", Map.of("Properties",
                Map.of("PolicyName", Match.stringLikeRegexp("JobWaiterRole"))));
        assertThat(poller).hasSize(1);
        assertThat(poller.toString()).contains("dataset-import-job/"
                + JobNames.pattern(DatasetJobProvider.of(stack).getJobNamePrefix()));
        // "*" only for log delivery, which has no resource-level permissions
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                poller.values().iterator().next().get("Properties")).get("PolicyDocument")).get("Statement");
        assertThat(statements).filteredOn(st -> "*".equals(st.get("Resource"))).singleElement()
                .satisfies(st -> assertThat((List<?>) st.get("Action")).allMatch(a -> a.toString().startsWith("logs:")));
        template.hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of("AssumeRolePolicyDocument",
                Match.objectLike(Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Principal", Map.of("Service", "states.amazonaws.com"),
                        "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount",
                                Map.of("Ref", "AWS::AccountId")))))))))));
    }

    @Test
    void aTimeoutUpTo54MinutesKeepsTheCustomResourcesOwnWait() {
        Stack stack = TestApps.stack();
        DatasetImportJob job = job(stack, "s3://shared-data/bulk/", Duration.minutes(54));
        dataset(TestApps.stack()); // another stack: no effect here
        Template template = Template.fromStack(stack);

        template.resourceCountIs(WAIT_CONDITION, 0);
        template.resourceCountIs(HANDLE, 0);
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
        template.hasResourceProperties(JobResource.IMPORT_TYPE, Match.objectLike(Map.of(
                JobResource.WAIT_HANDLE, Match.absent(), JobResource.TIMEOUT_SECONDS, "3240")));
        assertThat(job.getWaitCondition()).isNull();
    }

    @Test
    void theHandleChangesWithTheJobAndNotWithItsTimeout() {
        String threeHours = handleId("s3://shared-data/bulk/", Duration.hours(3));

        assertThat(handleId("s3://shared-data/bulk/", Duration.hours(12))).isEqualTo(threeHours);
        assertThat(handleId("s3://shared-data/bulk-v2/", Duration.hours(3))).isNotEqualTo(threeHours);
    }

    @Test
    void theHandleChangesWhenANewKeyReplacesTheDatasetGroup() {
        assertThat(encryptedHandleId("Key")).isEqualTo(encryptedHandleId("Key"))
                .isNotEqualTo(encryptedHandleId("NewKey"));
    }

    private static String encryptedHandleId(String keyId) {
        Stack stack = TestApps.stack();
        Schema schema = Schema.Builder.create(stack, "Schema").definition(TestApps.interactions()).build();
        DatasetGroup group = new DatasetGroup(stack, "Group", DatasetGroupProps.builder()
                .encryptionKey(new software.amazon.awscdk.services.kms.Key(stack, keyId)).build());
        group.addDataset("Interactions", DatasetOptions.builder().datasetType(DatasetType.INTERACTIONS)
                .schema(schema).build()).addImportJob("Import", DatasetImportJobOptions.builder()
                .dataSource(DataSource.fromUri("s3://shared-data/bulk/")).timeout(Duration.hours(3)).build());
        return only(Template.fromStack(stack), HANDLE);
    }

    private static String handleId(String location, Duration timeout) {
        Stack stack = TestApps.stack();
        job(stack, location, timeout);
        return only(Template.fromStack(stack), HANDLE);
    }

    @Test
    void manyLongJobsShareOnePollerAndExportsWaitToo() {
        Stack stack = TestApps.stack();
        Dataset dataset = dataset(stack);
        Bucket bucket = new Bucket(stack, "Out");
        for (int i = 0; i < 3; i++) {
            dataset.addImportJob("Import" + i, DatasetImportJobOptions.builder()
                    .dataSource(DataSource.fromUri("s3://shared-data/part-" + i + "/")).timeout(Duration.hours(6))
                    .build());
        }
        dataset.addExportJob("Export", DatasetExportJobOptions.builder().bucket(bucket).prefix("out/")
                .timeout(Duration.hours(2)).build());
        Template template = Template.fromStack(stack);

        template.resourceCountIs(WAIT_CONDITION, 4);
        template.resourceCountIs(HANDLE, 4);
        template.resourceCountIs("AWS::StepFunctions::StateMachine", 2);
        assertThat(template.findResources("AWS::IAM::Policy").toString())
                .contains("personalize:DescribeDatasetExportJob");
        assertThat(JobWaiter.MAX_WAIT_SECONDS).isEqualTo(12 * 3600);
    }

    @Test
    void thePollerIsTracedWhenTheStacksHandlerIs() {
        Stack traced = TestApps.stack();
        DatasetJobProvider.configure(traced, PersonalizeHandlerOptions.builder().tracing(Tracing.ACTIVE).build());
        job(traced, "s3://shared-data/bulk/", Duration.hours(3));
        Stack untraced = TestApps.stack();
        job(untraced, "s3://shared-data/bulk/", Duration.hours(3));

        Map<String, Object> poller = Map.of("StateMachineName", Match.stringLikeRegexp(".*JobWaiter.*"));
        Template.fromStack(traced).hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(
                Map.of("StateMachineName", Match.stringLikeRegexp(".*JobWaiter.*"),
                        "TracingConfiguration", Map.of("Enabled", true))));
        Template.fromStack(traced).hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Action", List.of(
                        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                        "xray:GetSamplingTargets"))))))));
        Template plain = Template.fromStack(untraced);
        plain.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineName", Match.stringLikeRegexp(".*JobWaiter.*"),
                "TracingConfiguration", Match.absent())));
        assertThat(plain.findResources("AWS::StepFunctions::StateMachine", Map.of("Properties", poller,
                "Metadata", Map.of("cdk_nag", Map.of("rules_to_suppress", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("id", "AwsSolutions-SF2"))))))))).hasSize(1);
    }
}
