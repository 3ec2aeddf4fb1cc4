package dev.taskd.process;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live output of each loop's running command, for readers that follow it as it is written
 * ({@code GET /v1/loops/{id}/output}). A command publishes every chunk as it is read, after its
 * output file got it; the hub keeps only the last {@link #KEPT_BYTES} of each loop's current
 * command, with the stream each byte came from. A reader asks for the bytes from a
 * {@link Position} on: the hub hands the chunks it holds, or says to read the command's output
 * file when the reader fell behind what it holds or the command has ended. So a slow reader costs
 * the command nothing: publishing never waits for a reader, only for this loop's short lock.
 *
 * <p>Offsets count the bytes of a command's output as read, stdout and stderr interleaved in the
 * order they arrived, which is the order of its output file (until {@code limits.max-output}
 * truncates it): one offset says where a reader is in both streams, so one {@code Last-Event-ID}
 * resumes with nothing lost or repeated. Thread-safe.
 */
public final class OutputHub {

    /** What each loop keeps of its current command in memory. */
    public static final int KEPT_BYTES = 64 * 1024; // 64 MiB for 1,000 chatty loops at most
    private static final Pattern FILE_NAME = Pattern.compile("(\\d+)-(action|validation)\\.log");

    /** The commands of an iteration, in the order they run. */
    public static final List<String> COMMANDS = List.of("action", "validation");

    /** A place in a loop's output: the next byte wanted of a command of an iteration. */
    public record Position(int iteration, String command, long offset) {

        /** The start of the command that runs after this one. */
        public Position next() {
            return command.equals("action") ? new Position(iteration, "validation", 0)
                    : new Position(iteration + 1, "action", 0);
        }

        /** Whether this position's command runs before {@code other}'s (offsets aside). */
        public boolean before(Position other) {
            return iteration != other.iteration ? iteration < other.iteration
                    : COMMANDS.indexOf(command) < COMMANDS.indexOf(other.command);
        }

        boolean sameCommand(Position other) {
            return iteration == other.iteration && command.equals(other.command);
        }
    }

    /** Bytes of one stream ({@link Child#STDOUT} or {@link Child#STDERR}) at {@code offset} of its command. */
    public record Chunk(Position at, int stream, byte[] bytes) {
        public long end() {
            return at.offset() + bytes.length;
        }
    }

    /** What a reader gets: chunks, or where to read instead, or nothing yet. */
    public sealed interface Read {
    }

    /** Chunks that continue the position asked for, the first trimmed to start there. */
    public record Chunks(List<Chunk> chunks) implements Read {
    }

    /**
     * Read the position's command from its output file: up to {@code upTo} (where the hub's chunks
     * begin) when it runs still, else to the file's end and then go on at {@link Position#next()}.
     */
    public record FromFile(Path file, boolean ended, long upTo) implements Read {
    }

    /** Nothing after the position yet; {@code current} is where the loop's current command starts, if one is known. */
    public record Nothing(Optional<Position> current) implements Read {
    }

    private final Path loopsDir;
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    /** @param loopsDir {@code DATA_DIR/loops}, where each loop's output files are kept */
    public OutputHub(Path loopsDir) {
        this.loopsDir = loopsDir;
    }

    /** The output file of a command of a loop's iteration; it exists once the command printed. */
    public Path file(String loopId, int iteration, String command) {
        return loopsDir.resolve(loopId).resolve(iteration + "-" + command + ".log");
    }

    /**
     * Starts publishing a command whose output goes to {@code file}; null (nothing to publish)
     * when the file is not an iteration's action or validation log.
     */
    Publisher open(String loopId, Path file) {
        Matcher name = file == null || loopId == null ? null : FILE_NAME.matcher(file.getFileName().toString());
        if (name == null || !name.matches()) {
            return null;
        }
        Feed feed = feeds.computeIfAbsent(loopId, id -> new Feed());
        Position start = new Position(Integer.parseInt(name.group(1)), name.group(2), 0);
        synchronized (feed) {
            feed.start(start, file);
        }
        return new Publisher(feed);
    }

    /** Forgets a loop that ended: its output is in its files. */
    public void forget(String loopId) {
        Feed feed = feeds.remove(loopId);
        if (feed != null) {
            synchronized (feed) {
                feed.notifyAll();
            }
        }
    }

    /** Where the loop's current (or last) command starts, when the hub knows one. */
    public Optional<Position> current(String loopId) {
        Feed feed = feeds.get(loopId);
        if (feed == null) {
            return Optional.empty();
        }
        synchronized (feed) {
            return Optional.ofNullable(feed.start);
        }
    }

    /**
     * What follows {@code from}, waiting at most {@code waitMillis} for it when nothing does yet.
     * Never blocks a publisher beyond copying references.
     */
    public Read read(String loopId, Position from, long waitMillis) throws InterruptedException {
        Feed feed = feeds.get(loopId);
        if (feed == null) {
            return new Nothing(Optional.empty());
        }
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        synchronized (feed) {
            while (true) {
                Read read = feed.after(from);
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (!(read instanceof Nothing) || left <= 0 || feeds.get(loopId) != feed) {
                    return read;
                }
                feed.wait(left);
            }
        }
    }

    /** A loop's current command, guarded by the feed's own lock. */
    private static final class Feed {
        private final ArrayDeque<Chunk> kept = new ArrayDeque<>();
        private Position start;
        private Path file;
        private long written;
        private long keptBytes;
        private boolean ended;

        void start(Position at, Path output) {
            start = at;
            file = output;
            written = 0;
            kept.clear();
            keptBytes = 0;
            ended = false;
            notifyAll();
        }

        void add(Chunk chunk) {
            kept.addLast(chunk);
            written = chunk.end();
            keptBytes += chunk.bytes().length;
            while (keptBytes > KEPT_BYTES && kept.size() > 1) {
                keptBytes -= kept.removeFirst().bytes().length;
            }
            notifyAll();
        }

        Read after(Position from) {
            if (start == null || start.before(from)) {
                return new Nothing(Optional.ofNullable(start));
            }
            if (!start.sameCommand(from)) {
                return new FromFile(file.resolveSibling(from.iteration() + "-" + from.command() + ".log"), true,
                        Long.MAX_VALUE);
            }
            long firstKept = kept.isEmpty() ? written : kept.getFirst().at().offset();
            if (from.offset() < firstKept) {
                return new FromFile(file, false, firstKept);
            }
            List<Chunk> chunks = new ArrayList<>();
            for (Chunk chunk : kept) {
                if (chunk.end() > from.offset()) {
                    chunks.add(chunk.at().offset() >= from.offset() ? chunk : trim(chunk, from.offset()));
                }
            }
            if (chunks.isEmpty()) {
                return ended ? new FromFile(file, true, Long.MAX_VALUE) : new Nothing(Optional.of(start));
            }
            return new Chunks(chunks);
        }

        private static Chunk trim(Chunk chunk, long from) {
            int skip = (int) (from - chunk.at().offset());
            return new Chunk(new Position(chunk.at().iteration(), chunk.at().command(), from), chunk.stream(),
                    Arrays.copyOfRange(chunk.bytes(), skip, chunk.bytes().length));
        }
    }

    /** What a running command publishes through; used by the command's output thread only. */
    static final class Publisher {
        private final Feed feed;
        private Position start;

        Publisher(Feed feed) {
            this.feed = feed;
            synchronized (feed) {
                this.start = feed.start;
            }
        }

        /** Copies the bytes: the caller reuses its buffer. */
        void write(int stream, byte[] bytes, int offset, int length) {
            byte[] copy = Arrays.copyOfRange(bytes, offset, offset + length);
            synchronized (feed) {
                if (feed.start == start) {
                    feed.add(new Chunk(new Position(start.iteration(), start.command(), feed.written), stream, copy));
                }
            }
        }

        /** The command ended: a reader that has all it printed moves on to the next. */
        void end() {
            synchronized (feed) {
                if (feed.start == start) {
                    feed.ended = true;
                    feed.notifyAll();
                }
            }
        }
    }
}
