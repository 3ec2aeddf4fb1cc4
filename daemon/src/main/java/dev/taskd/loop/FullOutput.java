package dev.taskd.loop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;

/**
 * A command's whole output, kept in {@code DATA_DIR/loops/ID/N-action.log}: written by both of
 * its pumps, under this object's lock. Losing it is not worth failing the command for, so the
 * first failure to open or write it is reported (a full disk makes the data dir unwritable) and
 * the rest of the output goes to the command's tails only; the pumps go on reading, so the
 * command never blocks on a full pipe.
 */
final class FullOutput implements AutoCloseable {

    private final Path file;
    private final BiConsumer<String, IOException> onFailure;
    private OutputStream out;

    private FullOutput(Path file, OutputStream out, BiConsumer<String, IOException> onFailure) {
        this.file = file;
        this.out = out;
        this.onFailure = onFailure;
    }

    /** Opens (truncating) {@code file}, creating its directory; null when there is no file to keep. */
    static FullOutput open(Path file, BiConsumer<String, IOException> onFailure) {
        if (file == null) {
            return null;
        }
        try {
            // createDirectories throws and catches internally when the directory exists, which
            // it does for every command after a loop's first: look before creating.
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent());
            }
            return new FullOutput(file, Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING), onFailure);
        } catch (IOException e) {
            onFailure.accept("open " + file, e);
            return null;
        }
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        if (out == null) {
            return;
        }
        try {
            out.write(bytes, offset, length);
        } catch (IOException e) {
            onFailure.accept("write " + file, e);
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            onFailure.accept("close " + file, e);
        }
        out = null;
    }
}
