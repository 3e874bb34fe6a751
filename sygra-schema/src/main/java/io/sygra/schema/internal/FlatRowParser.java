package io.sygra.schema.internal;

import io.sygra.schema.OasstMessage;
import io.sygra.schema.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A byte-level parser for the common case of OASST input: one Hugging Face flat row per JSONL line,
 * read for conversion ({@code OasstReader.Detail.CORE}). It decodes only the fields the converter
 * uses and validates the rest without building tokens, which makes it several times cheaper than a
 * general JSON parser on rows that are mostly label and score arrays.
 *
 * <p>It is a fast path, not a second JSON implementation: on anything it does not expect (a nested
 * tree, a wrongly typed field, an escape in a key, invalid UTF-8, odd number syntax, a missing
 * required field) it returns {@code null} and the caller parses the line with Jackson, which then
 * accepts it or reports the precise error. Not thread-safe (it reuses a scratch buffer).
 */
public final class FlatRowParser {
  /**
   * A parsed row.
   *
   * @param message the message (CORE fields only)
   * @param rawText the {@code text} value exactly as it appeared between its quotes (valid JSON
   *     string content), so writers can copy it instead of encoding the text again
   */
  public record Result(OasstMessage message, byte[] rawText) {}

  /** Thrown (without a stack trace) to abandon the fast path. */
  private static final class Fallback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Fallback() {
      super(null, null, false, false);
    }
  }

  private static final Fallback FALLBACK = new Fallback();

  private byte[] b;
  private int pos;
  private int end;
  private char[] chars = new char[8192];

  // The decoded fields of the current row.
  private String messageId;
  private String parentId;
  private String createdDate;
  private String text;
  private byte[] rawText;
  private Role role;
  private String lang;
  private Boolean reviewResult;
  private Boolean deleted;
  private Boolean synthetic;
  private Integer rank;
  private String treeId;
  private ArrayMap<OasstMessage.Label> labels;

  /**
   * Parses {@code bytes[start, end)} as one flat row.
   *
   * @param keepRaw whether to keep the raw bytes of {@code text}
   * @return the row, or {@code null} when the general parser must handle the line
   */
  public Result parse(byte[] bytes, int start, int stop, boolean keepRaw) {
    this.b = bytes;
    this.pos = start;
    this.end = stop;
    messageId = parentId = createdDate = text = lang = treeId = null;
    rawText = null;
    role = null;
    reviewResult = deleted = synthetic = null;
    rank = null;
    labels = null;
    try {
      object(keepRaw);
      skipWs();
      if (pos != end || messageId == null || text == null || role == null) {
        return null;
      }
      OasstMessage m =
          new OasstMessage(
              messageId,
              parentId,
              treeId,
              role,
              text,
              lang,
              createdDate,
              null,
              null,
              reviewResult,
              deleted,
              rank,
              synthetic,
              null,
              null,
              labels,
              null);
      return new Result(m, rawText);
    } catch (Fallback | ArrayIndexOutOfBoundsException e) {
      return null;
    } finally {
      this.b = null;
    }
  }

  private void object(boolean keepRaw) {
    skipWs();
    expect('{');
    skipWs();
    if (peek() == '}') {
      throw FALLBACK;
    }
    while (true) {
      expect('"');
      int ks = pos;
      while (b[pos] != '"') {
        if (b[pos] == '\\' || (b[pos] & 0xFF) < 0x20) {
          throw FALLBACK;
        }
        pos++;
      }
      int ke = pos++;
      skipWs();
      expect(':');
      skipWs();
      field(ks, ke, keepRaw);
      skipWs();
      byte c = b[pos++];
      if (c == '}') {
        return;
      }
      if (c != ',') {
        throw FALLBACK;
      }
      skipWs();
    }
  }

  private void field(int ks, int ke, boolean keepRaw) {
    int len = ke - ks;
    switch (len) {
      case 4:
        if (is(ks, "text")) {
          text = string(keepRaw);
        } else if (is(ks, "role")) {
          role = role();
        } else if (is(ks, "lang")) {
          lang = stringOrNull();
        } else if (is(ks, "rank")) {
          rank = intOrNull();
        } else {
          skipValue();
        }
        return;
      case 6:
        if (is(ks, "labels")) {
          labels = labels();
        } else {
          skipValue();
        }
        return;
      case 7:
        if (is(ks, "deleted")) {
          deleted = boolOrNull();
        } else if (is(ks, "replies")) {
          throw FALLBACK; // a nested tree, not a flat row
        } else {
          skipValue();
        }
        return;
      case 9:
        if (is(ks, "parent_id")) {
          parentId = stringOrNull();
        } else if (is(ks, "synthetic")) {
          synthetic = boolOrNull();
        } else if (is(ks, "thread_id")) {
          throw FALLBACK;
        } else {
          skipValue();
        }
        return;
      case 10:
        if (is(ks, "message_id")) {
          messageId = stringOrNull();
          if (messageId == null) {
            throw FALLBACK;
          }
        } else {
          skipValue();
        }
        return;
      case 12:
        if (is(ks, "created_date")) {
          createdDate = stringOrNull();
        } else {
          skipValue();
        }
        return;
      case 13:
        if (is(ks, "review_result")) {
          reviewResult = boolOrNull();
        } else {
          skipValue();
        }
        return;
      case 15:
        if (is(ks, "message_tree_id")) {
          treeId = stringOrNull();
        } else {
          skipValue();
        }
        return;
      default:
        if ((len == 6 && is(ks, "prompt")) || (len == 6 && is(ks, "thread"))) {
          throw FALLBACK;
        }
        skipValue();
    }
  }

  private boolean is(int at, String key) {
    for (int i = 0; i < key.length(); i++) {
      if (b[at + i] != key.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private byte peek() {
    if (pos >= end) {
      throw FALLBACK;
    }
    return b[pos];
  }

  private void expect(char c) {
    if (pos >= end || b[pos] != c) {
      throw FALLBACK;
    }
    pos++;
  }

  private void skipWs() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return;
      }
      pos++;
    }
  }

  private void literal(String word) {
    if (end - pos < word.length() || !is(pos, word)) {
      throw FALLBACK;
    }
    pos += word.length();
  }

  private Role role() {
    String r = string(false);
    return switch (r) {
      case "prompter" -> Role.USER;
      case "assistant" -> Role.ASSISTANT;
      default -> throw FALLBACK;
    };
  }

  private String stringOrNull() {
    if (peek() == 'n') {
      literal("null");
      return null;
    }
    return string(false);
  }

  private Boolean boolOrNull() {
    byte c = peek();
    if (c == 't') {
      literal("true");
      return Boolean.TRUE;
    }
    if (c == 'f') {
      literal("false");
      return Boolean.FALSE;
    }
    literal("null");
    return null;
  }

  private Integer intOrNull() {
    if (peek() == 'n') {
      literal("null");
      return null;
    }
    int s = pos;
    boolean negative = b[pos] == '-';
    if (negative) {
      pos++;
    }
    long v = 0;
    int digits = 0;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      v = v * 10 + (b[pos] - '0');
      digits++;
      pos++;
    }
    if (digits == 0 || digits > 9 || (digits > 1 && b[s + (negative ? 1 : 0)] == '0')) {
      throw FALLBACK;
    }
    if (pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
      throw FALLBACK;
    }
    return (int) (negative ? -v : v);
  }

  /** A JSON string at {@code pos} (on its opening quote). */
  private String string(boolean keepRaw) {
    expect('"');
    int s = pos;
    boolean escapes = false;
    boolean ascii = true;
    while (true) {
      // Eight bytes at a time up to the next quote, backslash or control character.
      while (pos + 8 <= end) {
        long w = (long) LONGS.get(b, pos);
        long m = special(w);
        if (m == 0) {
          ascii &= (w & HIGHS) == 0;
          pos += 8;
          continue;
        }
        int k = Long.numberOfTrailingZeros(m) >>> 3;
        ascii &= (w & HIGHS & ((1L << (k << 3)) - 1)) == 0;
        pos += k;
        break;
      }
      if (pos >= end) {
        throw FALLBACK;
      }
      byte c = b[pos];
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        escapes = true;
        pos += 2;
        continue;
      }
      if (c < 0) {
        ascii = false;
      } else if (c < 0x20) {
        throw FALLBACK; // raw control characters are not valid JSON
      }
      pos++;
    }
    int e = pos++;
    if (pos > end) {
      throw FALLBACK;
    }
    if (keepRaw) {
      rawText = Arrays.copyOfRange(b, s, e);
    }
    if (!escapes) {
      if (ascii) {
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
      }
      String v = new String(b, s, e - s, StandardCharsets.UTF_8);
      if (v.indexOf('\uFFFD') >= 0) {
        throw FALLBACK; // possibly invalid UTF-8: let the general parser decide
      }
      return v;
    }
    return decode(s, e);
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
  private static final long SPACES = 0x2020202020202020L;

  /**
   * Flags (in the high bit of each byte) the bytes of {@code w} that are a quote, a backslash or
   * below 0x20; the lowest flag is exact (borrows only disturb bytes above a true match).
   */
  private static long special(long w) {
    long q = w ^ QUOTES;
    long s = w ^ BACKSLASHES;
    return (((q - ONES) & ~q) | ((s - ONES) & ~s) | ((w - SPACES) & ~w)) & HIGHS;
  }

  /** Flags bytes that are a backslash or not ASCII. */
  private static long escapeOrHigh(long w) {
    long s = w ^ BACKSLASHES;
    return (((s - ONES) & ~s) | w) & HIGHS;
  }

  /** Decodes escapes and UTF-8 in {@code b[s, e)}. */
  private String decode(int s, int e) {
    if (chars.length < e - s) {
      chars = new char[Math.max(e - s, chars.length * 2)];
    }
    char[] out = chars;
    int n = 0;
    int i = s;
    while (i < e) {
      // Copy a run of plain ASCII, finding its end eight bytes at a time.
      int run = i;
      while (run + 8 <= e) {
        long m = escapeOrHigh((long) LONGS.get(b, run));
        if (m != 0) {
          run += Long.numberOfTrailingZeros(m) >>> 3;
          break;
        }
        run += 8;
      }
      if (run + 8 > e) {
        while (run < e && b[run] >= 0 && b[run] != '\\') {
          run++;
        }
      }
      for (; i < run; i++) {
        out[n++] = (char) b[i];
      }
      if (i >= e) {
        break;
      }
      int c = b[i] & 0xFF;
      if (c == '\\') {
        byte x = b[i + 1];
        i += 2;
        switch (x) {
          case '"' -> out[n++] = '"';
          case '\\' -> out[n++] = '\\';
          case '/' -> out[n++] = '/';
          case 'b' -> out[n++] = '\b';
          case 'f' -> out[n++] = '\f';
          case 'n' -> out[n++] = '\n';
          case 'r' -> out[n++] = '\r';
          case 't' -> out[n++] = '\t';
          case 'u' -> {
            if (i + 4 > e) {
              throw FALLBACK;
            }
            out[n++] =
                (char)
                    ((hex(b[i]) << 12)
                        | (hex(b[i + 1]) << 8)
                        | (hex(b[i + 2]) << 4)
                        | hex(b[i + 3]));
            i += 4;
          }
          default -> throw FALLBACK;
        }
      } else if (c < 0x80) {
        out[n++] = (char) c;
        i++;
      } else if ((c & 0xE0) == 0xC0) {
        int cp = ((c & 0x1F) << 6) | cont(i + 1, e);
        if (cp < 0x80) {
          throw FALLBACK;
        }
        out[n++] = (char) cp;
        i += 2;
      } else if ((c & 0xF0) == 0xE0) {
        int cp = ((c & 0x0F) << 12) | (cont(i + 1, e) << 6) | cont(i + 2, e);
        if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) {
          throw FALLBACK;
        }
        out[n++] = (char) cp;
        i += 3;
      } else if ((c & 0xF8) == 0xF0) {
        int cp =
            ((c & 0x07) << 18) | (cont(i + 1, e) << 12) | (cont(i + 2, e) << 6) | cont(i + 3, e);
        if (cp < 0x10000 || cp > 0x10FFFF) {
          throw FALLBACK;
        }
        out[n++] = Character.highSurrogate(cp);
        out[n++] = Character.lowSurrogate(cp);
        i += 4;
      } else {
        throw FALLBACK;
      }
    }
    return new String(out, 0, n);
  }

  private int cont(int i, int e) {
    if (i >= e) {
      throw FALLBACK;
    }
    int c = b[i] & 0xFF;
    if ((c & 0xC0) != 0x80) {
      throw FALLBACK;
    }
    return c & 0x3F;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw FALLBACK;
  }

  /**
   * Labels as Hugging Face parallel arrays {@code {name, value, count}}; other shapes fall back.
   */
  private ArrayMap<OasstMessage.Label> labels() {
    if (peek() == 'n') {
      literal("null");
      return null;
    }
    expect('{');
    skipWs();
    List<String> names = null;
    List<Double> values = null;
    int[] counts = null;
    int countLen = 0;
    if (peek() == '}') {
      pos++;
      return new ArrayMap.Builder<OasstMessage.Label>(0).build();
    }
    while (true) {
      expect('"');
      int ks = pos;
      while (b[pos] != '"') {
        pos++;
      }
      int ke = pos++;
      skipWs();
      expect(':');
      skipWs();
      int len = ke - ks;
      if (len == 4 && is(ks, "name")) {
        names = new ArrayList<>(16);
        expect('[');
        skipWs();
        if (peek() != ']') {
          while (true) {
            names.add(labelName(names.size()));
            if (!nextElement()) {
              break;
            }
          }
        } else {
          pos++;
        }
      } else if (len == 5 && is(ks, "value")) {
        values = new ArrayList<>(16);
        expect('[');
        skipWs();
        if (peek() != ']') {
          while (true) {
            values.add(doubleOrNull());
            if (!nextElement()) {
              break;
            }
          }
        } else {
          pos++;
        }
      } else if (len == 5 && is(ks, "count")) {
        counts = new int[16];
        expect('[');
        skipWs();
        if (peek() != ']') {
          while (true) {
            Integer v = intOrNull();
            if (countLen == counts.length) {
              counts = Arrays.copyOf(counts, countLen * 2);
            }
            counts[countLen++] = v == null ? 0 : v;
            if (!nextElement()) {
              break;
            }
          }
        } else {
          pos++;
        }
      } else {
        throw FALLBACK; // map-form labels or extra keys: the general parser handles them
      }
      skipWs();
      byte c = b[pos++];
      if (c == '}') {
        break;
      }
      if (c != ',') {
        throw FALLBACK;
      }
      skipWs();
    }
    if (names == null
        || values == null
        || names.size() != values.size()
        || (counts != null && countLen != names.size())) {
      throw FALLBACK;
    }
    ArrayMap.Builder<OasstMessage.Label> m = new ArrayMap.Builder<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      m.add(names.get(i), new OasstMessage.Label(values.get(i), counts == null ? 0 : counts[i]));
    }
    return m.build();
  }

  private String[] nameCache = new String[32];

  /**
   * A label name; rows repeat the same dozen names in the same order, so the previous row's string
   * at this position is reused when the bytes match.
   */
  private String labelName(int i) {
    int q = pos;
    expect('"');
    int s = pos;
    while (pos < end && b[pos] != '"') {
      byte c = b[pos];
      if (c == '\\' || c < 0x20) {
        pos = q;
        return string(false); // escapes or non-ASCII: decode in full
      }
      pos++;
    }
    int len = pos - s;
    expect('"');
    if (i >= nameCache.length) {
      nameCache = Arrays.copyOf(nameCache, i * 2);
    }
    String cached = nameCache[i];
    if (cached != null && cached.length() == len && is(s, cached)) {
      return cached;
    }
    String name = new String(b, s, len, StandardCharsets.ISO_8859_1);
    nameCache[i] = name;
    return name;
  }

  /** After an array element: true when another follows, false at the closing bracket. */
  private boolean nextElement() {
    skipWs();
    byte c = b[pos++];
    if (c == ',') {
      skipWs();
      return true;
    }
    if (c == ']') {
      return false;
    }
    throw FALLBACK;
  }

  private Double doubleOrNull() {
    if (peek() == 'n') {
      literal("null");
      return null;
    }
    int s = pos;
    number();
    double d = fastDouble(b, s, pos);
    if (Double.isNaN(d)) {
      d = Double.parseDouble(new String(b, s, pos - s, StandardCharsets.ISO_8859_1));
    }
    return d;
  }

  /** Validates a JSON number at {@code pos} and moves past it. */
  private void number() {
    if (peek() == '-') {
      pos++;
    }
    int digits = digits();
    if (digits == 0 || (digits > 1 && b[pos - digits] == '0')) {
      throw FALLBACK;
    }
    if (pos < end && b[pos] == '.') {
      pos++;
      if (digits() == 0) {
        throw FALLBACK;
      }
    }
    if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
      pos++;
      if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
        pos++;
      }
      if (digits() == 0) {
        throw FALLBACK;
      }
    }
  }

  private int digits() {
    int s = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    return pos - s;
  }

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /**
   * Parses plain decimals such as {@code 0.5833333333333334} exactly (Clinger's fast path: an
   * integer mantissa below 2^53 scaled by a power of ten up to 10^22 rounds correctly). Labels
   * carry a dozen such values per row. Returns NaN when the text needs the general parser.
   */
  static double fastDouble(byte[] c, int off, int stop) {
    int i = off;
    boolean negative = false;
    if (i < stop && c[i] == '-') {
      negative = true;
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int scale = 0;
    boolean dot = false;
    for (; i < stop; i++) {
      byte ch = c[i];
      if (ch >= '0' && ch <= '9') {
        if (mantissa == 0 && ch == '0') {
          if (dot) {
            scale++;
          }
          continue; // leading zeros do not count towards the 15-17 significant digits
        }
        if (++digits > 18) {
          return Double.NaN;
        }
        mantissa = mantissa * 10 + (ch - '0');
        if (dot) {
          scale++;
        }
      } else if (ch == '.' && !dot) {
        dot = true;
      } else {
        return Double.NaN; // exponent or anything unusual: leave it to the general parser
      }
    }
    if (mantissa > (1L << 53) || scale > 22) {
      return Double.NaN;
    }
    double d = mantissa / POW10[scale];
    return negative ? -d : d;
  }

  /** Validates and skips any JSON value. */
  private void skipValue() {
    byte c = peek();
    switch (c) {
      case '"' -> skipString();
      case '{' -> {
        pos++;
        skipWs();
        if (peek() == '}') {
          pos++;
          return;
        }
        while (true) {
          skipString();
          skipWs();
          expect(':');
          skipWs();
          skipValue();
          skipWs();
          byte x = b[pos++];
          if (x == '}') {
            return;
          }
          if (x != ',') {
            throw FALLBACK;
          }
          skipWs();
        }
      }
      case '[' -> {
        pos++;
        skipWs();
        if (peek() == ']') {
          pos++;
          return;
        }
        while (true) {
          skipValue();
          if (!nextElement()) {
            return;
          }
        }
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void skipString() {
    expect('"');
    while (true) {
      while (pos + 8 <= end) {
        long m = special((long) LONGS.get(b, pos));
        if (m != 0) {
          pos += Long.numberOfTrailingZeros(m) >>> 3;
          break;
        }
        pos += 8;
      }
      if (pos >= end) {
        throw FALLBACK;
      }
      byte c = b[pos];
      if (c == '"') {
        pos++;
        return;
      }
      if (c == '\\') {
        pos += 2;
        continue;
      }
      if (c >= 0 && c < 0x20) {
        throw FALLBACK;
      }
      pos++;
    }
  }
}
