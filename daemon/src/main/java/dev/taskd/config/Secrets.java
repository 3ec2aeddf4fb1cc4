package dev.taskd.config;

import dev.taskd.source.ContentHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the secret files of a configuration held when it was loaded: the bearer tokens of
 * {@code auth.token-file} and the state of each {@code llm.providers.NAME.api-key-file}. Part of
 * a generation, so that a rotated file is a change that a reload applies and audits, but never
 * part of what is written: snapshots do not store it, and {@link #changes} describes a change
 * with a count ({@code (redacted: 2 tokens)}) and never with text, length or a digest of it.
 *
 * <p>Only SHA-256 digests are held, in memory; nothing of them leaves the process. Immutable and
 * thread-safe; {@link #toString()} shows counts only.
 */
public final class Secrets {

    /** A configuration without secret files. */
    public static final Secrets NONE = new Secrets(Optional.empty(), Map.of());

    /** What an {@code api-key-file} held: a key (by digest), nothing, or it could not be read. */
    public sealed interface KeyFile {
        /** The change value shown for it: never the key, its length or its digest. */
        String shown();
    }

    public record Key(String digest) implements KeyFile {
        public String shown() {
            return "(redacted)";
        }

        @Override
        public String toString() {
            return "Key[redacted]";
        }
    }

    public record Empty() implements KeyFile {
        public String shown() {
            return "(empty)";
        }
    }

    public record Unreadable() implements KeyFile {
        public String shown() {
            return "(unreadable)";
        }
    }

    /** Digests of the tokens, present when a token file is configured (and was read). */
    private final Optional<List<byte[]>> tokens;
    /** The same digests as hex, sorted: what {@link #equals} compares (order and repeats do not count). */
    private final Optional<Set<String>> tokenSet;
    private final Map<String, KeyFile> keyFiles;

    private Secrets(Optional<List<byte[]>> tokens, Map<String, KeyFile> keyFiles) {
        this.tokens = tokens.map(List::copyOf);
        this.tokenSet = tokens.map(digests -> {
            Set<String> hex = new TreeSet<>();
            digests.forEach(digest -> hex.add(HexFormat.of().formatHex(digest)));
            return Set.copyOf(hex);
        });
        this.keyFiles = Map.copyOf(keyFiles);
    }

    /**
     * @param tokens   the tokens of the token file, or empty when none is configured
     * @param keyFiles what each provider's {@code api-key-file} held, for providers that name one
     */
    public static Secrets of(Optional<List<String>> tokens, Map<String, KeyFile> keyFiles) {
        return new Secrets(tokens.map(list -> list.stream().map(Secrets::digest).toList()), keyFiles);
    }

    /** The {@link KeyFile} for a key file's content: its digest when, trimmed, it holds anything. */
    public static KeyFile keyFile(String content) {
        String key = content.strip();
        return key.isEmpty() ? new Empty() : new Key(HexFormat.of().formatHex(digest(key)));
    }

    /** SHA-256 of a token as UTF-8: how tokens are held and compared. */
    public static byte[] digest(String token) {
        return HexFormat.of().parseHex(ContentHash.of(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Digests of the token file's tokens; empty when no token file is configured or it holds none. */
    public List<byte[]> tokenDigests() {
        return tokens.orElse(List.of());
    }

    /** Whether {@code offered} (a digest from {@link #digest}) is one of the token file's, in constant time per token. */
    public boolean acceptsToken(byte[] offered) {
        boolean match = false;
        for (byte[] known : tokenDigests()) {
            match |= MessageDigest.isEqual(known, offered);
        }
        return match;
    }

    /**
     * The changes from {@code before} to {@code after}, as {@code auth.tokens} and
     * {@code llm.providers.NAME.api-key}: added when the file came to be configured, removed
     * when it no longer is, modified when what it holds differs. Values say how many tokens, or
     * whether a key is there; never what.
     */
    static List<Change> changes(Secrets before, Secrets after) {
        List<Change> changes = new ArrayList<>();
        if (before.tokenSet.isPresent() && after.tokenSet.isPresent()) {
            if (!before.tokenSet.equals(after.tokenSet)) {
                changes.add(Change.modified("auth.tokens", before.shownTokens(), after.shownTokens()));
            }
        } else if (after.tokenSet.isPresent()) {
            changes.add(Change.added("auth.tokens", after.shownTokens()));
        } else if (before.tokenSet.isPresent()) {
            changes.add(Change.removed("auth.tokens", before.shownTokens()));
        }
        Map<String, KeyFile> union = new TreeMap<>(before.keyFiles);
        union.putAll(after.keyFiles);
        union.keySet().forEach(provider -> {
            String key = "llm.providers." + provider + ".api-key";
            KeyFile old = before.keyFiles.get(provider);
            KeyFile now = after.keyFiles.get(provider);
            if (old == null) {
                changes.add(Change.added(key, now.shown()));
            } else if (now == null) {
                changes.add(Change.removed(key, old.shown()));
            } else if (!old.equals(now)) {
                changes.add(Change.modified(key, old.shown(), now.shown()));
            }
        });
        return changes;
    }

    /**
     * One salted SHA-256 per secret diff key ({@code auth.tokens}, {@code llm.providers.NAME.api-key})
     * of what it holds, so that a start can tell which secrets changed while the daemon was
     * stopped without keeping them: the store keeps these and a random salt of its own, never a
     * token or its plain digest.
     */
    public Map<String, String> fingerprints(byte[] salt) {
        Map<String, String> fingerprints = new TreeMap<>();
        tokenSet.ifPresent(set -> fingerprints.put("auth.tokens", salted(salt, String.join(",", set))));
        keyFiles.forEach((provider, file) -> fingerprints.put("llm.providers." + provider + ".api-key",
                salted(salt, file instanceof Key key ? "key:" + key.digest() : file.shown())));
        return fingerprints;
    }

    /**
     * The changes between fingerprints of {@link #fingerprints} (with the same salt), as
     * {@link #changes} names them; values are only "(redacted)", since nothing else is known.
     */
    public static List<Change> changes(Map<String, String> before, Map<String, String> after) {
        List<Change> changes = new ArrayList<>();
        Map<String, String> union = new TreeMap<>(before);
        union.putAll(after);
        for (String key : union.keySet()) {
            String old = before.get(key);
            String now = after.get(key);
            if (old == null) {
                changes.add(Change.added(key, "(redacted)"));
            } else if (now == null) {
                changes.add(Change.removed(key, "(redacted)"));
            } else if (!old.equals(now)) {
                changes.add(Change.modified(key, "(redacted)", "(redacted)"));
            }
        }
        return changes;
    }

    private static String salted(byte[] salt, String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    private String shownTokens() {
        int count = tokenSet.map(Set::size).orElse(0);
        return "(redacted: " + count + (count == 1 ? " token)" : " tokens)");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secrets that && tokenSet.equals(that.tokenSet) && keyFiles.equals(that.keyFiles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokenSet, keyFiles);
    }

    /** Counts only: {@code Secrets[tokens=2, key files=[claude]]}. */
    @Override
    public String toString() {
        return "Secrets[tokens=" + tokenSet.map(set -> String.valueOf(set.size())).orElse("none")
                + ", key files=" + new TreeSet<>(keyFiles.keySet()) + "]";
    }
}
