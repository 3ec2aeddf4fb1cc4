package dev.taskd.template;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.taskd.source.Position;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compiles templates with JMustache, the same compiler the loop engine renders with. */
public final class TemplateSyntax {

    /** JMustache ends its parse messages with {@code @ line N}; that is all the place it gives. */
    private static final Pattern AT_LINE = Pattern.compile("\\s*@ line (\\d+)\\s*$");

    private static final Mustache.Compiler COMPILER = compiler();

    /** A compile error: where (line only; column 1) and JMustache's message without the place. */
    public record Problem(Position position, String message) {
    }

    private TemplateSyntax() {
    }

    /**
     * The compiler taskd renders with: no HTML escaping (prompts and command lines are not HTML);
     * a missing variable is an error (JMustache's default), a missing section or an empty string
     * section ({@code {{#previous-output}}} before any output) renders nothing.
     */
    public static Mustache.Compiler compiler() {
        return Mustache.compiler().escapeHTML(false).strictSections(false).emptyStringIsFalse(true);
    }

    public static Template compile(String text) {
        return COMPILER.compile(text);
    }

    /**
     * JMustache gives only a line; the column is that of the first tag on the line whose name
     * the message quotes ({@code Section missing close tag 'a'}), else 1.
     */
    private static Position column(List<TemplateTags.Tag> tags, int line, String message) {
        for (TemplateTags.Tag tag : tags) {
            if (tag.position().line() == line && message.contains("'" + tag.name() + "'")) {
                return tag.position();
            }
        }
        return new Position(line, 1);
    }

    /** The compile error of {@code text}, or empty when it compiles. */
    public static Optional<Problem> check(String text) {
        TemplateTags.Scan scan = TemplateTags.scan(text);
        if (scan.tooDeep().isPresent()) {
            return Optional.of(new Problem(scan.tooDeep().get(),
                    "sections nested more than " + TemplateTags.MAX_SECTION_DEPTH + " deep"));
        }
        // JMustache 1.16 fails on these with StringIndexOutOfBoundsException rather than a parse error.
        for (TemplateTags.Tag tag : scan.tags()) {
            if (tag.kind() == TemplateTags.Kind.VARIABLE && (tag.name().isEmpty() || tag.name().equals("="))) {
                return Optional.of(new Problem(tag.position(), tag.name().isEmpty()
                        ? "empty tag; put a variable name between the braces"
                        : "'=' tag names no delimiters; write {{=<% %>=}} to change them"));
            }
        }
        try {
            compile(text);
            return Optional.empty();
        } catch (MustacheException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            Matcher line = AT_LINE.matcher(message);
            if (line.find()) {
                String what = message.substring(0, line.start());
                return Optional.of(new Problem(column(scan.tags(), Integer.parseInt(line.group(1)), what), what));
            }
            return Optional.of(new Problem(Position.START, message));
        } catch (RuntimeException e) {
            // Backstop for other JMustache crashes on malformed input: a finding, never an escaped exception.
            return Optional.of(new Problem(Position.START, "the template compiler cannot read it ("
                    + e.getClass().getSimpleName() + ")"));
        }
    }
}
