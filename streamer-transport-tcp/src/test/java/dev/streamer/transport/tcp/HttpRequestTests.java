package dev.streamer.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the server answers to each request, judged from the bytes received so far. */
class HttpRequestTests {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                                        | 0",
        "GET /stream.wav HTTP/1.1                                  | 0",
        "GET /stream.wav HTTP/1.1\\r\\nHost: x\\r\\n               | 0",
        "GET /stream.wav HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n         | 200",
        "GET /stream.wav HTTP/1.0\\n\\n                            | 200",
        "\\r\\nGET /stream.wav HTTP/1.1\\r\\n\\r\\n                | 200",
        "GET http://example.org:8000/stream.wav HTTP/1.1\\r\\n\\r\\n | 200",
        "GET /stream.wav?x=1&y HTTP/1.1\\r\\n\\r\\n                | 200",
        "HEAD /stream.wav HTTP/1.1\\r\\n\\r\\n                     | 200",
        "GET /Stream.wav HTTP/1.1\\r\\n\\r\\n                      | 404",
        "GET /stream.wav/ HTTP/1.1\\r\\n\\r\\n                     | 404",
        "GET * HTTP/1.1\\r\\n\\r\\n                                | 404",
        "PUT /stream.wav HTTP/1.1\\r\\n\\r\\n                      | 405",
        "get /stream.wav HTTP/1.1\\r\\n\\r\\n                      | 405",
        "GET /stream.wav HTTP/2.0\\r\\n\\r\\n                      | 400",
        "GET /stream.wav\\r\\n                                     | 400",
        "GET stream.wav HTTP/1.1\\r\\n                             | 400",
        "G(T /stream.wav HTTP/1.1\\r\\n                            | 400",
        "\\u0016\\u0003\\u0001\\u0002\\u0000\\n                    | 400",
        "GET /stream.wav HTTP/1.1\\r\\nHo st: x\\r\\n\\r\\n        | 400",
        "GET /stream.wav HTTP/1.1\\r\\n: x\\r\\n\\r\\n             | 400",
    })
    void verdicts(String request, int status) {
        byte[] bytes = unescape(request.strip()).getBytes(StandardCharsets.ISO_8859_1);

        assertThat(HttpRequest.examine(bytes, bytes.length).status()).isEqualTo(status);
    }

    @org.junit.jupiter.api.Test
    void eightKibWithoutTheEndOfTheHeadersIs431AndHeadIsRemembered() {
        byte[] bytes = new byte[HttpRequest.MAX_HEADER_BYTES];
        byte[] start = "HEAD /stream.wav HTTP/1.1\r\nX: ".getBytes(StandardCharsets.US_ASCII);
        java.util.Arrays.fill(bytes, (byte) 'x');
        System.arraycopy(start, 0, bytes, 0, start.length);

        HttpRequest.Verdict verdict = HttpRequest.examine(bytes, bytes.length);

        assertThat(verdict.status()).isEqualTo(431);
        assertThat(verdict.head()).isTrue();
        assertThat(HttpRequest.examine(bytes, bytes.length - 1)).isEqualTo(HttpRequest.INCOMPLETE);
        byte[] longLine = new byte[HttpRequest.MAX_HEADER_BYTES];
        java.util.Arrays.fill(longLine, (byte) 'a');
        assertThat(HttpRequest.examine(longLine, longLine.length).status()).isEqualTo(431);
    }

    @org.junit.jupiter.api.Test
    void aHeadResponseHasTheLengthOfTheBodyItLeavesOut() {
        String get = new String(HttpRequest.response(404, false), StandardCharsets.US_ASCII);
        String head = new String(HttpRequest.response(404, true), StandardCharsets.US_ASCII);

        assertThat(get).startsWith(head);
        assertThat(head).endsWith("\r\n\r\n");
        assertThat(get.substring(head.length())).isEqualTo("Not found. The audio stream is at /stream.wav.\n");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                switch (next) {
                    case 'r' -> out.append('\r');
                    case 'n' -> out.append('\n');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append('\\').append(next);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
