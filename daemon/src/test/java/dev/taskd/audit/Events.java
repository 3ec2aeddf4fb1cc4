package dev.taskd.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Test helpers: events from JSON text, the log's lines, an independent SHA-256, a stepping clock. */
final class Events {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private Events() {
    }

    /** An event from JSON text with single quotes for readability. */
    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) Chain.JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    static Path file(Path dataDir) {
        return dataDir.resolve(AuditLog.FILE_NAME);
    }

    static List<String> lines(Path dataDir) throws IOException {
        return Files.readAllLines(file(dataDir));
    }

    static void writeLines(Path dataDir, List<String> lines) throws IOException {
        Files.writeString(file(dataDir), String.join("\n", lines) + "\n");
    }

    static ObjectNode parse(String line) {
        try {
            return (ObjectNode) Chain.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(line, e);
        }
    }

    static String sha256(String line) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    /** A clock that moves one minute forward on every reading, starting at {@link #T0}. */
    static Clock steppingClock() {
        AtomicLong readings = new AtomicLong();
        return new Clock() {
            @Override
            public Instant instant() {
                return T0.plus(Duration.ofMinutes(readings.getAndIncrement()));
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
