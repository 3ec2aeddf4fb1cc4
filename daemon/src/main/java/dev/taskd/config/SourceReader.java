package dev.taskd.config;

import dev.taskd.source.Position;
import dev.taskd.source.SourceFile;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads config sources from disk: bounded in size, named for findings relative to a display
 * base, every failure turned into a finding rather than an exception.
 */
public final class SourceReader {

    /** No config, loop type, script or template is anywhere near this; a bigger file is a mistake. */
    public static final long MAX_SOURCE_BYTES = 1024 * 1024;

    private final Path displayBase;
    private final SourceTree tree;

    /** @param displayBase findings name files relative to this directory when they lie under it */
    public SourceReader(Path displayBase) {
        this(displayBase, SourceTree.DISK);
    }

    public SourceReader(Path displayBase, SourceTree tree) {
        this.displayBase = displayBase.toAbsolutePath().normalize();
        this.tree = tree;
    }

    /** The outcome of reading one file. */
    public sealed interface Read {
    }

    public record Found(SourceFile source) implements Read {
    }

    public record Failed(Finding finding) implements Read {
    }

    public Read read(Path file) {
        Path path = file.toAbsolutePath().normalize();
        String display = display(path);
        try {
            if (tree.isDirectory(path)) {
                return failed(display, "is a directory, not a file", "");
            }
            long size = tree.size(path);
            if (size > MAX_SOURCE_BYTES) {
                return failed(display, "is " + size + " bytes; sources are limited to " + MAX_SOURCE_BYTES + " bytes",
                        "is this the right file?");
            }
            return new Found(SourceFile.of(path, display, tree.read(path)));
        } catch (NoSuchFileException e) {
            return failed(display, "does not exist", "");
        } catch (AccessDeniedException e) {
            return failed(display, "cannot be read: permission denied", "make it readable by the user taskd runs as");
        } catch (IOException e) {
            return failed(display, "cannot be read: " + e.getMessage(), "");
        }
    }

    /**
     * The bytes of a secret file (token or key file), read where the tree reads secrets (see
     * {@link SourceTree#secrets()}) and never made a {@link SourceFile}: secrets are not sources.
     *
     * @throws IOException with a reason fit for a finding when it cannot be read, is a directory
     *                     or is over {@link #MAX_SOURCE_BYTES}
     */
    public byte[] readSecret(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        SourceTree secrets = tree.secrets();
        if (secrets.isDirectory(path)) {
            throw new Refused("is a directory, not a file");
        }
        long size = secrets.size(path);
        if (size > MAX_SOURCE_BYTES) {
            throw new Refused("is " + size + " bytes; secret files are limited to " + MAX_SOURCE_BYTES + " bytes");
        }
        return secrets.read(path);
    }

    /** Why {@code failure} of {@link #readSecret} or {@link #read} happened, as a finding says it. */
    static String reason(IOException failure) {
        return switch (failure) {
            case NoSuchFileException missing -> "does not exist";
            case AccessDeniedException denied -> "cannot be read: permission denied";
            case Refused refused -> refused.getMessage();
            default -> "cannot be read: " + failure.getMessage();
        };
    }

    /** A file refused for what it is (a directory, too big) rather than because reading it failed. */
    private static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * The regular files in {@code directory} whose names end with {@code suffix}, sorted by name.
     * Names starting with a dot are skipped: editors' swap files and Kubernetes' {@code ..data}.
     *
     * @throws IOException when the directory cannot be listed; the caller reports it where the
     *                     directory was named
     */
    public List<Path> list(Path directory, String suffix) throws IOException {
        List<Path> files = new ArrayList<>();
        tree.list(directory).stream().filter(entry -> {
            String name = entry.getFileName().toString();
            return name.endsWith(suffix) && !name.startsWith(".");
        }).sorted().forEach(files::add);
        return files;
    }

    public boolean isDirectory(Path path) {
        return tree.isDirectory(path);
    }

    /** How findings name {@code path}: relative to the display base when under it. */
    public String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(displayBase) ? displayBase.relativize(absolute).toString() : absolute.toString();
    }

    private static Read failed(String display, String what, String fix) {
        return new Failed(Finding.error(display, Position.START, display + " " + what, fix));
    }
}
