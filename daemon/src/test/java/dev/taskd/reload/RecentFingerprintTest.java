package dev.taskd.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecentFingerprintTest {

    @TempDir
    Path root;

    private final AtomicLong clock = new AtomicLong();

    @Test
    void aReadingIsReusedWhileFreshAndReadAgainAfterwards() throws Exception {
        Path config = root.resolve("taskd.toml");
        Files.writeString(config, "[limits]\nmax-loops = 1\n");
        RecentFingerprint disk = new RecentFingerprint(config, clock::get);
        String first = disk.recent();

        Files.writeString(config, "[limits]\nmax-loops = 2\n");
        clock.addAndGet(RecentFingerprint.FRESH.toNanos() - 1);
        assertThat(disk.recent()).isEqualTo(first);

        clock.addAndGet(1);
        assertThat(disk.recent()).isNotEqualTo(first).isEqualTo(SourceFingerprint.of(config));
    }

    @Test
    void whatAReloadReadIsTheAnswerUntilItExpires() throws Exception {
        Path config = root.resolve("taskd.toml");
        Files.writeString(config, "");
        RecentFingerprint disk = new RecentFingerprint(config, clock::get);
        disk.recent();

        disk.observed("read-by-a-reload");

        assertThat(disk.recent()).isEqualTo("read-by-a-reload");
        clock.addAndGet(RecentFingerprint.FRESH.toNanos());
        assertThat(disk.recent()).isEqualTo(SourceFingerprint.of(config));
    }
}
