package dev.taskd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [schedules.NAME]} and {@code [notify.NAME]}: bound, checked with file:line:column, diffed, redacted. */
class ScheduleAndNotifyConfigTest {

    private static final String TYPE = "command = \"true\"\ninputs = [\"task\", { name = \"mode\", default = \"x\" }]\n";

    @TempDir
    Path root;

    @Test
    void aValidScheduleAndWebhookAreBound() throws IOException {
        ConfigSnapshot snapshot = loadValid("""
                [schedules.nightly]
                type = "fix"
                inputs = { task = "all" }
                cron = "30 3 * * 1-5"
                timezone = "Europe/Berlin"
                overlap = "queue"
                catch-up = "last"

                [schedules.often]
                type = "fix"
                inputs = { task = "some" }
                every = "10m"

                [notify.chat]
                url = "https://hooks.example.com/services/T0/B0/XYZ"
                events = ["loop.failed", "reload.rejected"]
                secret-env = "HOOK_KEY"
                """);
        ScheduleSettings nightly = snapshot.config().schedules().get("nightly");
        assertThat(nightly.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(nightly.overlap()).isEqualTo(ScheduleSettings.Overlap.QUEUE);
        assertThat(nightly.catchUp()).isEqualTo(ScheduleSettings.CatchUp.LAST);
        assertThat(nightly.inputs()).containsEntry("task", "all");
        ScheduleSettings often = snapshot.config().schedules().get("often");
        assertThat(often.every()).isEqualTo(Duration.ofMinutes(10));
        assertThat(often.overlap()).isEqualTo(ScheduleSettings.Overlap.SKIP);
        assertThat(often.zone()).isEqualTo(ZoneId.of("UTC"));

        NotifySettings chat = snapshot.config().notifications().get("chat");
        assertThat(chat.events()).containsExactly("loop.failed", "reload.rejected");
        assertThat(chat.wants("loop.failed", "fix")).isTrue();
        assertThat(chat.wants("loop.succeeded", "fix")).isFalse();
        assertThat(EffectiveConfig.of(snapshot))
                .containsEntry("schedules.nightly.cron", "\"30 3 * * 1-5\"")
                .containsEntry("schedules.nightly.catch-up", "\"last\"")
                .containsEntry("schedules.often.every", "\"10m\"")
                .hasEntrySatisfying("notify.chat.url", url -> assertThat(url)
                        .startsWith("\"https://hooks.example.com/... (sha256:").doesNotContain("XYZ"));
    }

    @Test
    void eachMistakeIsReportedAtItsKeyWithAFix() throws IOException {
        List<String> findings = findings("""
                [schedules.a]
                type = "fix"
                inputs = { task = "t", mood = "good" }
                cron = "61 * * * *"

                [schedules.b]
                type = "fxi"
                every = "1m"
                cron = "* * * * *"

                [schedules.c]
                type = "fix"
                timezone = "Mars/Olympus"

                [notify.x]
                url = "https://example.com/hook"
                events = ["loop.succeded"]
                """);
        assertThat(findings).anySatisfy(f -> assertThat(f).startsWith("config/taskd.toml:4:1: schedules.a.cron is not a"
                + " 5-field cron expression"));
        assertThat(findings).anySatisfy(f -> assertThat(f).contains(":3:").contains("loop type 'fix' has no input 'mood'"));
        assertThat(findings).anySatisfy(f -> assertThat(f).contains("[schedules.b] sets both cron and every"));
        assertThat(findings).anySatisfy(f -> assertThat(f).contains("schedules.b.type names 'fxi', which is not a loop"
                + " type; did you mean 'fix'?"));
        assertThat(findings).anySatisfy(f -> assertThat(f).contains("[schedules.c] sets neither cron nor every"));
        assertThat(findings).anySatisfy(f -> assertThat(f).contains("[schedules.c] lacks input 'task'"));
        assertThat(findings).anySatisfy(f -> assertThat(f).contains("'Mars/Olympus' is not a time zone"));
        assertThat(findings).anySatisfy(f -> assertThat(f).startsWith("config/taskd.toml:17:").contains(
                "notify.x.events names 'loop.succeded', which is not an event; did you mean 'loop.succeeded'?"));
    }

    @Test
    void aChangedScheduleIsALoopTypesChangeAndSecretsStayHidden() throws IOException {
        ConfigSnapshot before = loadValid("[schedules.s]\ntype = \"fix\"\ninputs = { task = \"t\" }\nevery = \"5m\"\n");
        ConfigSnapshot after = loadValid("[schedules.s]\ntype = \"fix\"\ninputs = { task = \"t\" }\nevery = \"10m\"\n"
                + "[notify.n]\nurl = \"https://h.example/x?token=abc\"\nevents = [\"loop.failed\"]\nsecret-env = \"K\"\n");
        ConfigDiff diff = ConfigDiff.between(before, after);
        assertThat(diff.changes()).extracting(Change::key).contains("schedules.s.every", "notify.n.url",
                "notify.n.secret-env");
        assertThat(diff.scope()).contains(ReloadScope.LOOP_TYPES);
        assertThat(diff.redacted().changes().toString()).doesNotContain("token=abc").doesNotContain("\"K\"");
    }

    private ConfigSnapshot loadValid(String taskd) throws IOException {
        LoadResult result = load(taskd);
        assertThat(result.findings()).isEmpty();
        return result.snapshot().orElseThrow();
    }

    private List<String> findings(String taskd) throws IOException {
        return load(taskd).findings().stream().map(Finding::toString).toList();
    }

    private LoadResult load(String taskd) throws IOException {
        Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("loop-types"));
        Files.createDirectories(root.resolve("templates"));
        Files.writeString(root.resolve("loop-types/fix.toml"), TYPE);
        Files.writeString(root.resolve("config/taskd.toml"), taskd);
        return new ConfigLoader(root, script -> Optional.empty()).load(root.resolve("config/taskd.toml"));
    }
}
