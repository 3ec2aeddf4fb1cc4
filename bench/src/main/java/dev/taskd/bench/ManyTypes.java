package dev.taskd.bench;

import java.io.IOException;

/**
 * A configuration of many loop types, as a large installation has: one shared template; even
 * types run a script of their own, odd ones a command with a validation command.
 */
final class ManyTypes {

    private ManyTypes() {
    }

    static String name(int index) {
        return "t%04d".formatted(index);
    }

    static void write(BenchDaemon daemon, int count) throws IOException {
        daemon.file("templates/bench.mustache", "Task: {{task}}\n");
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                daemon.file("loop-types/" + name(i) + ".js",
                        "export function iterate(ctx) { ctx.complete(\"done %s\"); }\n".formatted(name(i)));
            }
            writeType(daemon, i, 5);
        }
    }

    /** (Re)writes one type's TOML with the given max-iterations. */
    static void writeType(BenchDaemon daemon, int index, int maxIterations) throws IOException {
        String action = index % 2 == 0
                ? "script = \"%s.js\"".formatted(name(index))
                : "command = \"echo {{task}}\"";
        String validation = index % 2 == 0 ? "" : "\n[validation]\ncommand = \"true\"\n";
        daemon.file("loop-types/" + name(index) + ".toml", """
                description = "benchmark type %s"
                %s
                template = "bench"
                inputs = [{ name = "task", default = "x" }]
                max-iterations = %d
                %s""".formatted(name(index), action, maxIterations, validation));
    }
}
