package dev.taskd.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskd.source.Position;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateTagsTest {

    @Test
    void findsEachTagWithItsPlaceAndKind() {
        TemplateTags.Scan scan = TemplateTags.scan("Hi {{name}},\r\n  {{{raw}}} {{& also}}\n{{! note}}{{> footer}}");

        assertThat(scan.tags()).extracting(TemplateTags.Tag::kind, TemplateTags.Tag::name, TemplateTags.Tag::position)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TemplateTags.Kind.VARIABLE, "name", new Position(1, 4)),
                        org.assertj.core.groups.Tuple.tuple(TemplateTags.Kind.VARIABLE, "raw", new Position(2, 3)),
                        org.assertj.core.groups.Tuple.tuple(TemplateTags.Kind.VARIABLE, "also", new Position(2, 13)),
                        org.assertj.core.groups.Tuple.tuple(TemplateTags.Kind.COMMENT, "note", new Position(3, 1)),
                        org.assertj.core.groups.Tuple.tuple(TemplateTags.Kind.PARTIAL, "footer", new Position(3, 11)));
        assertThat(scan.unclosed()).isEmpty();
    }

    @Test
    void knowsTheSectionsAroundEachTag() {
        TemplateTags.Scan scan = TemplateTags.scan("{{#a}}{{^b}}{{x}}{{/b}}{{y}}{{/a}}{{z}}");

        assertThat(scan.tags()).filteredOn(tag -> tag.kind() == TemplateTags.Kind.VARIABLE)
                .extracting(TemplateTags.Tag::name, TemplateTags.Tag::sections)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("x", List.of("a", "b")),
                        org.assertj.core.groups.Tuple.tuple("y", List.of("a")),
                        org.assertj.core.groups.Tuple.tuple("z", List.of()));
    }

    @Test
    void followsDelimiterChanges() {
        TemplateTags.Scan scan = TemplateTags.scan("{{=<% %>=}}<% name %> {{not-a-tag}}");

        assertThat(scan.tags()).extracting(TemplateTags.Tag::name).containsExactly("name");
    }

    @Test
    void reportsATagThatIsNeverClosed() {
        TemplateTags.Scan scan = TemplateTags.scan("line one\nand {{oops");

        assertThat(scan.unclosed()).containsExactly(new TemplateTags.Unclosed(new Position(2, 5), "{{"));
    }

    @Test
    void theRootOfADottedNameIsItsFirstSegment() {
        assertThat(TemplateTags.scan("{{item.name}}").tags().getFirst().root()).isEqualTo("item");
        assertThat(TemplateTags.scan("{{.}}").tags().getFirst().root()).isEqualTo(".");
    }

    @Test
    void compileErrorsCarryTheLineJMustacheGivesTheOpeningTag() {
        assertThat(TemplateSyntax.check("ok\n  {{#a}}\nnever closed")).hasValueSatisfying(problem -> {
            assertThat(problem.position()).isEqualTo(new Position(2, 3));
            assertThat(problem.message()).isEqualTo("Section missing close tag 'a'");
        });
        assertThat(TemplateSyntax.check("fine {{x}}")).isEmpty();
    }
}
