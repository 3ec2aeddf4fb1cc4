package dev.taskd.cli;

import picocli.CommandLine.Command;

/**
 * {@code taskd status}: the daemon's version, uptime, generation, loop counts and limits. A plain
 * {@code taskd status} never gets here: {@link FastPath} runs it without picocli; this class
 * serves the rest ({@code --help}, usage errors, the in-process command tree).
 */
@Command(name = "status",
        mixinStandardHelpOptions = true,
        description = {"Show what the daemon is doing: version, uptime, configuration generation,", "loops by state and limits.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  the daemon answered", "  1  it answered with an error", "  3  no daemon answered"})
final class StatusCommand extends ClientCommand {

    @Override
    public Integer call() {
        return StatusReport.print(client().http(), json(), out());
    }
}
