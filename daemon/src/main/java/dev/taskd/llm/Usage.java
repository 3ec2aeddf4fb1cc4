package dev.taskd.llm;

/** Tokens of one reply: {@code input} read, {@code output} written; 0 when the server does not say. */
public record Usage(long input, long output) {

    public static final Usage NONE = new Usage(0, 0);
}
