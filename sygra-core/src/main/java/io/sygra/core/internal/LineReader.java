package io.sygra.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads '\n'-terminated lines as raw bytes, so callers can parse JSON straight from bytes and
 * detect invalid UTF-8 themselves. Lines longer than {@code maxLineBytes} are skipped to their end
 * without being held in memory and reported as {@link #TOO_LONG}. A trailing '\r' is removed.
 */
public final class LineReader implements AutoCloseable {
  /**
   * Returned by {@link #next()} for a line over the limit; {@link #lastLineBytes()} has its size.
   */
  public static final byte[] TOO_LONG = new byte[0];

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private byte[] line = new byte[256];
  private long lineNumber;
  private long lastLineBytes;

  public LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** 1-based number of the line last returned. */
  public long lineNumber() {
    return lineNumber;
  }

  /** Size in bytes of the line last returned (also for {@link #TOO_LONG}). */
  public long lastLineBytes() {
    return lastLineBytes;
  }

  /** Length of the valid bytes in the array last returned (which may be longer). */
  private int len;

  public int length() {
    return len;
  }

  /**
   * The next line's bytes (valid up to {@link #length()}; the array is reused), {@link #TOO_LONG},
   * or null at end of input.
   */
  public byte[] next() throws IOException {
    len = 0;
    long total = 0;
    boolean any = false;
    while (true) {
      if (pos >= limit) {
        if (eof || !fill()) {
          if (!any) {
            return null;
          }
          break;
        }
      }
      any = true;
      int start = pos;
      int nl = -1;
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl < 0 ? limit : nl;
      int chunk = end - start;
      total += chunk;
      if (total <= maxLineBytes) {
        if (len + chunk > line.length) {
          line = Arrays.copyOf(line, Math.max(len + chunk, line.length * 2));
        }
        System.arraycopy(buf, start, line, len, chunk);
        len += chunk;
      }
      pos = nl < 0 ? limit : nl + 1;
      if (nl >= 0) {
        break;
      }
    }
    lineNumber++;
    lastLineBytes = total;
    if (total > maxLineBytes) {
      len = 0;
      return TOO_LONG;
    }
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    if (lineNumber == 1
        && len >= 3
        && (line[0] & 0xFF) == 0xEF
        && (line[1] & 0xFF) == 0xBB
        && (line[2] & 0xFF) == 0xBF) {
      System.arraycopy(line, 3, line, 0, len - 3);
      len -= 3;
    }
    return line;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      eof = true;
      pos = limit = 0;
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
