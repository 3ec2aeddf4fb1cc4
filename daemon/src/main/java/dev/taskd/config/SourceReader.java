package dev.taskd.config;

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
