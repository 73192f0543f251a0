package io.github.personalizecdk.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs a Java Lambda handler the way the Lambda runtime does, in its own JVM: the handler named
 * {@code class::method} is instantiated once and called with each event (one JSON object per stdin line);
 * each answer is one stdout line, {@code {"result": ...}} or {@code {"errorMessage": ...}}.
 */
public final class LambdaRunner {
    private LambdaRunner() {
    }

    public static void main(String[] args) throws Exception {
        String[] handler = args[0].split("::");
        Class<?> type = Class.forName(handler[0]);
        Object instance = type.getDeclaredConstructor().newInstance();
        Method method = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(handler[1]) && m.getParameterCount() == 2 && m.getParameterTypes()[0] == Map.class) {
                method = m;
            }
        }
        if (method == null) {
            throw new IllegalArgumentException("no handler method " + args[0]);
        }
        ObjectMapper json = new ObjectMapper();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            Map<?, ?> event = json.readValue(line, Map.class);
            String answer;
            try {
                answer = json.writeValueAsString(Map.of("result", method.invoke(instance, event, null)));
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable cause = e.getCause();
                answer = json.writeValueAsString(Map.of("errorMessage", String.valueOf(cause.getMessage()),
                        "errorType", cause.getClass().getName()));
            }
            System.out.println("@@" + answer);
            System.out.flush();
        }
    }
}
