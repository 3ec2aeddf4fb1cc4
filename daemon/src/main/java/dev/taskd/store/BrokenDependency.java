package dev.taskd.store;

/**
 * A queued loop that can never run: a loop it runs {@code after} failed or was cancelled
 * ({@code state}), or does not exist ({@code state} null).
 */
public record BrokenDependency(String loopId, String dependency, LoopState state) {
}
