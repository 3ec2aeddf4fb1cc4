package dev.taskd.config;

import dev.taskd.source.ContentHash;
import dev.taskd.source.Position;
import dev.taskd.source.SourceFile;
import dev.taskd.template.TemplateSyntax;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One pass over a configuration's files: reads and checks them, collecting findings and sources
 * as it goes. {@link ConfigLoader} is what callers keep and share (what to read, how to check
 * scripts, the cache between loads); it makes one pass per {@code load} and drops it, because
 * the findings and sources gathered here belong to that load only. Not thread-safe.
 */
final class LoadPass {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    private final SourceReader reader;
    private final ScriptValidator scripts;
    private final LoadCache.Session cache;
    private final List<Finding> findings = new ArrayList<>();
    private final List<SourceFile> sources = new ArrayList<>();

    LoadPass(SourceReader reader, ScriptValidator scripts, LoadCache.Session cache) {
        this.reader = reader;
        this.scripts = scripts;
        this.cache = cache;
    }

    /** Loads {@code configFile}; then hands what it parsed and built to the cache for the next load. */
    LoadResult load(Path configFile) {
        LoadResult result = loadAll(configFile);
        cache.finish();
        return result;
    }

    private LoadResult loadAll(Path configFile) {
        Path file = configFile.toAbsolutePath().normalize();
        Optional<TomlDocument> document = parse(file);
        if (document.isEmpty()) {
            return result(Optional.empty());
        }
        KeyChecker.check(document.get(), ConfigKeys.TASKD, findings);
        TaskdConfig config = TaskdConfig.bind(new TypedValues(document.get()::get, ConfigKeys.TASKD), file.getParent());
        scripts.dataDirectory(config.daemon().dataDir());
        Map<String, SourceFile> templates = readTemplates(document.get(), config);
        Map<String, LoopType> loopTypes = readLoopTypes(document.get(), config, templates);
        checkReferences(document.get(), config, loopTypes);
        ScheduleSettings.check(document.get(), config.schedules(), loopTypes, findings);
        NotifySettings.check(document.get(), loopTypes, findings);
        addScriptSources(loopTypes);
        Secrets secrets = SecretFiles.read(document.get(), config, reader, findings);
        if (findings.stream().anyMatch(Finding::isError)) {
            return result(Optional.empty());
        }
        return result(Optional.of(new ConfigSnapshot(configFile, config, loopTypes, templates, sources,
                ContentHash.ofSources(sources), secrets)));
    }

    private Optional<TomlDocument> parse(Path file) {
        switch (reader.read(file)) {
            case SourceReader.Failed failed -> {
                findings.add(failed.finding());
                return Optional.empty();
            }
            case SourceReader.Found found -> {
                sources.add(found.source());
                return switch (cache.parse(found.source())) {
                    case TomlDocument.Ok ok -> Optional.of(ok.document());
                    case TomlDocument.SyntaxError error -> {
                        findings.add(error.finding());
                        yield Optional.empty();
                    }
                };
            }
        }
    }

    private Map<String, SourceFile> readTemplates(TomlDocument config, TaskdConfig settings) {
        Map<String, SourceFile> templates = new TreeMap<>();
        List<Path> paths = settings.templates().paths();
        for (int i = 0; i < paths.size(); i++) {
            for (Path file : list(config, "templates.paths[" + i + "]", paths.get(i), ".mustache")) {
                String name = stem(file, ".mustache");
                SourceReader.Read read = reader.read(file);
                if (read instanceof SourceReader.Failed failed) {
                    findings.add(failed.finding());
                } else if (read instanceof SourceReader.Found found) {
                    if (templates.containsKey(name)) {
                        duplicate(found.source(), "template", name, templates.get(name));
                        continue;
                    }
                    if (!NAME.matcher(name).matches() || name.equals("paths")) {
                        findings.add(Finding.error(found.source().display(), Position.START, "template name '" + name
                                + "' must be lower-case letters, digits, '-' or '_', and not 'paths'", "rename the file"));
                        continue;
                    }
                    sources.add(found.source());
                    templates.put(name, found.source());
                    if (found.source().text().isBlank()) {
                        // An empty template is far more often a save caught half-way than a wish.
                        findings.add(Finding.error(found.source().display(), Position.START, "template is empty",
                                "write its text, or remove the file if it is not needed"));
                    }
                    TemplateSyntax.check(found.source().text()).ifPresent(problem -> findings.add(
                            Finding.error(found.source().display(), problem.position(),
                                    "template does not compile: " + problem.message(), "")));
                }
            }
        }
        return templates;
    }

