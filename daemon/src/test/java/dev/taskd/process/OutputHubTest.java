package dev.taskd.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.process.OutputHub.Position;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputHubTest {

    @TempDir
    Path loops;

    private OutputHub hub;

    private OutputHub.Publisher open(String loop, int iteration, String command) {
        return hub.open(loop, loops.resolve(loop).resolve(iteration + "-" + command + ".log"));
    }

    private static void write(OutputHub.Publisher publisher, int stream, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        publisher.write(stream, bytes, 0, bytes.length);
    }

    @Test
    void aReaderGetsTheChunksAfterItsOffsetWithTheirStreamsAndOffsetsOfBothTogether() throws Exception {
        hub = new OutputHub(loops);
        OutputHub.Publisher action = open("L", 1, "action");
        write(action, Child.STDOUT, "tick1\n");
        write(action, Child.STDERR, "oops\n");

        OutputHub.Read read = hub.read("L", new Position(1, "action", 3), 0);

        assertThat(read).isInstanceOf(OutputHub.Chunks.class);
        var chunks = ((OutputHub.Chunks) read).chunks();
        assertThat(chunks).hasSize(2);
        assertThat(new String(chunks.get(0).bytes(), StandardCharsets.UTF_8)).isEqualTo("k1\n");
        assertThat(chunks.get(0).at().offset()).isEqualTo(3);
        assertThat(chunks.get(1).stream()).isEqualTo(Child.STDERR);
        assertThat(chunks.get(1).at().offset()).isEqualTo(6);
    }

    @Test
    void aReaderBehindWhatTheHubKeepsIsSentToTheFileUpToTheFirstKeptByte() throws Exception {
        hub = new OutputHub(loops);
        OutputHub.Publisher action = open("L", 1, "action");
        String line = "x".repeat(1023) + "\n";
        for (int i = 0; i < OutputHub.KEPT_BYTES / 1024 + 10; i++) {
            write(action, Child.STDOUT, line);
        }

        OutputHub.Read read = hub.read("L", new Position(1, "action", 0), 0);

        assertThat(read).isInstanceOf(OutputHub.FromFile.class);
        assertThat(((OutputHub.FromFile) read).upTo()).isEqualTo(10 * 1024);
        assertThat(((OutputHub.FromFile) read).ended()).isFalse();
    }

    @Test
    void aReaderOfAnEndedCommandIsSentToItsFileAndAReaderAheadWaits() throws Exception {
        hub = new OutputHub(loops);
        OutputHub.Publisher action = open("L", 1, "action");
        write(action, Child.STDOUT, "done\n");
        action.end();
        open("L", 1, "validation");

        OutputHub.Read behind = hub.read("L", new Position(1, "action", 5), 0);
        OutputHub.Read ahead = hub.read("L", new Position(2, "action", 0), 10);

        assertThat(behind).isEqualTo(new OutputHub.FromFile(loops.resolve("L/1-action.log"), true, Long.MAX_VALUE));
        assertThat(ahead).isInstanceOf(OutputHub.Nothing.class);
        assertThat(((OutputHub.Nothing) ahead).current()).contains(new Position(1, "validation", 0));
    }

    @Test
    void aForgottenLoopHasNothingAndCommandsOutsideIterationsAreNotPublished() throws Exception {
        hub = new OutputHub(loops);
        open("L", 1, "action");
        hub.forget("L");

        assertThat(hub.read("L", new Position(1, "action", 0), 0)).isEqualTo(new OutputHub.Nothing(java.util.Optional.empty()));
        assertThat(hub.open("L", loops.resolve("other.log"))).isNull();
        assertThat(hub.open(null, loops.resolve("L/1-action.log"))).isNull();
    }
}
