package dev.taskd.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket: how {@link HttpExchange} talks to an {@code http://}
 * address. HttpURLConnection costs a short command such as {@code taskd status} a good part of its
 * start: looking up the handler of an {@code http:} URL makes the JDK ask every jar of the class
 * path (about 70) for a {@code URLStreamHandlerProvider}, and its own classes are many. The
 * daemon's API needs little of HTTP: one request per connection ({@code Connection: close}), and
 * an answer whose body comes by {@code Content-Length}, chunked, or up to the close; interim 1xx
 * answers are skipped. Not thread-safe; one instance per request.
 */
final class PlainHttp {

    /** The connection closed before any answer came; HttpURLConnection then tries a GET once more. */
    static final class NoAnswer extends EOFException {

        private static final long serialVersionUID = 1L;

        NoAnswer() {
            // HttpURLConnection's words for the same case, kept so that the message reads as before.
            super("Unexpected end of file from server");
        }
    }

    private final String host;
    private final int port;
    private final byte[] head;

    /**
     * The request {@code method uri} with {@code headers} (name to value, in order) and, when
     * {@code bodyLength >= 0}, a Content-Length. A header with a line break or another control
     * character is refused with {@link IllegalArgumentException} (naming the header, not its
     * value, which may be a token).
     */
    PlainHttp(URI uri, String method, Map<String, String> headers, int bodyLength) {
        String bracketed = uri.getHost();
        this.host = bracketed.startsWith("[") ? bracketed.substring(1, bracketed.length() - 1) : bracketed;
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder request = new StringBuilder(256).append(method).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            request.append('?').append(uri.getRawQuery());
        }
        request.append(" HTTP/1.1\r\nHost: ").append(bracketed);
        if (uri.getPort() >= 0) {
            request.append(':').append(uri.getPort());
        }
        request.append("\r\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (hasControlCharacter(header.getKey()) || hasControlCharacter(header.getValue())) {
                throw new IllegalArgumentException("the request header " + header.getKey().strip()
                        + " contains a line break or another control character");
            }
            request.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (bodyLength >= 0) {
            request.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        this.head = request.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A connected socket; what Socket.connect throws when it cannot (refused, timed out, unknown host). */
    Socket connect(Duration timeout) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(host);
        }
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) timeout.toMillis());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /**
     * Sends the request with {@code body} (may be null) on {@code socket} and reads the answer,
     * waiting at most {@code readTimeout} for each read. {@link NoAnswer} when the connection
     * closed before an answer began; another IOException when it broke or the answer is not HTTP.
     */
    HttpExchange.Answer exchange(Socket socket, byte[] body, Duration readTimeout) throws IOException {
        socket.setSoTimeout((int) readTimeout.toMillis());
        OutputStream out = socket.getOutputStream();
        if (body != null && body.length > 0 && body.length < 16 * 1024) {
            byte[] whole = new byte[head.length + body.length];
            System.arraycopy(head, 0, whole, 0, head.length);
            System.arraycopy(body, 0, whole, head.length, body.length);
            out.write(whole);   // one segment, as a small request needs no second write
        } else {
            out.write(head);
            if (body != null) {
                out.write(body);
            }
        }
        out.flush();
        return read(new BufferedInputStream(socket.getInputStream(), 8192));
    }

    /** The first final (not 1xx) answer on {@code in}. */
    static HttpExchange.Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new NoAnswer();
        }
        while (true) {
            int status = status(statusLine);
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                String name = colon < 0 ? header : header.substring(0, colon).strip();
                String value = colon < 0 ? "" : header.substring(colon + 1).strip();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = contentLength(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                }
            }
            if (status >= 100 && status < 200) {
                statusLine = line(in);
                if (statusLine == null) {
                    throw new EOFException("the connection closed after an interim HTTP " + status + " answer");
                }
                continue;
            }
            byte[] body;
            if (status == 204 || status == 304) {
                body = new byte[0];
            } else if (chunked) {
                body = chunks(in);
            } else if (length >= 0) {
                body = exactly(in, length);
            } else {
                body = in.readAllBytes();
            }
            return new HttpExchange.Answer(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static int status(String line) throws IOException {
        // "HTTP/1.1 200 OK": the version, a space, three digits, then a space or the end.
        if (!line.startsWith("HTTP/") || line.length() < 12 || line.charAt(8) != ' '
                || line.length() > 12 && line.charAt(12) != ' ') {
            throw new IOException("the answer is not HTTP: " + abbreviate(line));
        }
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char digit = line.charAt(i);
            if (digit < '0' || digit > '9') {
                throw new IOException("the answer is not HTTP: " + abbreviate(line));
            }
            status = status * 10 + (digit - '0');
        }
        return status;
    }

    private static long contentLength(String value) throws IOException {
        try {
            long length = Long.parseLong(value);
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below with the others
        }
        throw new IOException("the answer's Content-Length is not a length: " + abbreviate(value));
    }

    /** A chunked body, its trailers read and dropped. */
    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            if (sizeLine == null) {
                throw new EOFException("the connection closed in a chunked body after " + body.size() + " bytes");
            }
            int extension = sizeLine.indexOf(';');
            String size = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip();
            long length;
            try {
                length = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new IOException("a chunk's size is not hexadecimal: " + abbreviate(sizeLine));
            }
            if (length == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers carry nothing the client uses
                }
                return body.toByteArray();
            }
            body.write(exactly(in, length));
            String end = line(in);
            if (end == null || !end.isEmpty()) {
                throw new IOException("a chunk does not end where its size says");
            }
        }
    }

    private static byte[] exactly(InputStream in, long length) throws IOException {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException("the answer's body of " + length + " bytes is too large");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("the connection closed after " + bytes.length + " of " + length + " bytes");
        }
        return bytes;
    }

    /** One line without its CR LF (a bare LF is accepted); null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            if (line.length() == 64 * 1024) {
                throw new IOException("a line of the answer is longer than 64 KiB");
            }
            line.append((char) b);
            b = in.read();
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        return line.toString();
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
