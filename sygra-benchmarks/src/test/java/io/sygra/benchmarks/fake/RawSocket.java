package io.sygra.benchmarks.fake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.1 client over one socket, for tests that must see the wire. */
final class RawSocket implements AutoCloseable {
  final Socket socket;
  private final InputStream in;

  /** One response read off the socket. */
  record Response(int status, Map<String, String> headers, String body) {}

  RawSocket(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
  }

  void write(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  static String post(String path, String body, String... headers) {
    StringBuilder sb = new StringBuilder();
    sb.append("POST ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
    sb.append("Content-Type: application/json\r\n");
    for (String header : headers) {
      sb.append(header).append("\r\n");
    }
    sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length);
    sb.append("\r\n\r\n").append(body);
    return sb.toString();
  }

  /** Reads the status line and headers; returns them with an empty body. */
  Response readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("end of stream inside the response head");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    return new Response(status, headers, "");
  }

  /** Reads exactly {@code n} bytes. */
  byte[] readBytes(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new IOException("end of stream after " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }

  /** Reads what is available now, waiting for at least one byte. */
  byte[] readSome() throws IOException {
    byte[] buffer = new byte[65536];
    int n = in.read(buffer);
    return n < 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
  }

  int read() throws IOException {
    return in.read();
  }

  /** Reads one full response with a Content-Length body. */
  Response readResponse() throws IOException {
    Response head = readHead();
    int length = Integer.parseInt(head.headers().get("content-length"));
    return new Response(
        head.status(), head.headers(), new String(readBytes(length), StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
