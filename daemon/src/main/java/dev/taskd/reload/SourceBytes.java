package dev.taskd.reload;

import dev.taskd.source.ContentHash;
import dev.taskd.source.SourceFile;
import java.nio.charset.StandardCharsets;

/** The bytes a source was read from, rebuilt from its text, so that re-reading them gives its hash again. */
final class SourceBytes {

    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private SourceBytes() {
    }

    /** The text as loaded, with the byte-order mark that loading removed put back when the file had one. */
    static byte[] asRead(SourceFile source) {
        byte[] text = source.text().getBytes(StandardCharsets.UTF_8);
        if (ContentHash.of(text).equals(source.hash())) {
            return text;
        }
        byte[] marked = new byte[text.length + BYTE_ORDER_MARK.length];
        System.arraycopy(BYTE_ORDER_MARK, 0, marked, 0, BYTE_ORDER_MARK.length);
        System.arraycopy(text, 0, marked, BYTE_ORDER_MARK.length, text.length);
        return ContentHash.of(marked).equals(source.hash()) ? marked : text;
    }
}
