package io.sygra.benchmarks.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpParserTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void parsesRequestLineHeadersAndKeepAlive() {
    byte[] head =
        ascii(
            "POST /v1/chat/completions?x=1&records HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n"
                + "X-Multi: a\r\nx-multi: b\r\n");

    HttpParser.Head parsed = HttpParser.parseHead(head, 0, head.length - 2);

    assertThat(parsed.method()).isEqualTo("POST");
    assertThat(parsed.path()).isEqualTo("/v1/chat/completions");
    assertThat(parsed.query()).isEqualTo("x=1&records");
    assertThat(parsed.contentLength()).isEqualTo(12);
    assertThat(parsed.keepAlive()).isTrue();
    assertThat(parsed.headers()).containsEntry("x-multi", "a, b").containsEntry("host", "a");
    ParsedRequest request =
        new ParsedRequest("GET", "/", parsed.query(), parsed.headers(), new byte[0], true);
    assertThat(request.queryParameter("x")).isEqualTo("1");
    assertThat(request.queryParameter("records")).isEmpty();
    assertThat(request.queryParameter("absent")).isNull();
  }

  @Test
  void http10ClosesUnlessAskedToKeepAlive() {
    byte[] plain = ascii("GET / HTTP/1.0\r\nHost: a");
    byte[] keep = ascii("GET / HTTP/1.0\r\nConnection: keep-alive");
    byte[] close = ascii("GET / HTTP/1.1\r\nConnection: close");

    assertThat(HttpParser.parseHead(plain, 0, plain.length).keepAlive()).isFalse();
    assertThat(HttpParser.parseHead(keep, 0, keep.length).keepAlive()).isTrue();
    assertThat(HttpParser.parseHead(close, 0, close.length).keepAlive()).isFalse();
  }

  @Test
  void rejectsMalformedHeads() {
    byte[] badLine = ascii("HELLO\r\n");
    byte[] badHeader = ascii("GET / HTTP/1.1\r\nno colon here");
    byte[] badLength = ascii("GET / HTTP/1.1\r\nContent-Length: lots");
    byte[] huge = ascii("GET / HTTP/1.1\r\nContent-Length: 999999999999");

    assertThatThrownBy(() -> HttpParser.parseHead(badLine, 0, 5)).hasMessageContaining("HELLO");
    assertThatThrownBy(() -> HttpParser.parseHead(badHeader, 0, badHeader.length))
        .hasMessageContaining("no colon here");
    assertThatThrownBy(() -> HttpParser.parseHead(badLength, 0, badLength.length))
        .hasMessageContaining("lots");
    assertThatThrownBy(() -> HttpParser.parseHead(huge, 0, huge.length))
        .isInstanceOfSatisfying(
            HttpParser.HttpException.class, e -> assertThat(e.status).isEqualTo(413));
  }

  @Test
  void decodesChunkedBodiesIncrementally() {
    byte[] full = ascii("5;ext\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT");

    for (int cut = 0; cut < full.length - 4; cut++) {
      assertThat(HttpParser.decodeChunked(full, 0, cut)).as("prefix of %d bytes", cut).isNull();
    }
    HttpParser.Chunked chunked = HttpParser.decodeChunked(full, 0, full.length);

    assertThat(new String(chunked.body(), StandardCharsets.ISO_8859_1)).isEqualTo("hello world");
    assertThat(chunked.consumed()).isEqualTo(full.length - 4);
  }

  @Test
  void rejectsBadChunks() {
    byte[] badSize = ascii("zz\r\nhello\r\n");
    byte[] noCrlf = ascii("5\r\nhelloXX0\r\n\r\n");

    assertThatThrownBy(() -> HttpParser.decodeChunked(badSize, 0, badSize.length))
        .hasMessageContaining("zz");
    assertThatThrownBy(() -> HttpParser.decodeChunked(noCrlf, 0, noCrlf.length))
        .hasMessageContaining("CRLF");
  }

  @Test
  void findsTheEndOfTheHead() {
    byte[] bytes = ascii("GET / HTTP/1.1\r\nA: b\r\n\r\nbody");
    assertThat(HttpParser.indexOfHeadEnd(bytes, 0, bytes.length)).isEqualTo(20);
    assertThat(HttpParser.indexOfHeadEnd(bytes, 0, 22)).isEqualTo(-1);
  }
}
