package dev.taskd.config;

import dev.taskd.source.SourceFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a configuration load asks of a loop type's script: that it compiles as an ES module and
 * exports {@code iterate}. An interface so that the config package stays free of the script
 * engine; the daemon and the CLI pass the GraalJS implementation,
 * the script package's GraalScriptCheck, and tests may pass a lambda.
 */
@FunctionalInterface
public interface ScriptValidator {

    /** What is wrong with {@code script}, located in it; empty when it is fine. Never throws. */
    Optional<Finding> check(SourceFile script);

    /**
     * Told, before the first check of each load, the data directory the configuration names. A
     * checker that keeps verdicts across starts reads them there; by default nothing is kept.
     * Must not create anything: a refused configuration leaves no trace.
     */
    default void dataDirectory(Path dataDir) {
    }
}
