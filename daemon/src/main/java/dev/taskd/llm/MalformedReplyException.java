package dev.taskd.llm;

/** A 2xx reply that is not the JSON the provider's API promises; retried like a 5xx. */
final class MalformedReplyException extends Exception {

    MalformedReplyException(String message) {
        super(message);
    }
}
