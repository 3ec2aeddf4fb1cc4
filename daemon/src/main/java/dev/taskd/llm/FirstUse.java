package dev.taskd.llm;

import java.util.function.Supplier;

/**
 * A value made by {@code factory} on the first {@link #get}, then the same value for ever.
 * Thread-safe: concurrent first calls make it once; a factory that throws leaves nothing made,
 * so the next call tries again.
 */
final class FirstUse<T> implements Supplier<T> {

    private final Supplier<T> factory;
    private volatile T value;

    FirstUse(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public T get() {
        T made = value;
        if (made == null) {
            synchronized (this) {
                made = value;
                if (made == null) {
                    made = factory.get();
                    value = made;
                }
            }
        }
        return made;
    }
}
