package dev.taskd.loop;

/**
 * Runs shell commands for loops — actions, validations and {@code ctx.exec} — counting them
 * against {@code limits.max-processes}.
 */
public interface Commands {

    /**
     * Runs the command and waits for it. On timeout, or when {@code cancellation} fires, the
     * command and every process it started are killed, and the result says why.
     *
     * @throws InterruptedException when the calling thread is interrupted; the processes are
     *                              killed before this is thrown
     */
    CommandResult run(CommandRequest request, Cancellation cancellation) throws InterruptedException;
}
