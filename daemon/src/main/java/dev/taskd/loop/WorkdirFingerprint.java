package dev.taskd.loop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A cheap fingerprint of a work dir: the names, sizes and modification times of its files, not
 * their contents, hashed. Skips {@code .git} (git touches its index on a mere status) and stops
 * after {@link #MAX_ENTRIES} entries, so a huge tree costs a bounded walk; two walks of an
 * unchanged tree give the same fingerprint.
 */
final class WorkdirFingerprint {

    static final int MAX_ENTRIES = 20_000;

    private WorkdirFingerprint() {
    }

    /** The fingerprint of {@code workdir}; "" when it cannot be read at all. */
    static String of(Path workdir) {
        MessageDigest digest = sha256();
        try {
            Files.walkFileTree(workdir, new SimpleFileVisitor<>() {
                private int entries;

                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return dir.getFileName() != null && dir.getFileName().toString().equals(".git") && !dir.equals(workdir)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    digest.update((workdir.relativize(file) + "\0" + attributes.size() + "\0"
                            + attributes.lastModifiedTime().toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
                    return ++entries < MAX_ENTRIES ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return "";
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The hash of an iteration's result and its work dir: equal when nothing moved. */
    static String ofIteration(Integer exitCode, String output, Path workdir) {
        MessageDigest digest = sha256();
        digest.update((exitCode + "\0" + output + "\0" + of(workdir)).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
