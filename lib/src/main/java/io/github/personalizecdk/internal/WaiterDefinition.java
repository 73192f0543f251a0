package io.github.personalizecdk.internal;

import io.github.personalizecdk.contract.JobWaiter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Amazon States Language definition of the stack's job poller (long waits): wait {@value JobWaiter#POLL_SECONDS}
 * s, describe the job through the Personalize SDK integration, loop while it is pending or in progress and its
 * deadline has not passed, then invoke the handler once to signal the wait condition. A Describe that still fails
 * after its retries goes to the signal too (the handler describes the job itself and reports). Every execution
 * ends within {@link #TIMEOUT_SECONDS}, whatever happens. Substitutions: {@code ${HandlerArn}}, {@code ${Partition}}.
 */
public final class WaiterDefinition {
    /** The longest execution: the longest wait condition plus room for the final signal. */
    public static final int TIMEOUT_SECONDS = JobWaiter.MAX_WAIT_SECONDS + 900;

    private WaiterDefinition() {
    }

    /** @return the definition, with {@code ${HandlerArn}} and {@code ${Partition}} to substitute */
    public static String definition() {
        Map<String, Object> states = new LinkedHashMap<>();
        states.put("Wait", Map.of("Type", "Wait", "Seconds", JobWaiter.POLL_SECONDS, "Next", "JobType"));
        states.put("JobType", Map.of("Type", "Choice",
                "Choices", List.of(Map.of("Variable", "$." + JobWaiter.JOB_TYPE, "StringEquals", "IMPORT",
                        "Next", "DescribeImportJob")),
                "Default", "DescribeExportJob"));
        states.put("DescribeImportJob", describe("describeDatasetImportJob", "DatasetImportJobArn", "DatasetImportJob"));
        states.put("DescribeExportJob", describe("describeDatasetExportJob", "DatasetExportJobArn", "DatasetExportJob"));
        String status = "$." + JobWaiter.JOB + ".Status";
        states.put("Ended", Map.of("Type", "Choice",
                "Choices", List.of(
                        Map.of("Or", List.of(Map.of("Variable", status, "StringEquals", "ACTIVE"),
                                Map.of("Variable", status, "StringEquals", "CREATE FAILED")), "Next", "Signal"),
                        Map.of("Variable", "$$.State.EnteredTime",
                                "TimestampGreaterThanEqualsPath", "$." + JobWaiter.DEADLINE, "Next", "Signal")),
                "Default", "Wait"));
        Map<String, Object> signal = new LinkedHashMap<>();
        signal.put("Type", "Task");
        signal.put("Resource", "arn:${Partition}:states:::lambda:invoke");
        signal.put("Parameters", Map.of("FunctionName", "${HandlerArn}",
                "Payload", Map.of(JobWaiter.EVENT + ".$", "$")));
        signal.put("Retry", List.of(Map.of("ErrorEquals", List.of("States.ALL"), "IntervalSeconds", 10,
                "MaxAttempts", 5, "BackoffRate", 2)));
        signal.put("End", true);
        states.put("Signal", signal);
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("Comment", "Describes one Personalize job every " + JobWaiter.POLL_SECONDS + " s until it "
                + "ends or its deadline passes, then has the handler signal its wait condition");
        definition.put("StartAt", "Wait");
        definition.put("TimeoutSeconds", TIMEOUT_SECONDS);
        definition.put("States", states);
        return Json.write(definition);
    }

    private static Map<String, Object> describe(String action, String arnParameter, String resultField) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("Type", "Task");
        task.put("Resource", "arn:${Partition}:states:::aws-sdk:personalize:" + action);
        task.put("Parameters", Map.of(arnParameter + ".$", "$." + JobWaiter.JOB_ARN));
        task.put("ResultSelector", Map.of("Status.$", "$." + resultField + ".Status"));
        task.put("ResultPath", "$." + JobWaiter.JOB);
        task.put("Retry", List.of(Map.of("ErrorEquals", List.of("States.ALL"), "IntervalSeconds", 5,
                "MaxAttempts", 4, "BackoffRate", 2)));
        task.put("Catch", List.of(Map.of("ErrorEquals", List.of("States.ALL"), "ResultPath",
                "$." + JobWaiter.ERROR, "Next", "Signal")));
        task.put("Next", "Ended");
        return task;
    }
}
