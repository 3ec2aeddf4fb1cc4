package dev.taskd.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test, to run out of space on. Mounting needs root on Linux; where
 * it cannot be had the test is skipped with the reason printed.
 */
final class SmallFileSystem implements AutoCloseable {

    final Path root;

    private SmallFileSystem(Path root) {
        this.root = root;
    }

    /** Mounts a tmpfs of {@code size} (as mount spells it: {@code 8m}) at {@code root}, or skips the test. */
    static SmallFileSystem mount(Path root, String size) throws IOException, InterruptedException {
        Files.createDirectories(root);
        String why = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", root.toString());
        if (why != null) {
            System.out.println("skipped: a small file system is needed to fill, and " + why);
        }
        assumeTrue(why == null, "cannot mount a tmpfs: " + why);
        return new SmallFileSystem(root);
    }

    /** Writes {@code name} until the file system is full; its size. */
    long fill(String name) throws IOException {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(root.resolve(name))) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        // The last partial block may leave a few KiB; take them with small writes.
        try (OutputStream out = Files.newOutputStream(root.resolve(name + "-tail"))) {
            while (true) {
                out.write(new byte[512]);
                out.flush();
            }
        } catch (IOException e) {
            return written;
        }
    }

    void free(String name) throws IOException {
        Files.deleteIfExists(root.resolve(name));
        Files.deleteIfExists(root.resolve(name + "-tail"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String why = run("umount", "-l", root.toString());
        if (why != null) {
            throw new IOException("cannot unmount " + root + ": " + why);
        }
    }

    /** Runs a command; null when it succeeded, else what went wrong. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return command[0] + " cannot run: " + e.getMessage();
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return command[0] + " did not finish within 10 s";
        }
        String output = new String(process.getInputStream().readAllBytes()).strip();
        return process.exitValue() == 0 ? null
                : String.join(" ", command) + " exited " + process.exitValue() + ": " + output;
    }
}
