package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The taskd command line as a user runs it, against the real daemon. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliEndToEndTest {

    private DaemonProcess daemon;
    private Path home;

    @BeforeAll
    void startDaemon(@TempDir Path home) throws Exception {
        this.home = home;
        daemon = new DaemonProcess(home, "")
                .file("loop-types/never.toml", """
                        command = "true"
                        max-iterations = 2
                        delay = "0s"

                        [validation]
                        command = "false"
                        """)
                .start();
    }

    @AfterAll
    void stopDaemon() {
        daemon.close();
    }

    @Test
    void runHelloWithFollowPrintsThreeIterationsAndExitsZero() throws Exception {
        Cli.Result result = taskd("run", "hello", "--input", "count=3", "--follow");

        assertThat(result.exit()).as(result.stderr()).isZero();
        String all = result.stdout() + result.stderr();
        assertThat(all).contains("iteration 1", "iteration 2", "iteration 3").doesNotContain("iteration 4");
        assertThat(all).contains("succeeded");
    }

    @Test
    void aLoopThatFailsMakesFollowExitOne() throws Exception {
        Cli.Result result = taskd("run", "never", "--follow");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stdout() + result.stderr()).contains("failed");
    }

    @Test
    void statusAndListsReadWellAndTheJsonParses() throws Exception {
        Cli.Result status = taskd("status");
        Cli.Result types = taskd("types", "list");
        Cli.Result loops = taskd("loops", "list", "--json");

        assertThat(status.exit()).isZero();
        assertThat(status.stdout()).contains("generation");
        assertThat(types.exit()).isZero();
        assertThat(types.stdout()).contains("hello", "retry-command", "ralph");
        assertThat(loops.exit()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(loops.stdout()).has("loops")).isTrue();
    }

    @Test
    void anUnknownTypeIsOneClearLineAndExitOne() throws Exception {
        Cli.Result result = taskd("run", "helo");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr().strip()).isEqualTo("taskd: no loop type 'helo'; did you mean 'hello'?");
    }

    private Cli.Result taskd(String... args) throws Exception {
        return Cli.run(home, daemon.port, args);
    }
}
