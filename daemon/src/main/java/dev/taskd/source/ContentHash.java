package dev.taskd.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** SHA-256 content hashes, as lower-case hex: the identity of a source and of a loop-type version. */
public final class ContentHash {

    /** Never updated, only cloned. */
    private static final MessageDigest SHA_256 = lookUp();

    private ContentHash() {
    }

    public static String of(byte[] content) {
        return HexFormat.of().formatHex(digest().digest(content));
    }

    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One hash over several sources: over each one's file name and content hash, so that moving
     * content between files changes it, while moving the same files to another directory does not.
     */
    public static String ofSources(List<SourceFile> sources) {
        StringBuilder manifest = new StringBuilder();
        for (SourceFile source : sources) {
            manifest.append(source.fileName()).append(' ').append(source.hash()).append('\n');
        }
        return of(manifest.toString());
    }

    /**
     * A fresh SHA-256 digest, cloned from one looked up once: a reload hashes every source, and
     * the provider lookup of {@link MessageDigest#getInstance} cost more than hashing a small file.
     */
    private static MessageDigest digest() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
