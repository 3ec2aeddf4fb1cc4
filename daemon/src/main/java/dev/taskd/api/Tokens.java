package dev.taskd.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bearer tokens that may use the admin API: the lines of {@code auth.token-file} and
 * {@code TASKD_TOKEN}. Tokens are compared by their SHA-256 digests with
 * {@link MessageDigest#isEqual}, so neither the length nor the first differing character of a
 * wrong token shows in the time an answer takes. Immutable.
 */
final class Tokens {

    private final List<byte[]> digests;

    private Tokens(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /**
     * @param tokenFile the token file, or null for none
     * @param fromEnvironment {@code TASKD_TOKEN}, or null
     * @throws IOException when the token file cannot be read
     */
    static Tokens load(Path tokenFile, String fromEnvironment) throws IOException {
        List<byte[]> digests = new ArrayList<>();
        if (tokenFile != null) {
            for (String line : Files.readAllLines(tokenFile, StandardCharsets.UTF_8)) {
                String token = line.strip();
                if (!token.isEmpty() && !token.startsWith("#")) {
                    digests.add(digest(token));
                }
            }
        }
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            digests.add(digest(fromEnvironment.strip()));
        }
        return new Tokens(digests);
    }

    boolean required() {
        return !digests.isEmpty();
    }

    /** Whether {@code authorization} (an Authorization header value, or null) carries a known token. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] offered = digest(authorization.substring(7).strip());
        boolean match = false;
        for (byte[] known : digests) {
            match |= MessageDigest.isEqual(known, offered);
        }
        return match;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
