package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskd.config.Durations;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code taskd stop}: asks the daemon to drain and stop, shows the loops still draining, and
 * returns once the daemon no longer answers.
 */
@Command(name = "stop",
        mixinStandardHelpOptions = true,
        description = {"Stop the daemon gracefully: running iterations get limits.drain-timeout to finish,",
            "queued loops stay queued; everything resumes on the next start.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the daemon stopped", "  1  it did not stop within --wait", "  3  no daemon answered"})
final class StopCommand extends ClientCommand {

    @Option(names = "--wait", defaultValue = "10m", paramLabel = "DURATION",
            description = "how long to wait for the daemon to exit (default ${DEFAULT-VALUE})")
    String wait;

    @Override
    public Integer call() throws InterruptedException {
        Duration limit = Durations.parse(wait).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "--wait needs a duration like 90s or 10m, not '" + wait + "'"));
        client().post("/shutdown", null);
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode status;
            try {
                status = client().get("/status");
            } catch (DaemonUnreachable gone) {
                // --json: the health endpoints' envelope, {"status": ...}, for a daemon that is no more.
                out().println(json() ? "{\"status\":\"stopped\"}" : "stopped");
                out().flush();
                return ExitCode.OK;
            }
            String now = "draining: " + status.path("running").asInt() + " running, "
                    + status.path("queued").asInt() + " queued";
            if (!now.equals(last) && !json()) {
                out().println(now);
                out().flush();
                last = now;
            }
            Thread.sleep(500);
        }
        err().println("taskd: the daemon did not stop within " + wait);
        return ExitCode.FAILURE;
    }
}
