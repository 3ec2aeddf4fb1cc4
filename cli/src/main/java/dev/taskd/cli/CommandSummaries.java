package dev.taskd.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The list of subcommands in a usage message, each with the first whole sentence of its
 * description: picocli shows only the description's first line, which stops mid-sentence
 * wherever the text was wrapped. Applied to a command line and every command under it, so a
 * command added later gets it too.
 */
final class CommandSummaries implements IHelpSectionRenderer {

    /** picocli's usage width. */
    private static final int WIDTH = 80;

    /** Installs the renderer on {@code commandLine} and on each of its subcommands, at every depth. */
    static void install(CommandLine commandLine) {
        commandLine.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, new CommandSummaries());
        commandLine.getSubcommands().values().forEach(CommandSummaries::install);
    }

    @Override
    public String render(Help help) {
        Map<String, Help> subcommands = help.subcommands();
        if (subcommands.isEmpty()) {
            return "";
        }
        List<String> names = new ArrayList<>();
        int width = 0;
        for (Map.Entry<String, Help> entry : subcommands.entrySet()) {
            if (!entry.getValue().commandSpec().usageMessage().hidden()) {
                names.add(entry.getKey());
                width = Math.max(width, entry.getKey().length());
            }
        }
        StringBuilder list = new StringBuilder();
        int indent = 2 + width + 2;
        for (String name : names) {
            list.append("  ").append(name).append(" ".repeat(width - name.length() + 2));
            int column = indent;
            for (String word : summary(subcommands.get(name).commandSpec().usageMessage()).split(" ")) {
                if (column > indent && column + 1 + word.length() > WIDTH) {
                    list.append('\n').append(" ".repeat(indent));
                    column = indent;
                } else if (column > indent) {
                    list.append(' ');
                    column++;
                }
                list.append(word);
                column += word.length();
            }
            list.append('\n');
        }
        return list.toString();
    }

    /** The first sentence of the header, else of the description, on one line. */
    static String summary(UsageMessageSpec usage) {
        String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
        String text = String.join(" ", lines).replaceAll("\\s+", " ").strip();
        int end = sentenceEnd(text);
        return end < 0 ? text : text.substring(0, end + 1);
    }

    /** Where the first sentence ends: a full stop followed by a space or the end of the text. */
    private static int sentenceEnd(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '.' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }
}
