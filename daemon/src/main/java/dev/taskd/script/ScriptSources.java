package dev.taskd.script;

import dev.taskd.source.SourceFile;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.graalvm.polyglot.Source;

/**
 * Parsed script sources, one per script content and file name, so the shared engine parses each
 * version of a script once and every fresh context reuses that code. The name is part of the key
 * because it is what error locations show. Thread-safe. Entries are never evicted: there is one
 * per script version the daemon has run, which hot reload adds to slowly.
 */
final class ScriptSources {

    private final ConcurrentMap<String, Source> byHash = new ConcurrentHashMap<>();

    Source source(SourceFile script) {
        return byHash.computeIfAbsent(script.hash() + '/' + script.fileName(),
                key -> Source.newBuilder("js", script.text(), script.fileName())
                        .mimeType(GraalScriptCheck.MODULE_MIME_TYPE)
                        .buildLiteral());
    }
}
