package dev.taskd.notify;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** GitHub's webhook signature: {@code sha256=} and the hex HMAC-SHA256 of the body under the shared key. */
final class Signature {

    static final String HEADER = "X-Taskd-Signature";

    private Signature() {
    }

    static String of(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM or refused a key of "
                    + key.length + " bytes", e);
        }
    }
}
