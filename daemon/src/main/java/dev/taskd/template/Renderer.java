package dev.taskd.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.taskd.source.SourceFile;
import java.io.StringReader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the templates of one configuration: named template files (with their partials) and
 * template text held in loop types (inline prompts, command lines). Compiled templates are cached
 * by content, so each is compiled once however many iterations render it. Thread-safe.
 */
public final class Renderer {

    private final Map<String, SourceFile> templates;
    private final Mustache.Compiler compiler;
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();

    /** @param templates the configuration's template files by name; partials resolve among them */
    public Renderer(Map<String, SourceFile> templates) {
        this.templates = Map.copyOf(templates);
        this.compiler = TemplateSyntax.compiler().withLoader(name -> {
            SourceFile partial = this.templates.get(name);
            if (partial == null) {
                throw new MustacheException("partial '" + name + "' names no template");
            }
            return new StringReader(partial.text());
        });
    }

    /**
     * Renders the template file {@code name}.
     *
     * @throws RenderException when there is no such template or rendering fails (a variable
     *                         missing from {@code variables}); the message says which
     */
    public String renderTemplate(String name, Map<String, ?> variables) {
        SourceFile template = templates.get(name);
        if (template == null) {
            throw new RenderException("template '" + name + "' does not exist");
        }
        return render("template '" + name + "'", template.text(), variables);
    }

    /** Renders template text; {@code what} names it in errors ({@code "command of loop type 'fix'"}). */
    public String renderText(String what, String text, Map<String, ?> variables) {
        return render(what, text, variables);
    }

    private String render(String what, String text, Map<String, ?> variables) {
        try {
            return compiled.computeIfAbsent(text, compiler::compile).execute(variables);
        } catch (MustacheException e) {
            throw new RenderException("cannot render " + what + ": " + e.getMessage(), e);
        }
    }

    /** Rendering failed; the message names the template and the cause. */
    public static final class RenderException extends RuntimeException {
        public RenderException(String message) {
            super(message);
        }

        public RenderException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
