package dev.taskd.process;

import java.nio.charset.StandardCharsets;

/**
 * Text that belongs in an iteration's output though no process printed it — the reply of an
 * LLM call a script action makes, as it streams in — written where a command's stdout would
 * be: the iteration's output file (within {@code limits.max-output}) and the {@link OutputHub},
 * so {@code GET /v1/loops/{id}/output} shows it as it arrives. Thread-safe; writes after
 * {@link #close} are dropped.
 */
public final class TextOutput implements AutoCloseable {

    /** Keeps nothing: for commands that keep no output. */
    public static final TextOutput NOWHERE = new TextOutput(null, null);

    private final FullOutput file;
    private final OutputHub.Publisher publisher;

    TextOutput(FullOutput file, OutputHub.Publisher publisher) {
        this.file = file;
        this.publisher = publisher;
    }

    public synchronized void write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (file != null) {
            file.write(Child.STDOUT, bytes, 0, bytes.length);
        }
        if (publisher != null) {
            publisher.write(Child.STDOUT, bytes, 0, bytes.length);
        }
    }

    /** The text has ended: the file gets its tail, readers move on to the next command. */
    @Override
    public synchronized void close() {
        if (file != null) {
            file.close();
        }
        if (publisher != null) {
            publisher.end();
        }
    }
}
