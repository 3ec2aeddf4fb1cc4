package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon under a {@code Type=notify} unit, with a real unix datagram socket standing where
 * systemd's would: {@code READY=1} once {@code /v1/ready} answers 200, {@code RELOADING=1} and
 * {@code READY=1} around a reload, {@code STOPPING=1} when the drain starts; the commands it runs
 * do not get {@code NOTIFY_SOCKET}.
 */
class SystemdNotifyEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path home;

    @Test
    void theDaemonTellsSystemdWhenItIsReadyReloadingAndStopping() throws Throwable {
        try (NotifySocket systemd = new NotifySocket(home.resolve("notify"));
             // No watcher: the edit below would be reloaded twice, by it and by the API.
             DaemonProcess daemon = new DaemonProcess(home, "[reload]\nwatch = false\n")
                     .withEnvironment("NOTIFY_SOCKET", systemd.path.toString())) {
            daemon.start();
            String ready = systemd.receive(WAIT);
            assertThat(ready).startsWith("READY=1\n").contains("STATUS=ready, generation 1");
            assertThat(daemon.statusOf("/v1/ready")).isEqualTo(200);

            Files.writeString(daemon.config, Files.readString(daemon.config) + "\n[limits]\nmax-loops = 9\n");
            assertThat(daemon.post("/v1/reload", "").statusCode()).isEqualTo(200);
            String reloading = systemd.receive(WAIT);
            assertThat(reloading).startsWith("RELOADING=1\n").containsPattern("(?m)^MONOTONIC_USEC=\\d+$");
            long monotonicMicros = Long.parseLong(reloading.replaceAll("(?s).*MONOTONIC_USEC=(\\d+).*", "$1"));
            // The daemon's CLOCK_MONOTONIC is this JVM's System.nanoTime on Linux, a few seconds earlier at most.
            assertThat(System.nanoTime() / 1000 - monotonicMicros).isBetween(0L, WAIT.toNanos() / 1000);
            assertThat(systemd.receive(WAIT)).startsWith("READY=1\n").contains("generation 2");

            String loop = daemon.submit("retry-command",
                    "{\"command\":\"true\",\"check\":\"test -z $NOTIFY_SOCKET\"}", 0);
            daemon.awaitState(loop, Duration.ofSeconds(30), "succeeded");
            systemd.assertQuiet(Duration.ofMillis(200));

            daemon.post("/v1/shutdown", "");
            assertThat(systemd.receive(WAIT)).startsWith("STOPPING=1");
            assertThat(daemon.awaitExit(Duration.ofSeconds(30))).isZero();
            systemd.assertQuiet(Duration.ofMillis(100));
        }
    }
}
