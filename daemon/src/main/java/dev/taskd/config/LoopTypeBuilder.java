package dev.taskd.config;

import dev.taskd.source.ContentHash;
import dev.taskd.source.Position;
import dev.taskd.source.SourceFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a resolved loop type into a {@link LoopType}: checks what only the merged type can show
 * (exactly one action, references that resolve, a script that compiles, template variables that
 * exist), reads its script, and computes its version.
 */
final class LoopTypeBuilder {

    private final Map<String, SourceFile> templates;
    private final SourceReader reader;
    private final ScriptValidator scripts;
    private final List<Finding> findings;
    private final LoadCache.Session cache;
    /** Stands for every template's name, file and content: any of them can change what a build reports. */
    private final String templatesKey;

    LoopTypeBuilder(Map<String, SourceFile> templates, SourceReader reader, ScriptValidator scripts, List<Finding> findings,
                    LoadCache.Session cache) {
        this.templates = templates;
        this.reader = reader;
        this.scripts = scripts;
        this.findings = findings;
        this.cache = cache;
        StringBuilder manifest = new StringBuilder();
        templates.values().forEach(source -> manifest.append(source.path()).append('\n').append(source.display())
                .append('\n').append(source.hash()).append('\n'));
        this.templatesKey = ContentHash.of(manifest.toString());
    }

    /**
     * The built type, or empty when it has errors (all of them reported). A type whose files
     * (its chain of TOML files, its script) and the templates are unchanged since the last load is
     * that load's very {@link LoopType}, with the same warnings; only a type built without errors
     * is kept for the next load.
     *
     * @param chain the type's own file first, then those it extends (see {@link LoopTypeResolver#chains})
     */
    Optional<LoopType> build(String name, List<TomlDocument> chain) {
        LoadCache.TypeKey key = new LoadCache.TypeKey(name,
                chain.stream().map(document -> LoadCache.key(document.source())).toList(), templatesKey);
        Optional<LoadCache.BuiltType> kept = cache.builtType(key).filter(this::scriptUnchanged);
        if (kept.isPresent()) {
            findings.addAll(kept.get().findings());
            cache.reused(key, kept.get());
            return Optional.of(kept.get().type());
        }
        int first = findings.size();
        Optional<LoopType> built = buildAnew(LoopTypeResolver.resolution(name, chain));
        cache.built(key, built.map(loopType -> new LoadCache.BuiltType(loopType, findings.subList(first, findings.size()))));
        return built;
    }

    /** Whether the script a kept type was built with still reads the same (a command needs no check). */
    private boolean scriptUnchanged(LoadCache.BuiltType kept) {
        if (!(kept.type().action() instanceof LoopType.Script script)) {
            return true;
        }
        return reader.read(script.source().path()) instanceof SourceReader.Found found
                && LoadCache.key(found.source()).equals(LoadCache.key(script.source()));
    }

    private Optional<LoopType> buildAnew(LoopTypeResolver.Resolution type) {
        int before = errorCount();
        TypedValues values = new TypedValues(type::value, ConfigKeys.LOOP_TYPE);
        boolean isAbstract = values.flag("abstract");
        List<LoopType.Input> inputs = LoopTypeInputs.read(type.keys().get("inputs"), findings);
        TemplateUse use = new TemplateUse(type.name(), inputs, templates, findings);
        List<SourceFile> sources = new ArrayList<>(type.chain().stream().map(TomlDocument::source).toList());

        LoopType.Action action = action(type, isAbstract, use, sources);
        LoopType.Prompt prompt = prompt(type, use);
        Optional<LoopType.Validation> validation = validation(type, values, use);
        use.renderedTemplates().forEach(name -> sources.add(templates.get(name)));
        if (errorCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new LoopType(type.name(), values.text("description"), isAbstract, action, prompt, inputs,
                values.integer("max-iterations"), values.span("iteration-timeout"), values.span("delay"),
                LoopType.Backoff.valueOf(constant(values.text("backoff"))), values.span("max-delay"),
                LoopType.OnReload.valueOf(constant(values.text("on-reload"))),
                LoopType.Isolation.valueOf(constant(values.text("isolation"))), values.whole("max-tokens"),
                validation, ContentHash.ofSources(sources), sources, new LoopType.Gates(
                        LoopType.Approval.valueOf(constant(values.text("approval"))), values.decimal("max-cost"),
                        values.integer("stall-after"))));
    }

