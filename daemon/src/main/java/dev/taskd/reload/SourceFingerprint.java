package dev.taskd.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.taskd.config.SourceTree;
import dev.taskd.config.ValueRule;
import dev.taskd.source.ContentHash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cheap fingerprint of the configuration files — taskd.toml, every file in the loop-type and
 * template directories it names, and the secret files it names (the token file, API key
 * files) — without validating anything. Computed afresh on every call from what a
 * {@link SourceTree} reads now; {@link RecentFingerprint} is the copy status reuses for a while.
 * The resync compares it to notice changes that file events missed, and status compares it to
 * tell drift. It is held in memory only, never written or shown: it covers the secret files'
 * content.
 */
final class SourceFingerprint {

    private static final TomlMapper TOML = new TomlMapper();

    private SourceFingerprint() {
    }

    /** The fingerprint of the disk; files that cannot be read count as their error, so their return is a change. */
    static String of(Path configFile) {
        return of(configFile, SourceTree.DISK);
    }

    /** The fingerprint of the files as {@code tree} reads them (the disk, through one reload's reading). */
    static String of(Path configFile, SourceTree tree) {
        StringBuilder manifest = new StringBuilder();
        Path config = configFile.toAbsolutePath().normalize();
        byte[] content = bytes(tree, config, manifest);
        List<Path> directories = new ArrayList<>();
        if (content != null) {
            directories.addAll(paths(config, content, "loops", "../loop-types"));
            directories.addAll(paths(config, content, "templates", "../templates"));
            for (Path secret : secretFiles(config, content)) {
                bytes(tree.secrets(), secret, manifest);
            }
        }
        for (Path directory : directories) {
            try {
                for (Path file : tree.list(directory).stream().sorted().toList()) {
                    if (!file.getFileName().toString().startsWith(".")) {
                        bytes(tree, file, manifest);
                    }
                }
            } catch (IOException e) {
                manifest.append(directory).append(" unreadable ").append(e.getClass().getSimpleName()).append('\n');
            }
        }
        return ContentHash.of(manifest.toString());
    }

    private static byte[] bytes(SourceTree tree, Path file, StringBuilder manifest) {
        try {
            byte[] content = tree.read(file);
            manifest.append(file).append(' ').append(ContentHash.of(content)).append('\n');
            return content;
        } catch (IOException e) {
            manifest.append(file).append(" unreadable ").append(e.getClass().getSimpleName()).append('\n');
            return null;
        }
    }

    /**
     * The secret files taskd.toml names, resolved beside it: {@code auth.token-file} and every
     * {@code llm.providers.NAME.api-key-file}; none when it does not parse.
     */
    static List<Path> secretFiles(Path config, byte[] content) {
        List<Path> files = new ArrayList<>();
        try {
            JsonNode root = TOML.readTree(content);
            addPath(config, root.path("auth").path("token-file"), files);
            root.path("llm").path("providers").forEach(provider -> addPath(config, provider.path("api-key-file"), files));
        } catch (IOException e) {
            // An unparsable config names no secret file until it parses again; validation reports it.
        }
        return files;
    }

    private static void addPath(Path config, JsonNode value, List<Path> files) {
        if (value.isTextual() && !value.asText().isEmpty() && ValueRule.namesPath(value.asText())) {
            files.add(config.getParent().resolve(value.asText()).normalize());
        }
    }

    /** The {@code [table] paths} of taskd.toml resolved beside it; the default when absent or unparsable. */
    static List<Path> paths(Path config, byte[] content, String table, String fallback) {
        List<Path> paths = new ArrayList<>();
        try {
            JsonNode listed = TOML.readTree(content).path(table).path("paths");
            if (listed.isArray()) {
                // A path that cannot exist (NUL, unencodable) names nothing to watch; validation reports it.
                listed.forEach(path -> {
                    if (ValueRule.namesPath(path.asText())) {
                        paths.add(config.getParent().resolve(path.asText()).normalize());
                    }
                });
                return paths;
            }
        } catch (IOException e) {
            // An unparsable config watches the default directories until it parses again.
        }
        paths.add(config.getParent().resolve(fallback).normalize());
        return paths;
    }
}
