package dev.taskd.reload;

/**
 * A reload or rollback refused because what its caller planned against has moved on (see
 * {@link PlanExpectation}); nothing was applied. The API answers 412, the CLI exits 4.
 */
public final class PreconditionFailedException extends RuntimeException {

    PreconditionFailedException(String message) {
        super(message);
    }
}
