package io.sygra.benchmarks.fake;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/** One client connection: its input buffer, output queue and current exchange. Loop-confined. */
final class Connection {
  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final int MIN_FREE = 2048;

  final SocketChannel channel;
  SelectionKey key;

  private byte[] in = new byte[4096];
  private ByteBuffer inView = ByteBuffer.wrap(in);
  private int inStart;
  private int inEnd;
  private int scanFrom;
  private HttpParser.Head head;
  private boolean continueSent;

  private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  private Runnable afterFlush;

  /** The request being served; null while idle. Requests read meanwhile wait in the buffer. */
  Exchange exchange;

  boolean closed;

  /** Set while the loop is draining this connection's buffered requests (prevents recursion). */
  boolean processing;

  Connection(SocketChannel channel) {
    this.channel = channel;
  }

  /** Reads what the socket has; returns the byte count or -1 at end of stream. */
  int read() throws IOException {
    if (inStart == inEnd) {
      inStart = 0;
      inEnd = 0;
      scanFrom = 0;
    }
    if (in.length - inEnd < MIN_FREE) {
      makeRoom(MIN_FREE);
    }
    inView.limit(in.length).position(inEnd);
    int n = channel.read(inView);
    if (n > 0) {
      inEnd += n;
    }
    return n;
  }

  private void makeRoom(int free) {
    int used = inEnd - inStart;
    if (inStart > 0) {
      System.arraycopy(in, inStart, in, 0, used);
      scanFrom -= inStart;
      inStart = 0;
      inEnd = used;
    }
    if (in.length - inEnd < free) {
      long wanted = Math.max((long) in.length * 2, (long) used + free);
      long limit = (long) HttpParser.MAX_BODY_BYTES + HttpParser.MAX_HEAD_BYTES + MIN_FREE;
      if (wanted > limit) {
        throw new HttpParser.HttpException(413, "request exceeds the size limit");
      }
      in = Arrays.copyOf(in, (int) wanted);
      inView = ByteBuffer.wrap(in);
    }
  }

  /** Parses the next complete request from the buffer, or returns null if more bytes are due. */
  ParsedRequest nextRequest() throws IOException {
    if (head == null) {
      int end = HttpParser.indexOfHeadEnd(in, Math.max(inStart, scanFrom), inEnd);
      if (end < 0) {
        if (inEnd - inStart > HttpParser.MAX_HEAD_BYTES) {
          throw new HttpParser.HttpException(431, "request head exceeds the limit");
        }
        scanFrom = Math.max(inStart, inEnd - 3);
        return null;
      }
      head = HttpParser.parseHead(in, inStart, end);
      inStart = end + 4;
      scanFrom = inStart;
      continueSent = false;
    }
    byte[] body;
    if (head.chunked()) {
      HttpParser.Chunked chunked = HttpParser.decodeChunked(in, inStart, inEnd);
      if (chunked == null) {
        sendContinueOnce();
        return null;
      }
      body = chunked.body();
      inStart += chunked.consumed();
    } else {
      int length = (int) head.contentLength();
      if (inEnd - inStart < length) {
        if (in.length - inStart < length) {
          makeRoom(length - (inEnd - inStart));
        }
        sendContinueOnce();
        return null;
      }
      body = Arrays.copyOfRange(in, inStart, inStart + length);
      inStart += length;
    }
    scanFrom = inStart;
    HttpParser.Head h = head;
    head = null;
    return new ParsedRequest(h.method(), h.path(), h.query(), h.headers(), body, h.keepAlive());
  }

  private void sendContinueOnce() throws IOException {
    if (head.expectContinue() && !continueSent) {
      continueSent = true;
      send(CONTINUE);
    }
  }

  /** Writes {@code bytes} now as far as the socket allows, queueing the rest. */
  void send(byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (out.isEmpty()) {
      channel.write(buffer);
      if (!buffer.hasRemaining()) {
        return;
      }
    }
    out.add(buffer);
    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
  }

  /** Runs {@code action} once everything sent so far has reached the socket. */
  void whenFlushed(Runnable action) {
    if (out.isEmpty()) {
      action.run();
    } else {
      afterFlush = action;
    }
  }

  /** Continues queued writes; called when the socket is writable. */
  void onWritable() throws IOException {
    while (!out.isEmpty()) {
      ByteBuffer buffer = out.peek();
      channel.write(buffer);
      if (buffer.hasRemaining()) {
        return;
      }
      out.poll();
    }
    key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    Runnable action = afterFlush;
    afterFlush = null;
    if (action != null) {
      action.run();
    }
  }

  /** Closes abruptly so the peer sees a connection reset (RST) rather than an orderly FIN. */
  void resetAbruptly() throws IOException {
    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
  }
}
