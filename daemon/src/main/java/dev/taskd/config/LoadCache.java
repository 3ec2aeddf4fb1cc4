package dev.taskd.config;

import dev.taskd.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one load of a configuration lends the next: parsed TOML files and built loop types, keyed
 * by the content they were made from, so that a reload with one changed file out of a thousand
 * parses and builds that one file's type only. Every file is still read and hashed on each load;
 * only work whose inputs are byte for byte the same is skipped, so a load with the cache gives
 * what a load without it gives.
 *
 * <p>Bounded: a load keeps only the entries it used, so the cache never holds more than one
 * configuration's worth, however many reloads, rollbacks or edits come and go. A content that
 * comes back after a load without it is parsed again.
 *
 * <p>Thread-safe: a load reads the entries the last finished load kept and records its own;
 * when two loads overlap, the one that finishes last is kept.
 */
public final class LoadCache {

    private volatile Entries last = new Entries(Map.of(), Map.of(), Map.of());
    private volatile Counts lastCounts = new Counts(0, 0);

    private record Entries(Map<FileKey, TomlDocument.Parsed> documents, Map<FileKey, List<Finding>> keyFindings,
                           Map<TypeKey, BuiltType> types) {
    }

    /** A type built without errors, with the findings (warnings) its build reported. */
    record BuiltType(LoopType type, List<Finding> findings) {
        BuiltType {
            findings = List.copyOf(findings);
        }
    }

    /** How many files the last finished load parsed and how many types it built, rather than reused. */
    record Counts(int parsed, int built) {
    }

    Counts lastCounts() {
        return lastCounts;
    }

    Session begin() {
        return new Session(last);
    }

    /** One load's use of the cache; confined to the thread doing that load. */
    final class Session {
        private final Entries previous;
        private final Map<FileKey, TomlDocument.Parsed> documents = new HashMap<>();
        private final Map<FileKey, List<Finding>> keyFindings = new HashMap<>();
        private final Map<TypeKey, BuiltType> types = new HashMap<>();
        private int parsed;
        private int built;

        private Session(Entries previous) {
            this.previous = previous;
        }

        /** {@link TomlDocument#parse}, or what it gave last time for the same file and content. */
        TomlDocument.Parsed parse(SourceFile source) {
            FileKey key = key(source);
            TomlDocument.Parsed document = documents.get(key);
            if (document == null) {
                document = previous.documents().get(key);
            }
            if (document == null) {
                document = TomlDocument.parse(source);
                parsed++;
            }
            documents.put(key, document);
            return document;
        }

        /** {@link KeyChecker#check} of a loop-type file against {@link ConfigKeys#LOOP_TYPE}, or its last answer. */
        List<Finding> checkLoopTypeKeys(TomlDocument document) {
            FileKey key = key(document.source());
            List<Finding> found = keyFindings.get(key);
            if (found == null) {
                found = previous.keyFindings().get(key);
            }
            if (found == null) {
                List<Finding> checked = new ArrayList<>();
                KeyChecker.check(document, ConfigKeys.LOOP_TYPE, checked);
                found = List.copyOf(checked);
            }
            keyFindings.put(key, found);
            return found;
        }

        /** The type built last time from the same inputs ({@code key}), if any; the caller checks its script. */
        Optional<BuiltType> builtType(TypeKey key) {
            return Optional.ofNullable(previous.types().get(key));
        }

        /** Keeps a type reused from the last load for the next one too. */
        void reused(TypeKey key, BuiltType type) {
            types.put(key, type);
        }

        /** Counts a build from scratch; keeps its type for the next load when it had no errors. */
        void built(TypeKey key, Optional<BuiltType> type) {
            type.ifPresent(kept -> types.put(key, kept));
            built++;
        }

        /** Makes what this load used the cache of the next; everything else is dropped. */
        void finish() {
            // Handed over, not copied: the session is done with them, and the next load only reads them.
            last = new Entries(Collections.unmodifiableMap(documents), Collections.unmodifiableMap(keyFindings),
                    Collections.unmodifiableMap(types));
            lastCounts = new Counts(parsed, built);
        }
    }

    /** A file's identity for the cache: where it is, how findings name it, and its content hash. */
    record FileKey(Path path, String display, String hash) {
    }

    static FileKey key(SourceFile source) {
        return new FileKey(source.path(), source.display(), source.hash());
    }

    /**
     * What a loop type is built from: its name, its chain of files (its own first) and every
     * template ({@code templates} stands for their names, files and contents).
     */
    record TypeKey(String name, List<FileKey> chain, String templates) {
    }
}
