package dev.taskd.store;

/**
 * What a publish did: {@code number} is the new head's, or, when the head already had the same
 * content ({@code published} false), the head's.
 */
public record Publication(long number, boolean published) {
}
