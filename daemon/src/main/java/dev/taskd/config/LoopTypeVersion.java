package dev.taskd.config;

import java.util.List;

/**
 * A loop type's version: one hash over the hashes of every source it is made of, each tagged
 * with its file name so that moving content from one file to another changes the version.
 * Directories are left out, so the same files elsewhere give the same version.
 */
final class LoopTypeVersion {

    private LoopTypeVersion() {
    }

    static String of(List<SourceFile> sources) {
        StringBuilder manifest = new StringBuilder();
        for (SourceFile source : sources) {
            manifest.append(source.fileName()).append(' ').append(source.hash()).append('\n');
        }
        return ContentHash.of(manifest.toString());
    }
}
