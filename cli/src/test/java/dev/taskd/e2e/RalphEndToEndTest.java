package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code ralph} loop type run by the real daemon against a scripted model: the model
 * edits a file in a git repository through tool calls, and the real validation command decides.
 */
class RalphEndToEndTest {

    @TempDir
    Path home;

    @Test
    void theModelFixesTheFileThroughToolsAndTheValidationCommandDecides() throws Exception {
        Path repository = Files.createDirectories(home.resolve("projects/answer"));
        Files.writeString(repository.resolve("answer.txt"), "41\n");
        run(repository, "git", "init", "-q");
        try (ScriptedModel model = new ScriptedModel()
                .then(ScriptedModel.rateLimited(1))
                .then(ScriptedModel.rateLimited(1))
                .then(ScriptedModel.toolCall("call_1", "read_file", "{\"path\":\"answer.txt\"}"))
                .then(ScriptedModel.toolCall("call_2", "edit_file", "{\"path\":\"answer.txt\",\"old\":\"41\",\"new\":\"42\"}"))
                .then(ScriptedModel.text("The answer is now 42."));
             DaemonProcess daemon = new DaemonProcess(home, """
                     [llm]
                     default = "scripted/test-model"

                     [llm.providers.scripted]
                     kind = "openai"
                     base-url = "%s"
                     """.formatted(model.baseUrl()))) {
            String config = Files.readString(daemon.config);
            Files.writeString(daemon.config, config.replace("[templates]", "workdir-roots = [\""
                    + home.resolve("projects") + "\"]\n\n[templates]"));
            daemon.start();

            String id = daemon.submit("ralph", """
                    {"task":"Make answer.txt hold the answer, 42.","workdir":"%s","validate":"grep -qx 42 answer.txt"}"""
                    .formatted(repository), 0);
            daemon.awaitState(id, Duration.ofSeconds(60), "succeeded", "failed");

            JsonNode loop = daemon.json("/v1/loops/" + id);
            JsonNode iteration = daemon.json("/v1/loops/" + id + "/iterations").get("iterations").get(0);
            assertThat(loop.get("state").asText()).as(daemon.logText()).isEqualTo("succeeded");
            assertThat(loop.get("iterations").asInt()).isEqualTo(1);
            assertThat(Files.readString(repository.resolve("answer.txt"))).isEqualTo("42\n");
            assertThat(iteration.get("outcome").asText()).isEqualTo("passed");
            assertThat(iteration.get("tokens_in").asLong()).isEqualTo(250);
            assertThat(iteration.get("tokens_out").asLong()).isEqualTo(45);
            assertThat(model.requests).hasSize(5);
            assertThat(model.requests.get(2)).contains("Make answer.txt hold the answer, 42.").contains("\"tools\"");
            assertThat(model.requests.get(4)).contains("\"tool_call_id\":\"call_2\"");
        }
    }

    @Test
    void fiftyLoopsShareMaxApiCallsAndARotatedKeyIsUsedByTheNextCalls() throws Exception {
        Path keyFile = home.resolve("model.key");
        Files.writeString(keyFile, "old-key\n");
        try (ScriptedModel model = new ScriptedModel().slow(150);
             DaemonProcess daemon = new DaemonProcess(home, """
                     [limits]
                     max-api-calls = 4
                     api-calls-per-minute = 1000
                     per-type = { ralph = 50 }

                     [llm]
                     default = "scripted/test-model"

                     [llm.providers.scripted]
                     kind = "openai"
                     base-url = "%s"
                     api-key-file = "%s"
                     """.formatted(model.baseUrl(), keyFile))) {
            daemon.start();
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(daemon.submit("ralph", "{\"task\":\"say done\",\"validate\":\"true\"}", 0));
            }
            DaemonProcess.await(Duration.ofSeconds(30), "calls to start", () -> model.requests.size() >= 10);
            Files.writeString(keyFile, "new-key\n");
            int rotatedAt = model.requests.size();
            for (String id : ids) {
                daemon.awaitState(id, Duration.ofSeconds(90), "succeeded");
            }

            assertThat(model.mostInFlight()).isBetween(1, 4);
            assertThat(model.authorizations.subList(0, 5)).containsOnly("Bearer old-key");
            int settled = Math.min(model.authorizations.size(), rotatedAt + 4);
            assertThat(model.authorizations.subList(settled, model.authorizations.size())).containsOnly("Bearer new-key");
            for (String id : ids) {
                assertThat(daemon.json("/v1/loops/" + id).get("iterations").asInt())
                        .as("%s", daemon.json("/v1/loops/" + id + "/iterations")).isEqualTo(1);
            }
        }
    }

    private static void run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
    }
}