    private Map<String, LoopType> readLoopTypes(TomlDocument config, TaskdConfig settings,
                                                Map<String, SourceFile> templates) {
        Map<String, TomlDocument> documents = new TreeMap<>();
        Set<String> unreadable = new HashSet<>();
        List<Path> paths = settings.loops().paths();
        for (int i = 0; i < paths.size(); i++) {
            for (Path file : list(config, "loops.paths[" + i + "]", paths.get(i), ".toml")) {
                String name = stem(file, ".toml");
                Optional<TomlDocument> document = parse(file);
                if (document.isEmpty()) {
                    unreadable.add(name);
                } else if (documents.containsKey(name)) {
                    duplicate(document.get().source(), "loop type", name, documents.get(name).source());
                } else if (!NAME.matcher(name).matches()) {
                    findings.add(Finding.error(document.get().source().display(), Position.START,
                            "loop type name '" + name + "' must be lower-case letters, digits, '-' or '_'",
                            "rename the file"));
                } else {
                    findings.addAll(cache.checkLoopTypeKeys(document.get()));
                    documents.put(name, document.get());
                }
            }
        }
        LoopTypeBuilder builder = new LoopTypeBuilder(templates, reader, scripts, findings, cache);
        Map<String, LoopType> loopTypes = new TreeMap<>();
        LoopTypeResolver.chains(documents, unreadable, findings).forEach((name, chain) ->
                builder.build(name, chain).ifPresent(type -> loopTypes.put(name, type)));
        return loopTypes;
    }

    /** Scripts are read while building types; the snapshot lists each once among its sources. */
    private void addScriptSources(Map<String, LoopType> loopTypes) {
        Set<Path> present = new HashSet<>(sources.stream().map(SourceFile::path).toList());
        for (LoopType type : loopTypes.values()) {
            if (type.action() instanceof LoopType.Script script && present.add(script.source().path())) {
                sources.add(script.source());
            }
        }
    }

    /** References from taskd.toml to things defined elsewhere. */
    private void checkReferences(TomlDocument config, TaskdConfig settings, Map<String, LoopType> loopTypes) {
        for (String type : settings.limits().perType().keySet()) {
            if (!loopTypes.containsKey(type)) {
                findings.add(Finding.warning(config.source().display(), config.positionOf("limits.per-type." + type),
                        "limits.per-type names '" + type + "', which is not a loop type (yet)",
                        DidYouMean.hint(type, loopTypes.keySet())));
            }
        }
        String model = settings.llm().defaultModel();
        if (!model.isEmpty()) {
            String provider = model.substring(0, model.indexOf('/'));
            if (!settings.llm().providers().containsKey(provider)) {
                findings.add(Finding.error(config.source().display(), config.positionOf("llm.default"),
                        "llm.default names provider '" + provider + "', which is not under [llm.providers]",
                        DidYouMean.hint(provider, settings.llm().providers().keySet())));
            }
        }
    }

    /** The files of one configured directory; a directory that cannot be listed is a finding at its key. */
    private List<Path> list(TomlDocument config, String key, Path directory, String suffix) {
        if (!reader.isDirectory(directory)) {
            findings.add(Finding.error(config.source().display(), config.positionOf(key),
                    key.substring(0, key.indexOf('[')) + " names " + reader.display(directory)
                            + ", which is not a directory", "create it or correct the path"));
            return List.of();
        }
        try {
            return reader.list(directory, suffix);
        } catch (IOException e) {
            findings.add(Finding.error(config.source().display(), config.positionOf(key),
                    "cannot list " + reader.display(directory) + ": " + e.getMessage(), ""));
            return List.of();
        }
    }

    private void duplicate(SourceFile second, String what, String name, SourceFile first) {
        findings.add(Finding.error(second.display(), Position.START,
                what + " '" + name + "' is also defined by " + first.display(), "rename or remove one of them"));
    }

    private LoadResult result(Optional<ConfigSnapshot> snapshot) {
        List<Finding> unique = new ArrayList<>(new LinkedHashSet<>(findings));
        unique.sort(Finding.READING_ORDER);
        return new LoadResult(snapshot, unique);
    }

    private static String stem(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - suffix.length());
    }
}
