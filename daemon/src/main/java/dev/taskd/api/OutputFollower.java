package dev.taskd.api;

import dev.taskd.loop.LoopEngine;
import dev.taskd.process.Child;
import dev.taskd.process.OutputHub.Position;
import dev.taskd.process.OutputHub;
import dev.taskd.store.LoopRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes one client's stream of a loop's output: each event's data is
 * {@code {"iteration","command","stream","offset","text"}} and its id
 * {@code ITERATION/COMMAND/STREAM/END}, where END is the offset of the next byte, so a reconnect
 * with that id as {@code Last-Event-ID} continues right after it. Live chunks come from the
 * {@link OutputHub}; what it no longer holds (a client that fell behind, a command that ended)
 * comes from the command's output file, whose bytes are tagged {@code stdout}: the file keeps the
 * two streams interleaved as read and does not say which byte came from which. One client, one
 * thread.
 */
final class OutputFollower {

    private static final int FILE_PIECE = 64 * 1024;
    private static final long WAIT_MILLIS = 1000;
    private static final long NO_COMMAND_POLL_MILLIS = 200;
    private static final long KEEP_ALIVE_NANOS = 15_000_000_000L;

    private final LoopEngine engine;
    private final OutputHub hub;
    private final String loopId;
    private final List<String> commands;
    private long lastWrite = System.nanoTime();

    OutputFollower(LoopEngine engine, OutputHub hub, String loopId, List<String> commands) {
        this.engine = engine;
        this.hub = hub;
        this.loopId = loopId;
        this.commands = commands;
    }

    /** The stored output of {@code iteration}, from {@code resume} when the client had part of it. */
    void replay(SseWriter sink, int iteration, Position resume) throws IOException {
        Position at = resume != null && resume.iteration() == iteration ? resume : new Position(iteration, "action", 0);
        while (at.iteration() == iteration) {
            at = fromFile(sink, at, hub.file(loopId, at.iteration(), at.command()), Long.MAX_VALUE, true);
        }
    }

    /**
     * Follows from {@code resume}, or without one from the start of the running iteration (of the
     * last one when the loop has ended), until the loop has ended and all its output was sent.
     */
    void follow(SseWriter sink, Position resume) throws IOException, InterruptedException {
        Position at = resume;
        while (true) {
            if (at == null) {
                at = hub.current(loopId).map(start -> new Position(start.iteration(), "action", 0)).orElse(null);
                LoopRecord loop = engine.find(loopId);
                if (at == null && loop.state().terminal()) {
                    drain(sink, new Position(Math.max(1, loop.iterations()), "action", 0), loop.iterations());
                    return;
                }
                if (at == null) {
                    idle(sink, NO_COMMAND_POLL_MILLIS);
                    continue;
                }
            }
            switch (hub.read(loopId, at, WAIT_MILLIS)) {
                case OutputHub.Chunks chunks -> at = send(sink, chunks.chunks());
                case OutputHub.FromFile file -> at = fromFile(sink, at, file.file(), file.upTo(), file.ended());
                case OutputHub.Nothing nothing -> {
                    LoopRecord loop = engine.find(loopId);
                    if (loop.state().terminal()) {
                        drain(sink, at, loop.iterations());
                        return;
                    }
                    idle(sink, nothing.current().isEmpty() ? NO_COMMAND_POLL_MILLIS : 0);
                }
            }
        }
    }

    /** Sends what the files hold from {@code at} to the end of iteration {@code last}. */
    private void drain(SseWriter sink, Position at, int last) throws IOException {
        while (at.iteration() <= last) {
            at = fromFile(sink, at, hub.file(loopId, at.iteration(), at.command()), Long.MAX_VALUE, true);
        }
    }

    /**
     * Sends the file's bytes from {@code at} up to {@code upTo}; returns where to go on: the next
     * command when {@code ended} and the file has no more.
     */
    private Position fromFile(SseWriter sink, Position at, Path file, long upTo, boolean ended) throws IOException {
        while (at.offset() < upTo) {
            byte[] bytes = readFile(file, at.offset(), Math.min(upTo - at.offset(), FILE_PIECE));
            if (bytes.length == 0) {
                if (ended) {
                    return at.next();
                }
                // The file stops short of the hub's chunks: limits.max-output dropped the bytes
                // between; they come only in the file's tail once the command ends.
                return new Position(at.iteration(), at.command(), upTo);
            }
            at = emit(sink, at, Child.STDOUT, bytes);
        }
        return ended ? at.next() : at;
    }

    /** Sends chunks that follow each other, those of one stream in a row as one event. */
    private Position send(SseWriter sink, List<OutputHub.Chunk> chunks) throws IOException {
        Position at = chunks.getFirst().at();
        List<byte[]> run = new ArrayList<>();
        int stream = chunks.getFirst().stream();
        for (OutputHub.Chunk chunk : chunks) {
            if (chunk.stream() != stream) {
                at = emit(sink, at, stream, concat(run));
                run.clear();
                stream = chunk.stream();
            }
            run.add(chunk.bytes());
        }
        byte[] last = concat(run);
        int whole = wholeCharacters(last);
        // A character split across reads waits for its end, unless nothing else is left to send.
        return emit(sink, at, stream, whole == 0 ? last : Arrays.copyOf(last, whole));
    }

    private Position emit(SseWriter sink, Position at, int stream, byte[] bytes) throws IOException {
        if (!commands.contains(at.command())) {
            return new Position(at.iteration(), at.command(), at.offset() + bytes.length);
        }
        String name = stream == Child.STDERR ? "stderr" : "stdout";
        Position end = new Position(at.iteration(), at.command(), at.offset() + bytes.length);
        String data = ApiJson.write(ApiJson.object().put("iteration", at.iteration()).put("command", at.command())
                .put("stream", name).put("offset", at.offset()).put("text", new String(bytes, StandardCharsets.UTF_8)));
        sink.event(eventId(end, name), "output", data);
        lastWrite = System.nanoTime();
        return end;
    }

    /** {@code ITERATION/COMMAND/STREAM/END}: what {@code Last-Event-ID} brings back. */
    static String eventId(Position end, String stream) {
        return end.iteration() + "/" + end.command() + "/" + stream + "/" + end.offset();
    }

    private void idle(SseWriter sink, long sleepMillis) throws IOException, InterruptedException {
        if (sleepMillis > 0) {
            Thread.sleep(sleepMillis);
        }
        if (System.nanoTime() - lastWrite > KEEP_ALIVE_NANOS) {
            sink.comment("keep-alive");
            lastWrite = System.nanoTime();
        }
    }

    /** Up to {@code max} bytes of the file from {@code from}; none when it is shorter or absent. */
    static byte[] readFile(Path file, long from, long max) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long length = Math.max(0, Math.min(max, channel.size() - from));
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, Integer.MAX_VALUE - 8));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // reads until full or at the end
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            return new byte[0]; // a command that printed nothing leaves no file
        }
    }

    /** The length of {@code bytes} without a UTF-8 sequence cut off at its end. */
    private static int wholeCharacters(byte[] bytes) {
        for (int back = 1; back <= Math.min(3, bytes.length); back++) {
            int lead = bytes[bytes.length - back] & 0xFF;
            if (lead < 0x80) {
                return bytes.length;
            }
            if (lead >= 0xC0) {
                int needs = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
                return needs > back ? bytes.length - back : bytes.length;
            }
        }
        return bytes.length;
    }

    private static byte[] concat(List<byte[]> parts) {
        int length = parts.stream().mapToInt(part -> part.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
