package io.sygra.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits text into chunks of at most {@code maxChars} characters at sentence boundaries (Latin and
 * CJK sentence ends), falling back to spaces, then to a hard cut, for sentences longer than a
 * chunk. Whitespace between chunks is dropped; the words and their order are kept. Stateless.
 */
public final class TextChunker {
  private TextChunker() {}

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。！？])\\s+|(?<=[。！？])");

  /** The sentences of {@code text}, stripped, in order. */
  public static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String s : SENTENCE_END.split(text.strip())) {
      if (!s.isBlank()) {
        out.add(s.strip());
      }
    }
    return out;
  }

  /** Chunks of at most {@code maxChars} characters. */
  public static List<String> chunk(String text, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
    }
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String sentence : sentences(text)) {
      for (String piece : fit(sentence, maxChars)) {
        int needed = cur.length() == 0 ? piece.length() : cur.length() + 1 + piece.length();
        if (needed > maxChars && cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
        if (cur.length() > 0) {
          cur.append(' ');
        }
        cur.append(piece);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  /** Splits one over-long sentence at spaces (or hard) into pieces of at most {@code max}. */
  private static List<String> fit(String sentence, int max) {
    List<String> out = new ArrayList<>();
    String rest = sentence;
    while (rest.length() > max) {
      int cut = rest.lastIndexOf(' ', max);
      if (cut <= 0) {
        cut = max;
      }
      out.add(rest.substring(0, cut).strip());
      rest = rest.substring(cut).strip();
    }
    if (!rest.isEmpty()) {
      out.add(rest);
    }
    return out;
  }

  /**
   * Splits {@code text} in two near its middle: at the sentence boundary closest to the middle when
   * there are several sentences, else at the comma or space closest to it. Both halves are
   * non-empty and shorter than the text, unless the text has no place to split (then the second
   * half is empty).
   */
  public static String[] halve(String text) {
    List<String> sentences = sentences(text);
    int mid = text.length() / 2;
    if (sentences.size() >= 2) {
      int best = 1;
      int bestDist = Integer.MAX_VALUE;
      int acc = 0;
      for (int i = 1; i < sentences.size(); i++) {
        acc += sentences.get(i - 1).length() + 1;
        if (Math.abs(acc - mid) < bestDist) {
          bestDist = Math.abs(acc - mid);
          best = i;
        }
      }
      return new String[] {
        String.join(" ", sentences.subList(0, best)),
        String.join(" ", sentences.subList(best, sentences.size()))
      };
    }
    int cut = -1;
    for (int d = 0; d < mid; d++) {
      for (int p : new int[] {mid - d, mid + d}) {
        if (p > 0 && p < text.length() && (text.charAt(p) == ',' || text.charAt(p) == ' ')) {
          cut = p;
          break;
        }
      }
      if (cut >= 0) {
        break;
      }
    }
    if (cut < 0) {
      return new String[] {text, ""};
    }
    return new String[] {text.substring(0, cut + 1).strip(), text.substring(cut + 1).strip()};
  }
}
