package dev.taskd.cli;

import java.io.Console;

/**
 * ANSI colour for output read by people at a terminal, and never otherwise: not when stdout is
 * a pipe or a file, not with {@code NO_COLOR} set (no-color.org), not on a {@code dumb} terminal.
 */
final class Colour {

    static final String RED = "\u001b[31m";
    static final String GREEN = "\u001b[32m";
    static final String CYAN = "\u001b[36m";
    static final String YELLOW = "\u001b[33m";
    static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private final boolean enabled;

    private Colour(boolean enabled) {
        this.enabled = enabled;
    }

    static Colour none() {
        return new Colour(false);
    }

    /** Colour when stdout is a terminal that wants it. */
    static Colour forStdout() {
        return new Colour(System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM")) && terminal());
    }

    String paint(String code, String text) {
        return enabled && text != null ? code + text + RESET : text;
    }

    /** A loop's state: green when it succeeded, red when it failed, yellow when it waits on someone, cyan running. */
    String state(String state) {
        if (state == null) {
            return null;
        }
        return switch (state) {
            case "succeeded" -> paint(GREEN, state);
            case "failed", "cancelled" -> paint(RED, state);
            case "paused", "blocked", "awaiting_approval" -> paint(YELLOW, state);
            case "running" -> paint(CYAN, state);
            default -> state;
        };
    }

    /**
     * Whether stdout is a terminal. From JDK 22 {@code System.console()} exists for redirected
     * output too and {@code Console.isTerminal()} tells; before, a console exists only for a terminal.
     * Looked up reflectively: taskd's bytecode is Java 21's.
     */
    private static boolean terminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
