package dev.taskd.store;

/**
 * A store operation failed. The message names the operation, the loop and SQLite's own message
 * when there is one; the SQLite exception is kept as the cause.
 */
public sealed class StoreException extends RuntimeException permits StorageUnavailableException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
