package dev.taskd.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFingerprintTest {

    @TempDir
    Path root;

    private final AtomicLong clock = new AtomicLong();

    @Test
    void aReadingIsReusedWhileFreshAndReadAgainAfterwards() throws Exception {
        Path config = root.resolve("taskd.toml");
        Files.writeString(config, "[limits]\nmax-loops = 1\n");
        DiskFingerprint disk = new DiskFingerprint(config, clock::get);
        String first = disk.recent();

        Files.writeString(config, "[limits]\nmax-loops = 2\n");
        clock.addAndGet(DiskFingerprint.FRESH.toNanos() - 1);
        assertThat(disk.recent()).isEqualTo(first);

        clock.addAndGet(1);
        assertThat(disk.recent()).isNotEqualTo(first).isEqualTo(DiskSources.fingerprint(config));
    }

    @Test
    void whatAReloadReadIsTheAnswerUntilItExpires() throws Exception {
        Path config = root.resolve("taskd.toml");
        Files.writeString(config, "");
        DiskFingerprint disk = new DiskFingerprint(config, clock::get);
        disk.recent();

        disk.observed("read-by-a-reload");

        assertThat(disk.recent()).isEqualTo("read-by-a-reload");
        clock.addAndGet(DiskFingerprint.FRESH.toNanos());
        assertThat(disk.recent()).isEqualTo(DiskSources.fingerprint(config));
    }
}
