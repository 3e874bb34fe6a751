package io.sygra.llm.internal.client;

import java.io.IOException;
import okio.BufferedSource;

/**
 * Reads server-sent events line by line (WHATWG framing): {@code data:} lines accumulate until a
 * blank line dispatches the event, lines starting with {@code :} are comments (OpenRouter sends
 * {@code : OPENROUTER PROCESSING} keep-alives), {@code event:} names the event, other fields are
 * ignored. A final event without a trailing blank line is still dispatched.
 */
public final class SseReader {
  private SseReader() {}

  /** Receives events; returns false to stop reading (e.g. after {@code [DONE]}). */
  @FunctionalInterface
  public interface Listener {
    boolean onEvent(String event, String data) throws IOException;
  }

  /** Reads until the source is exhausted or the listener says stop; true when it said stop. */
  public static boolean read(BufferedSource source, Listener listener) throws IOException {
    StringBuilder data = null;
    String event = null;
    String line;
    while ((line = source.readUtf8Line()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          if (!listener.onEvent(event, data.toString())) {
            return true;
          }
        }
        data = null;
        event = null;
        continue;
      }
      if (line.charAt(0) == ':') {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      if (field.equals("data")) {
        if (data == null) {
          data = new StringBuilder(value);
        } else {
          data.append('\n').append(value);
        }
      } else if (field.equals("event")) {
        event = value;
      }
    }
    if (data != null) {
      return !listener.onEvent(event, data.toString());
    }
    return false;
  }
}
