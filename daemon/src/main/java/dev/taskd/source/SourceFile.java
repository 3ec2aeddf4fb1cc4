package dev.taskd.source;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One file that went into a configuration, read once: its text and content hash.
 *
 * @param path    where it was read from (absolute, normalized)
 * @param display how findings name it ({@code loop-types/fix.toml})
 * @param text    its content, decoded as UTF-8 with a leading byte-order mark removed
 * @param hash    SHA-256 of the bytes as read
 */
public record SourceFile(Path path, String display, String text, String hash) {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    public static SourceFile of(Path path, String display, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        return new SourceFile(path, display, text, ContentHash.of(bytes));
    }

    /** The file name without its directory. */
    public String fileName() {
        return path.getFileName().toString();
    }
}
