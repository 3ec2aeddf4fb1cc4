package dev.taskd.script;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * File access confined to one work directory, for {@code ctx.fs}. A path is refused when it is
 * absolute, when it leaves the directory by {@code ..}, or when its real path — following symbolic
 * links, for an existing file or for the nearest existing parent of a new one — is outside the
 * directory's real path. Errors are {@link IOException}s whose message names the path and says
 * why, ready to show to the script.
 *
 * <p>The check and the access are two steps: a process that swaps a directory for a symbolic link
 * between them is not defended against (scripts themselves cannot create links through
 * {@code ctx.fs}). Thread-safe; holds no open files.
 */
final class WorkdirFiles {

    static final int MAX_READ_BYTES = 16 * 1024 * 1024;

    /** A path the script may not use. */
    static final class Refused extends IOException {
        Refused(String path, String why) {
            super("path '" + path + "' " + why);
        }
    }

    private final Path root;

    WorkdirFiles(Path workdir) {
        this.root = workdir.toAbsolutePath().normalize();
    }

    String read(String path) throws IOException {
        Path file = resolve(path);
        if (Files.isDirectory(file)) {
            throw new IOException("cannot read '" + path + "': it is a directory");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_READ_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read '" + path + "': no such file", e);
        }
        if (bytes.length > MAX_READ_BYTES) {
            throw new IOException("cannot read '" + path + "': larger than the limit of " + MAX_READ_BYTES + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes the text as UTF-8, replacing the file, creating missing parent directories. */
    void write(String path, String text) throws IOException {
        Path file = resolve(path);
        if (file.equals(root)) {
            throw new IOException("cannot write '" + path + "': it is the work dir");
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The names in a directory, sorted. */
    List<String> list(String path) throws IOException {
        try (Stream<Path> entries = Files.list(resolve(path))) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException e) {
            throw new IOException("cannot list '" + path + "': no such directory", e);
        } catch (NotDirectoryException e) {
            throw new IOException("cannot list '" + path + "': not a directory", e);
        }
    }

    boolean exists(String path) throws IOException {
        return Files.exists(resolve(path));
    }

    /** The absolute path {@code path} names inside the work dir, or {@link Refused}. */
    Path resolve(String path) throws IOException {
        Path relative;
        try {
            relative = Path.of(path);
        } catch (InvalidPathException e) {
            throw new Refused(path, "is not a valid path: " + e.getReason());
        }
        if (relative.isAbsolute()) {
            throw new Refused(path, "is absolute; use a path relative to the work dir");
        }
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root)) {
            throw new Refused(path, "leaves the work dir");
        }
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("the work dir " + root + " does not exist", e);
        }
        Path existing = target;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException e) {
            throw new Refused(path, "goes through a symbolic link that points nowhere");
        }
        if (!real.startsWith(realRoot)) {
            throw new Refused(path, "leaves the work dir through a symbolic link (to " + real + ")");
        }
        return target;
    }
}
