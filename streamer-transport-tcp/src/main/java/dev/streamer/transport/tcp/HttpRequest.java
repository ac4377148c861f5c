package dev.streamer.transport.tcp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The little HTTP/1.x a server-mode client may speak: {@code GET} or {@code HEAD} of
 * {@value #STREAM_PATH}; everything else gets an error status, and every response closes the
 * connection.
 *
 * <p>{@link #examine} looks at the bytes received so far and says whether more are needed, or
 * which response is due. The request line is judged as soon as it is complete; the response waits
 * for the end of the header block ({@value #MAX_HEADER_BYTES} bytes at most).
 */
final class HttpRequest {

    /** Where the WAV stream is. */
    static final String STREAM_PATH = "/stream.wav";
    /** Request line and headers together, with the blank line that ends them. */
    static final int MAX_HEADER_BYTES = 8192;

    /** More bytes are needed. */
    static final Verdict INCOMPLETE = new Verdict(0, false, "");

    /**
     * What to answer.
     *
     * @param status 0 while incomplete, 200 for the stream, else the error status
     * @param head whether the request was HEAD (no body in the response)
     * @param detail the request line or what is wrong with it, for the log
     */
    record Verdict(int status, boolean head, String detail) {
        boolean complete() {
            return status != 0;
        }
    }

    private HttpRequest() {
    }

    /** Judge {@code data[0, length)}, the bytes received from the client so far. */
    static Verdict examine(byte[] data, int length) {
        int start = 0;
        // RFC 9112 2.2: a server should ignore at least one empty line before the request line
        while (start < length && (data[start] == '\r' || data[start] == '\n') && start < 4) {
            start++;
        }
        int lineEnd = indexOf(data, start, length, (byte) '\n');
        if (lineEnd < 0) {
            return length >= MAX_HEADER_BYTES ? new Verdict(431, false, "request line longer than " + MAX_HEADER_BYTES + " bytes")
                    : INCOMPLETE;
        }
        String line = new String(data, start, lineEnd - start, StandardCharsets.ISO_8859_1);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        String printable = printable(line);
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty() || !isTarget(parts[1])
                || !parts[2].matches("HTTP/1\\.[0-9]")) {
            return new Verdict(400, false, "malformed request line \"" + printable + "\"");
        }
        boolean head = parts[0].equals("HEAD");
        int headersEnd = endOfHeaders(data, lineEnd + 1, length);
        if (headersEnd < 0) {
            return length >= MAX_HEADER_BYTES ? new Verdict(431, head, printable + ": headers longer than " + MAX_HEADER_BYTES + " bytes")
                    : INCOMPLETE;
        }
        if (headersEnd > MAX_HEADER_BYTES) {
            return new Verdict(431, head, printable + ": headers longer than " + MAX_HEADER_BYTES + " bytes");
        }
        if (!headersWellFormed(data, lineEnd + 1, headersEnd)) {
            return new Verdict(400, head, printable + ": malformed header line");
        }
        if (!head && !parts[0].equals("GET")) {
            return new Verdict(405, false, printable);
        }
        return new Verdict(path(parts[1]).equals(STREAM_PATH) ? 200 : 404, head, printable);
    }

    /** Return the path of an origin-form ({@code /a?b}) or absolute-form ({@code http://host/a}) target, without the query. */
    private static String path(String target) {
        String path = target;
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            path = slash < 0 ? "/" : target.substring(slash);
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** Return the index just past the blank line that ends the headers, or -1 if it has not arrived. */
    private static int endOfHeaders(byte[] data, int from, int length) {
        int lineStart = from;
        while (lineStart < length) {
            int end = indexOf(data, lineStart, length, (byte) '\n');
            if (end < 0) {
                return -1;
            }
            boolean blank = end == lineStart || (end == lineStart + 1 && data[lineStart] == '\r');
            if (blank) {
                return end + 1;
            }
            lineStart = end + 1;
        }
        return -1;
    }

    private static boolean headersWellFormed(byte[] data, int from, int end) {
        int lineStart = from;
        while (lineStart < end) {
            int lineEnd = indexOf(data, lineStart, end, (byte) '\n');
            int contentEnd = lineEnd > lineStart && data[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (contentEnd == lineStart) {
                return true; // the blank line
            }
            // a field name, then a colon; no obsolete line folding (RFC 9112 5.2)
            if (data[lineStart] == ' ' || data[lineStart] == '\t') {
                return false;
            }
            int colon = indexOf(data, lineStart, contentEnd, (byte) ':');
            if (colon <= lineStart) {
                return false;
            }
            for (int i = lineStart; i < colon; i++) {
                if (!isTokenChar((char) (data[i] & 0xff))) {
                    return false;
                }
            }
            lineStart = lineEnd + 1;
        }
        return true;
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isTarget(String target) {
        if (!(target.startsWith("/") || target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)
                || target.equals("*"))) {
            return false;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] data, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The request line as a log may show it: control characters escaped, at most 200 characters. */
    private static String printable(String line) {
        StringBuilder out = new StringBuilder(Math.min(line.length(), 200));
        for (int i = 0; i < line.length() && out.length() < 200; i++) {
            char c = line.charAt(i);
            if (c < ' ' || c >= 0x7f) {
                out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return line.length() > 200 ? out + "..." : out.toString();
    }

    /** Return the response head for {@code status}: status line and headers, CRLF endings, blank line included. */
    static byte[] response(int status, boolean head) {
        if (status == 200) {
            return ("HTTP/1.1 200 OK\r\n"
                    + "Content-Type: audio/wav\r\n"
                    + "Cache-Control: no-cache\r\n"
                    + "Connection: close\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        String body = switch (status) {
            case 400 -> "Bad request.";
            case 404 -> "Not found. The audio stream is at " + STREAM_PATH + ".";
            case 405 -> "Method not allowed. Use GET or HEAD on " + STREAM_PATH + ".";
            case 408 -> "The request did not arrive in time.";
            case 431 -> "Request header fields too large (more than " + MAX_HEADER_BYTES + " bytes).";
            case 501 -> "This stream's sample format has no WAV form.";
            case 503 -> "Too many listeners. Try again later.";
            default -> "Error.";
        } + "\n";
        StringBuilder response = new StringBuilder(256)
                .append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("Content-Length: ").append(body.length()).append("\r\n");
        if (status == 405) {
            response.append("Allow: GET, HEAD\r\n");
        }
        if (status == 503) {
            response.append("Retry-After: 10\r\n");
        }
        response.append("Connection: close\r\n\r\n");
        if (!head) {
            response.append(body);
        }
        return response.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
