package dev.taskd.store;

/**
 * A write was refused, or failed and was undone, because the data dir cannot be written now (no
 * space left, a quota, an I/O error, a read-only file system). Nothing of the write remains:
 * repeating it once {@link StorageHealth#writable()} is true again is safe. The message names
 * the data dir, the reason and the free space; the API answers it with 507.
 */
public final class StorageUnavailableException extends StoreException {

    public StorageUnavailableException(String message) {
        super(message);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
