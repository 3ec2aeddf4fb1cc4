package dev.taskd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work dirs given as input: only under loops.workdir-roots; git-worktree isolation on its own branch. */
class WorkdirEndToEndTest {

    @TempDir
    Path home;

    @Test
    void aLoopWorksInAGivenDirectoryOnlyUnderAWorkdirRoot() throws Exception {
        Path roots = Files.createDirectories(home.resolve("projects"));
        Path project = Files.createDirectories(roots.resolve("one"));
        Path outside = Files.createDirectories(home.resolve("elsewhere"));
        try (DaemonProcess daemon = new DaemonProcess(home, "").file("loop-types/here.toml", """
                command = "pwd > where.txt"
                inputs = [{ name = "workdir", default = "." }]
                max-iterations = 1
                """)) {
            allowWorkdirsUnder(daemon, roots);
            daemon.start();

            String inside = daemon.submit("here", "{\"workdir\":\"" + project + "\"}", 0);
            HttpResponse<String> refused = daemon.post("/v1/loops",
                    "{\"type\":\"here\",\"inputs\":{\"workdir\":\"" + outside + "\"}}");
            String own = daemon.submit("here", "{}", 0);
            daemon.awaitState(inside, Duration.ofSeconds(20), "succeeded");
            daemon.awaitState(own, Duration.ofSeconds(20), "succeeded");

            assertThat(Files.readString(project.resolve("where.txt")).strip()).isEqualTo(project.toRealPath().toString());
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("is not under loops.workdir-roots");
            assertThat(daemon.json("/v1/loops/" + own).get("workdir").asText()).endsWith("/work/" + own);
        }
    }

    @Test
    void gitWorktreeIsolationGivesEachLoopItsOwnBranchAndLeavesItThere() throws Exception {
        Path repository = Files.createDirectories(home.resolve("projects/repo"));
        git(repository, "init", "-q");
        git(repository, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "start");
        try (DaemonProcess daemon = new DaemonProcess(home, "").file("loop-types/isolated.toml", """
                command = "echo change > change.txt"
                inputs = [{ name = "workdir", default = "." }]
                isolation = "git-worktree"
                max-iterations = 1
                """)) {
            allowWorkdirsUnder(daemon, home.resolve("projects"));
            daemon.start();

            String id = daemon.submit("isolated", "{\"workdir\":\"" + repository + "\"}", 0);
            daemon.awaitState(id, Duration.ofSeconds(20), "succeeded");

            JsonNode loop = daemon.json("/v1/loops/" + id);
            Path worktree = Path.of(loop.get("workdir").asText());
            assertThat(worktree).isNotEqualTo(repository);
            assertThat(Files.readString(worktree.resolve("change.txt"))).isEqualTo("change\n");
            assertThat(Files.exists(repository.resolve("change.txt"))).isFalse();
            assertThat(gitOutput(repository, "branch", "--list", "taskd/*")).contains("taskd/" + id);
        }
    }

    /** Adds {@code loops.workdir-roots = [root]} to the daemon's taskd.toml (its [loops] table). */
    private static void allowWorkdirsUnder(DaemonProcess daemon, Path root) throws java.io.IOException {
        String config = Files.readString(daemon.config);
        Files.writeString(daemon.config, config.replace("[templates]", "workdir-roots = [\"" + root + "\"]\n\n[templates]"));
    }

    private static void git(Path repository, String... args) throws Exception {
        assertThat(gitOutput(repository, args)).isNotNull();
    }

    private static String gitOutput(Path repository, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repository.toString()));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(git.getInputStream().readAllBytes());
        assertThat(git.exitValue()).as(output).isZero();
        return output;
    }
}
