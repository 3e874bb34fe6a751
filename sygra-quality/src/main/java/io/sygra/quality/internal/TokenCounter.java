package io.sygra.quality.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Exact BPE token counts from a jtokkit {@link Encoding}, with a cache of word-sized chunks.
 *
 * <p>Every jtokkit encoding (cl100k, o200k, p50k, r50k) pre-tokenizes with a regular expression
 * whose matches never run on past a printable ASCII character into a following space (letter, digit
 * and punctuation runs all stop at a space), nor past a letter or digit into a following newline
 * (only punctuation runs absorb newlines). So a text cut just before every such space or newline
 * tokenizes, chunk by chunk, into exactly the tokens of the whole text, and its count is the sum of
 * the chunks' counts. Chunks are mostly one word with its leading space and trailing punctuation,
 * and words repeat (Zipf), so their counts are cached: a hit costs a hash already computed during
 * the scan and one comparison, where the tokenizer would convert the chunk to UTF-8 and look its
 * bytes up in a map of 100k byte arrays. Misses and long chunks go to the tokenizer. This is the
 * word cache that BPE tokenizers such as Hugging Face's keep; the counts are the tokenizer's,
 * unchanged.
 *
 * <p>Each thread has its own cache: flat arrays (the chunks' characters in one array, so a hit
 * touches two arrays), two-way set-associative with least-recently-used replacement, bounded to
 * {@value #SLOTS} chunks of up to {@value #MAX_CACHED_CHARS} chars (about 3.5 MB per thread and
 * encoding). Thread-safe.
 */
public final class TokenCounter {
  private static final int SLOT_BITS = 17;
  private static final int SLOTS = 1 << SLOT_BITS;
  private static final int MAX_CACHED_CHARS = 16;
  private static final Map<EncodingType, TokenCounter> SHARED = new EnumMap<>(EncodingType.class);

  private final Encoding encoding;
  private final ThreadLocal<Cache> caches = ThreadLocal.withInitial(Cache::new);

  /**
   * One thread's chunks: {@code meta[slot]} holds the chunk's hash (high 32 bits), its length (bits
   * 16 to 23; 0 for an empty slot) and its token count (low 16 bits); its characters start at
   * {@code slot * MAX_CACHED_CHARS} in {@code chars}.
   */
  private static final class Cache {
    final long[] meta = new long[SLOTS];
    final char[] chars = new char[SLOTS * MAX_CACHED_CHARS];

    /** The text being counted. */
    char[] text = new char[1024];

    char[] text(String s) {
      if (text.length < s.length()) {
        text = new char[Math.max(s.length(), text.length * 2)];
      }
      s.getChars(0, s.length(), text, 0);
      return text;
    }

    boolean matches(int slot, int start, int len) {
      int base = slot * MAX_CACHED_CHARS;
      return Arrays.equals(chars, base, base + len, text, start, start + len);
    }

    void move(int from, int to) {
      meta[to] = meta[from];
      System.arraycopy(
          chars, from * MAX_CACHED_CHARS, chars, to * MAX_CACHED_CHARS, MAX_CACHED_CHARS);
    }

    void swap(int a, int b) {
      long m = meta[a];
      meta[a] = meta[b];
      meta[b] = m;
      int ba = a * MAX_CACHED_CHARS;
      int bb = b * MAX_CACHED_CHARS;
      for (int k = 0; k < MAX_CACHED_CHARS; k++) {
        char c = chars[ba + k];
        chars[ba + k] = chars[bb + k];
        chars[bb + k] = c;
      }
    }
  }

  private TokenCounter(Encoding encoding) {
    this.encoding = encoding;
  }

  /** The counter of {@code type}, shared by every caller (the vocabulary loads once). */
  public static synchronized TokenCounter of(EncodingType type) {
    Objects.requireNonNull(type, "type");
    return SHARED.computeIfAbsent(
        type, t -> new TokenCounter(Encodings.newLazyEncodingRegistry().getEncoding(t)));
  }

  /** The encoding's name, e.g. {@code cl100k_base}. */
  public String encodingName() {
    return encoding.getName();
  }

  /** The number of tokens of {@code text} (ordinary text: special tokens are not recognized). */
  public int count(String text) {
    int n = text.length();
    if (n == 0) {
      return 0;
    }
    Cache cache = caches.get();
    char[] t = cache.text(text);
    int total = 0;
    int start = 0;
    int hash = t[0];
    for (int i = 1; i < n; i++) {
      char prev = t[i - 1];
      char c = t[i];
      if ((c == ' ' && prev > ' ' && prev < 0x7F) || (c == '\n' && isAsciiLetterOrDigit(prev))) {
        total += chunk(cache, text, start, i, hash);
        start = i;
        hash = 0;
      }
      hash = 31 * hash + c;
    }
    return total + chunk(cache, text, start, n, hash);
  }

  private int chunk(Cache cache, String text, int start, int end, int hash) {
    int len = end - start;
    if (len > MAX_CACHED_CHARS) {
      return encoding.countTokensOrdinary(text.substring(start, end));
    }
    long key = ((long) hash << 32) | ((long) len << 16);
    int way0 = ((hash * 0x9E3779B9) >>> (32 - SLOT_BITS)) & ~1;
    long[] meta = cache.meta;
    if ((meta[way0] & ~0xFFFFL) == key && cache.matches(way0, start, len)) {
      return (int) (meta[way0] & 0xFFFF);
    }
    int way1 = way0 + 1;
    if ((meta[way1] & ~0xFFFFL) == key && cache.matches(way1, start, len)) {
      int tokens = (int) (meta[way1] & 0xFFFF);
      cache.swap(way0, way1);
      return tokens;
    }
    int tokens = encoding.countTokensOrdinary(text.substring(start, end));
    // way0 holds the most recently used chunk of the set; the older one is replaced.
    cache.move(way0, way1);
    System.arraycopy(cache.text, start, cache.chars, way0 * MAX_CACHED_CHARS, len);
    meta[way0] = key | tokens;
    return tokens;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
