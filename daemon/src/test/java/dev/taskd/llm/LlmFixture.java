package dev.taskd.llm;

import dev.taskd.concurrent.Threads;
import dev.taskd.config.TaskdConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/** A gateway wired to a {@link ScriptedLlmServer}, with settings a test may change as a reload would. */
final class LlmFixture implements AutoCloseable {

    static final RetryPolicy FAST = new RetryPolicy(Duration.ofSeconds(5), 4, Duration.ofMillis(10),
            Duration.ofMillis(40), 20, Duration.ofMillis(10), Duration.ofSeconds(2));

    final ScriptedLlmServer server;
    final AtomicReference<TaskdConfig.Llm> llm = new AtomicReference<>();
    final AtomicReference<TaskdConfig.Limits> limits = new AtomicReference<>(limits(8, 1000));
    final Map<String, String> environment = new ConcurrentHashMap<>();
    final List<CallRecord> records = new CopyOnWriteArrayList<>();
    final LlmGateway gateway;

    LlmFixture(RetryPolicy policy) throws IOException {
        server = ScriptedLlmServer.start();
        llm.set(new TaskdConfig.Llm("local/llama-3", Map.of(
                "local", provider("local", "openai", null),
                "claude", provider("claude", "anthropic", null))));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newThreadPerTaskExecutor(Threads.virtualFactory("test-llm-http"))).build();
        gateway = new LlmGateway(llm::get, limits::get, http, policy, Clock.systemUTC(), environment::get, records::add);
    }

    LlmFixture() throws IOException {
        this(FAST);
    }

    TaskdConfig.Provider provider(String name, String kind, Path keyFile) {
        return new TaskdConfig.Provider(name, kind, server.baseUrl(), "", keyFile);
    }

    static TaskdConfig.Limits limits(int maxApiCalls, int perMinute) {
        return new TaskdConfig.Limits(1000, 1000, 16, maxApiCalls, perMinute, Duration.ofSeconds(30), 16L << 20, Map.of());
    }

    List<CallRecord.Outcome> outcomes() {
        return records.stream().map(CallRecord::outcome).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
