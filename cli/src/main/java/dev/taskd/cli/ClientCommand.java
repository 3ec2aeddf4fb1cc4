package dev.taskd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that talks to the daemon shares: its options, its client, its output. */
abstract class ClientCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    private DaemonClient client;

    DaemonClient client() {
        if (client == null) {
            client = options.client();
        }
        return client;
    }

    boolean json() {
        return options.json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Pretty JSON on stdout. */
    void printJson(JsonNode node) {
        out().println(node.toPrettyString());
        out().flush();
    }

    /** A loop the daemon answered with: its JSON, or one line for people. */
    void printLoop(JsonNode loop) {
        if (json()) {
            printJson(loop);
        } else {
            out().println(Format.loopLine(loop, Colour.forStdout()));
            out().flush();
        }
    }
}
