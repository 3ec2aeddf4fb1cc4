package dev.taskd.store;

/**
 * A store operation failed. The message names the operation, the loop and the database's own
 * message when there is one; the driver's exception is kept as the cause.
 */
public sealed class StoreException extends RuntimeException
        permits StorageUnavailableException, LoopFencedException, NodeNameTakenException, HeadMovedException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
