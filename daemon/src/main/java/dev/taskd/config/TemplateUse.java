package dev.taskd.config;

import dev.taskd.source.Position;
import dev.taskd.source.SourceFile;
import dev.taskd.template.TemplateSyntax;
import dev.taskd.template.TemplateTags;
import dev.taskd.template.TemplateVariables;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what one loop type renders — its template file (and the partials that one includes),
 * inline prompt or command line — against what the type provides: its inputs and the built-in
 * variables. Inside {@code {{#progress}}} the progress fields are known too; inside a section over
 * an input nothing can be known of the items, so names there are not checked.
 */
final class TemplateUse {

    private final String typeName;
    private final Set<String> known;
    private final Map<String, SourceFile> templates;
    private final List<Finding> findings;
    private final Set<String> rendered = new LinkedHashSet<>();

    /** A problem found in a template's text, at a place in that text. */
    private record Problem(Position position, String message, String fix) {
    }

    TemplateUse(String typeName, List<LoopType.Input> inputs, Map<String, SourceFile> templates, List<Finding> findings) {
        this.typeName = typeName;
        this.templates = templates;
        this.findings = findings;
        Set<String> names = new TreeSet<>(TemplateVariables.BUILT_INS);
        inputs.forEach(input -> names.add(input.name()));
        this.known = Set.copyOf(names);
    }

    /** Checks the template file {@code name} and every partial it includes, each once. */
    void checkTemplate(String name) {
        SourceFile template = templates.get(name);
        if (template == null || !rendered.add(name)) {
            return;
        }
        for (Problem problem : problems(template.text())) {
            findings.add(Finding.error(template.display(), problem.position(), problem.message(), problem.fix()));
        }
    }

    /** Checks template text held in a TOML string ({@code prompt}, {@code command}); findings point at its key. */
    void checkInline(String what, String text, LoopTypeResolver.Located where) {
        TemplateSyntax.check(text).ifPresent(problem -> findings.add(Finding.error(where.origin().source().display(),
                where.position(), what + " does not compile as a template: " + problem.message(), "")));
        for (Problem problem : problems(text)) {
            findings.add(Finding.error(where.origin().source().display(), where.position(),
                    what + ": " + problem.message(), problem.fix()));
        }
    }

    /** The names of every template file this type renders, partials included, in the order met. */
    List<String> renderedTemplates() {
        return List.copyOf(rendered);
    }

    private List<Problem> problems(String text) {
        List<Problem> problems = new ArrayList<>();
        TemplateTags.Scan scan = TemplateTags.scan(text);
        for (TemplateTags.Unclosed unclosed : scan.unclosed()) {
            problems.add(new Problem(unclosed.position(), "tag opened with '" + unclosed.opener() + "' is never closed",
                    "close it, or write the braces some other way if they are meant as text"));
        }
        for (TemplateTags.Tag tag : scan.tags()) {
            switch (tag.kind()) {
                case VARIABLE, SECTION, INVERTED -> checkName(tag).ifPresent(problems::add);
                case PARTIAL -> {
                    if (templates.containsKey(tag.name())) {
                        checkTemplate(tag.name());
                    } else {
                        problems.add(new Problem(tag.position(), "partial '" + tag.name() + "' names no template",
                                DidYouMean.hint(tag.name(), templates.keySet())));
                    }
                }
                case CLOSE, COMMENT -> { }
            }
        }
        return problems;
    }

    private Optional<Problem> checkName(TemplateTags.Tag tag) {
        boolean inProgress = tag.sections().contains(TemplateVariables.PROGRESS);
        boolean inInputSection = tag.sections().stream().anyMatch(section -> !section.equals(TemplateVariables.PROGRESS));
        String root = tag.root();
        if (inInputSection || known.contains(root) || TemplateVariables.MUSTACHE_SPECIALS.contains(root)
                || (inProgress && TemplateVariables.PROGRESS_FIELDS.contains(root))) {
            return Optional.empty();
        }
        Set<String> candidates = new TreeSet<>(known);
        if (inProgress) {
            candidates.addAll(TemplateVariables.PROGRESS_FIELDS);
        }
        String fix = DidYouMean.hint(root, candidates);
        return Optional.of(new Problem(tag.position(), "variable '" + root + "' is neither an input of loop type '"
                + typeName + "' nor a built-in", fix.isEmpty() ? "declare it in inputs of loop type '" + typeName + "'" : fix));
    }
}
