package dev.taskd.loop;

/**
 * The {@code Idempotency-Key} a client sent with a submission: 1 to {@value #MAX_LENGTH} visible
 * ASCII characters (a UUID is the usual choice), as Stripe's API takes them.
 */
public record IdempotencyKey(String value) {

    public static final int MAX_LENGTH = 255;

    /** @throws LoopException of kind {@code BAD_REQUEST} naming what is wrong with the key */
    public IdempotencyKey {
        if (value == null || value.isEmpty()) {
            throw bad("is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw bad("is " + value.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw bad("has the character U+%04X at %d; only visible ASCII characters are allowed".formatted((int) c, i));
            }
        }
    }

    private static LoopException bad(String what) {
        return new LoopException(LoopException.Kind.BAD_REQUEST, "the Idempotency-Key header " + what
                + " (send 1 to " + MAX_LENGTH + " visible ASCII characters, such as a UUID)");
    }
}
