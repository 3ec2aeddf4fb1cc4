package dev.taskd.llm;

/** What the body of one response came to. */
sealed interface ReplyBody {

    /** A body read whole: an error's, or a reply from a server that does not stream. */
    record Whole(String text) implements ReplyBody {
    }

    /** A streamed reply, assembled. */
    record Streamed(ChatResponse response) implements ReplyBody {
    }

    /** A stream that ended without a whole reply, or with an error event; {@code why} says which. */
    record Broken(String why) implements ReplyBody {
    }
}