    private LoopType.Action action(LoopTypeResolver.Resolution type, boolean isAbstract, TemplateUse use,
                                   List<SourceFile> sources) {
        LoopTypeResolver.Located script = type.keys().get("script");
        LoopTypeResolver.Located command = type.keys().get("command");
        if (script != null && command != null) {
            LoopTypeResolver.Located second = script.position().compareTo(command.position()) > 0 ? script : command;
            report(second, "loop type '" + type.name() + "' has two actions, script and command",
                    "keep exactly one of them");
            return new LoopType.NoAction();
        }
        if (command != null) {
            use.checkInline("command", command.value().asText(), command);
            return new LoopType.Command(command.value().asText());
        }
        if (script != null) {
            return script(script, sources);
        }
        if (!isAbstract) {
            TomlDocument own = type.own();
            findings.add(Finding.error(own.source().display(), Position.START,
                    "loop type '" + type.name() + "' has no action",
                    "add script = \"" + type.name() + ".js\" or command = \"...\", or abstract = true if it is only extended"));
        }
        return new LoopType.NoAction();
    }

    /** A script is looked for beside the TOML file that names it. */
    private LoopType.Action script(LoopTypeResolver.Located script, List<SourceFile> sources) {
        if (!ValueRule.namesPath(script.value().asText())) {
            report(script, "script '" + script.value().asText() + "' cannot name a file here", "rename the script");
            return new LoopType.NoAction();
        }
        Path file = script.origin().source().path().resolveSibling(script.value().asText());
        switch (reader.read(file)) {
            case SourceReader.Failed failed -> report(script, "script '" + script.value().asText() + "': "
                    + failed.finding().message(), DidYouMean.hint(script.value().asText(), scriptsBeside(file)));
            case SourceReader.Found found -> {
                scripts.check(found.source()).ifPresent(findings::add);
                sources.add(found.source());
                return new LoopType.Script(found.source());
            }
        }
        return new LoopType.NoAction();
    }

    private List<String> scriptsBeside(Path file) {
        try {
            return reader.list(file.getParent(), ".js").stream().map(path -> path.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private LoopType.Prompt prompt(LoopTypeResolver.Resolution type, TemplateUse use) {
        LoopTypeResolver.Located template = type.keys().get("template");
        LoopTypeResolver.Located inline = type.keys().get("prompt");
        if (template != null && inline != null) {
            report(inline, "loop type '" + type.name() + "' has both template and prompt", "keep exactly one of them");
            return new LoopType.NoPrompt();
        }
        if (inline != null) {
            use.checkInline("prompt", inline.value().asText(), inline);
            return new LoopType.Inline(inline.value().asText());
        }
        if (template == null) {
            return new LoopType.NoPrompt();
        }
        String name = template.value().asText();
        if (!templates.containsKey(name)) {
            report(template, "template '" + name + "' does not exist in templates.paths",
                    DidYouMean.hint(name, templates.keySet()));
            return new LoopType.NoPrompt();
        }
        use.checkTemplate(name);
        return new LoopType.TemplateRef(name);
    }

    private Optional<LoopType.Validation> validation(LoopTypeResolver.Resolution type, TypedValues values,
                                                     TemplateUse use) {
        LoopTypeResolver.Located table = type.keys().get("validation");
        if (table == null) {
            return Optional.empty();
        }
        LoopTypeResolver.Located command = type.keys().get("validation.command");
        if (command == null || command.value().asText().isBlank()) {
            report(command == null ? table : command, "[validation] needs a command",
                    "add command = \"...\" under [validation], or remove the table");
            return Optional.empty();
        }
        use.checkInline("validation command", command.value().asText(), command);
        return Optional.of(new LoopType.Validation(command.value().asText(),
                values.integers("validation.success-exit-codes"), values.span("validation.timeout")));
    }

    private void report(LoopTypeResolver.Located where, String message, String fix) {
        findings.add(Finding.error(where.origin().source().display(), where.position(), message, fix));
    }

    private int errorCount() {
        return (int) findings.stream().filter(Finding::isError).count();
    }

    private static String constant(String configValue) {
        return configValue.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
