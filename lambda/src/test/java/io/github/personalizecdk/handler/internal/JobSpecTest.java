package io.github.personalizecdk.handler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.personalizecdk.contract.JobResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecTest {
    @Test
    void namesAreStablePerRequestAndFitPersonalizesLimit() {
        JobSpec spec = JobSpec.parse(JobLifecycleTest.importProps());
        String a = spec.jobName("Logical", "request-1");
        assertThat(a).isEqualTo(spec.jobName("Logical", "request-1")).startsWith("ShopInteractionsImport-");
        assertThat(spec.jobName("Logical", "request-2")).isNotEqualTo(a);

        Map<String, Object> props = JobLifecycleTest.importProps();
        props.remove(JobResource.JOB_NAME_PREFIX);
        String fromLogicalId = JobSpec.parse(props).jobName("x".repeat(200) + ".Import", "r");
        assertThat(fromLogicalId).hasSize(63).matches("[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
        assertThat(JobSpec.parse(props).jobName("_odd", "r")).startsWith("job_odd-");
    }

    @Test
    void jobArnFollowsTheDatasetsPartitionRegionAndAccount() {
        Map<String, Object> props = JobLifecycleTest.exportProps();
        props.put(JobResource.DATASET_ARN, "arn:aws-cn:personalize:cn-north-1:123456789012:dataset/shop/ITEMS");
        assertThat(JobSpec.parse(props).jobArn("n"))
                .isEqualTo("arn:aws-cn:personalize:cn-north-1:123456789012:dataset-export-job/n");
    }

    @Test
    void missingRequiredPropertyIsNamed() {
        Map<String, Object> props = JobLifecycleTest.importProps();
        props.remove(JobResource.DATA_LOCATION);
        assertThatThrownBy(() -> JobSpec.parse(props)).hasMessage("resource property " + JobResource.DATA_LOCATION + " is required");
    }

    @Test
    void onlyJobPropertiesDecideWhetherAnUpdateIsANewJob() {
        Map<String, Object> before = JobLifecycleTest.importProps();
        Map<String, Object> after = JobLifecycleTest.importProps();
        after.put(JobResource.WAIT, "false");
        after.put(JobResource.TIMEOUT_SECONDS, "60");
        after.put("ServiceTimeout", "3420");
        assertThat(JobSpec.sameJob(before, after)).isTrue();
        after.put(JobResource.IMPORT_MODE, "INCREMENTAL");
        assertThat(JobSpec.sameJob(before, after)).isFalse();
    }
}
