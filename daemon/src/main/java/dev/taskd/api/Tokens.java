package dev.taskd.api;

import dev.taskd.config.Secrets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * The bearer tokens that may use the admin API: those of {@code auth.token-file} as the
 * generation in force read them, and {@code TASKD_TOKEN}. A reload that rotates the token file
 * changes which tokens pass from the next request on; a request reads the generation once and
 * no file. Tokens are compared by their SHA-256 digests with {@link MessageDigest#isEqual}, so
 * neither the length nor the first differing character of a wrong token shows in the time an
 * answer takes. Thread-safe.
 */
final class Tokens {

    private final Supplier<Secrets> secrets;
    /** The digest of {@code TASKD_TOKEN}, or null when it is unset or blank; fixed for the process's life. */
    private final byte[] fromEnvironment;

    private Tokens(Supplier<Secrets> secrets, byte[] fromEnvironment) {
        this.secrets = secrets;
        this.fromEnvironment = fromEnvironment;
    }

    /**
     * @param secrets         the secrets of the generation in force, read on every request
     * @param fromEnvironment {@code TASKD_TOKEN}, or null
     */
    static Tokens of(Supplier<Secrets> secrets, String fromEnvironment) {
        return new Tokens(secrets, fromEnvironment == null || fromEnvironment.isBlank() ? null
                : Secrets.digest(fromEnvironment.strip()));
    }

    /** Whether a token is needed now: the generation in force has one, or {@code TASKD_TOKEN} is set. */
    boolean required() {
        return fromEnvironment != null || !secrets.get().tokenDigests().isEmpty();
    }

    /**
     * Whether a request with {@code authorization} (an Authorization header value, or null) may
     * pass: when no token is needed, or it carries a known one.
     */
    boolean admits(String authorization) {
        Secrets now = secrets.get();
        if (fromEnvironment == null && now.tokenDigests().isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = Secrets.digest(authorization.substring(7).strip());
        boolean fromFile = now.acceptsToken(offered);
        boolean fromVariable = fromEnvironment != null && MessageDigest.isEqual(fromEnvironment, offered);
        return fromFile | fromVariable;
    }
}
