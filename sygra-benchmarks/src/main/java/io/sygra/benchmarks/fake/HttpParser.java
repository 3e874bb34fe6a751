package io.sygra.benchmarks.fake;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Incremental HTTP/1.1 request parsing over a byte buffer. */
final class HttpParser {
  static final int MAX_HEAD_BYTES = 64 * 1024;
  static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  private HttpParser() {}

  /** A request's line and headers, parsed once while its body is still arriving. */
  record Head(
      String method,
      String path,
      String query,
      Map<String, String> headers,
      long contentLength,
      boolean chunked,
      boolean keepAlive,
      boolean expectContinue) {}

  /** A de-chunked body and the number of buffer bytes it occupied. */
  record Chunked(byte[] body, int consumed) {}

  /** A request the server must reject with {@code status} before closing the connection. */
  static final class HttpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** Index of the first byte of "\r\n\r\n" in [from, to), or -1. */
  static int indexOfHeadEnd(byte[] buf, int from, int to) {
    for (int i = from; i + 3 < to; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Parses the request line and headers held in [from, to) (without the final blank line). */
  static Head parseHead(byte[] buf, int from, int to) {
    int lineEnd = indexOfCrlf(buf, from, to);
    if (lineEnd < 0) {
      lineEnd = to;
    }
    String line = new String(buf, from, lineEnd - from, StandardCharsets.ISO_8859_1);
    int firstSpace = line.indexOf(' ');
    int secondSpace = firstSpace < 0 ? -1 : line.indexOf(' ', firstSpace + 1);
    if (firstSpace <= 0
        || secondSpace < 0
        || line.indexOf(' ', secondSpace + 1) >= 0
        || !line.startsWith("HTTP/1.", secondSpace + 1)) {
      throw new HttpException(400, "malformed request line: " + line);
    }
    String[] requestLine = {
      line.substring(0, firstSpace),
      line.substring(firstSpace + 1, secondSpace),
      line.substring(secondSpace + 1)
    };
    Map<String, String> headers = new HashMap<>();
    int pos = lineEnd + 2;
    while (pos < to) {
      int end = indexOfCrlf(buf, pos, to);
      if (end < 0) {
        end = to;
      }
      int colon = -1;
      for (int i = pos; i < end; i++) {
        if (buf[i] == ':') {
          colon = i;
          break;
        }
      }
      if (colon <= pos) {
        throw new HttpException(
            400,
            "malformed header line: "
                + new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1));
      }
      String name =
          new String(buf, pos, colon - pos, StandardCharsets.ISO_8859_1)
              .trim()
              .toLowerCase(Locale.ROOT);
      String value =
          new String(buf, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
      pos = end + 2;
    }
    String target = requestLine[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    boolean http10 = requestLine[2].equals("HTTP/1.0");
    String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
    boolean keepAlive = http10 ? connection.contains("keep-alive") : !connection.contains("close");
    String transferEncoding =
        headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
    boolean chunked = transferEncoding.contains("chunked");
    long contentLength = 0;
    String lengthHeader = headers.get("content-length");
    if (!chunked && lengthHeader != null) {
      try {
        contentLength = Long.parseLong(lengthHeader);
      } catch (NumberFormatException e) {
        throw new HttpException(400, "malformed Content-Length: " + lengthHeader);
      }
      if (contentLength < 0) {
        throw new HttpException(400, "negative Content-Length: " + lengthHeader);
      }
      if (contentLength > MAX_BODY_BYTES) {
        throw new HttpException(413, "body of " + contentLength + " bytes exceeds the limit");
      }
    }
    boolean expectContinue = headers.getOrDefault("expect", "").equalsIgnoreCase("100-continue");
    return new Head(
        requestLine[0], path, query, headers, contentLength, chunked, keepAlive, expectContinue);
  }

  /** Decodes a chunked body starting at {@code from}; null while it is incomplete. */
  static Chunked decodeChunked(byte[] buf, int from, int to) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int pos = from;
    while (true) {
      int lineEnd = indexOfCrlf(buf, pos, to);
      if (lineEnd < 0) {
        return null;
      }
      String sizeLine = new String(buf, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
      int semicolon = sizeLine.indexOf(';');
      long size;
      try {
        size =
            Long.parseLong(
                (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new HttpException(400, "malformed chunk size: " + sizeLine);
      }
      if (size < 0 || body.size() + size > MAX_BODY_BYTES) {
        throw new HttpException(413, "chunked body exceeds the limit");
      }
      pos = lineEnd + 2;
      if (size == 0) {
        // Trailer section: header lines up to an empty line.
        while (true) {
          int trailerEnd = indexOfCrlf(buf, pos, to);
          if (trailerEnd < 0) {
            return null;
          }
          boolean empty = trailerEnd == pos;
          pos = trailerEnd + 2;
          if (empty) {
            return new Chunked(body.toByteArray(), pos - from);
          }
        }
      }
      if (to - pos < size + 2) {
        return null;
      }
      body.write(buf, pos, (int) size);
      pos += (int) size;
      if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
        throw new HttpException(400, "chunk not followed by CRLF");
      }
      pos += 2;
    }
  }

  private static int indexOfCrlf(byte[] buf, int from, int to) {
    for (int i = from; i + 1 < to; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
