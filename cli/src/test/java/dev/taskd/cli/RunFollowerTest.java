package dev.taskd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunFollowerTest {

    private static JsonNode json(String text) throws Exception {
        return DaemonClient.JSON.readTree(text);
    }

    @Test
    void eachWaitReadsAsASentence() throws Exception {
        String until = Instant.now().plusSeconds(59).toString();
        assertThat(RunFollower.waitingLine(json("{\"reason\":\"backoff\",\"until\":\"" + until
                + "\",\"detail\":\"exponential backoff\"}"))).matches("next iteration in 5\\d\\.\\d s \\(exponential backoff\\)");
        assertThat(RunFollower.waitingLine(json("{\"reason\":\"queued\",\"ahead\":12,\"detail\":\"12 ahead\"}")))
                .isEqualTo("queued: 12 ahead");
        assertThat(RunFollower.waitingLine(json("{\"reason\":\"after\",\"loop_id\":\"01J\",\"detail\":\"waiting for loop 01J\"}")))
                .isEqualTo("waiting for loop 01J");
    }

    @Test
    void outcomesStartOnALineOfTheirOwnAfterOutputWithoutANewline() throws Exception {
        StringWriter text = new StringWriter();
        RunFollower follower = new RunFollower(null, new PrintWriter(text), new PrintWriter(new StringWriter()), false);
        follower.printEvent("output", json("{\"text\":\"no newline\"}"), "no newline");
        follower.printEvent("iteration", json("{}"), "iteration 1: failed");
        assertThat(text.toString()).isEqualTo("no newline" + System.lineSeparator() + "iteration 1: failed"
                + System.lineSeparator());
    }

    @Test
    void withJsonEachEventIsOneObjectOnOneLine() throws Exception {
        StringWriter text = new StringWriter();
        RunFollower follower = new RunFollower(null, new PrintWriter(text), new PrintWriter(new StringWriter()), true);
        follower.printEvent("waiting", json("{\"reason\":\"queued\",\"ahead\":3}"), "queued: 3 ahead");
        assertThat(text.toString().strip()).isEqualTo("{\"event\":\"waiting\",\"reason\":\"queued\",\"ahead\":3}");
    }
}
