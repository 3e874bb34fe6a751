package io.sygra.samples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient parsers for Condor's bracket markers. Real model output often drops the outer wrapper
 * ({@code [Critique Start]…[Critique End]}) or a closing marker; a section without its closing
 * marker ends where the next opening marker (or the wrapper's end, or the text) begins. Every parse
 * reports which markers were missing, so a run can count how often the leniency was needed.
 * Stateless and thread-safe.
 */
public final class CondorMarkers {
  private CondorMarkers() {}

  /** The three difficulty levels of one question-synthesis call, in order. */
  public static final List<String> DIFFICULTIES = List.of("Easy", "Medium", "Hard");

  /** A reply that cannot be used even leniently. */
  public static final class ParseException extends RuntimeException {
    ParseException(String message) {
      super(message);
    }
  }

  /** One synthesized question with its difficulty. */
  public record Question(String difficulty, String text) {}

  /** The questions of one call, and the markers that were missing. */
  public record Questions(List<Question> questions, List<String> missingMarkers) {}

  /** A parsed critique. Blank sections are empty strings. */
  public record Critique(
      String strength, String weakness, String suggestion, List<String> missingMarkers) {

    /** The feedback passed to the rewrite, marked up the way Condor's refine prompt expects. */
    public String feedback() {
      StringBuilder sb = new StringBuilder();
      append(sb, "Strength", strength);
      append(sb, "Weakness", weakness);
      append(sb, "Suggestion", suggestion);
      return sb.toString().strip();
    }

    private static void append(StringBuilder sb, String name, String text) {
      if (!text.isBlank()) {
        sb.append('[').append(name).append(" Start]").append(text).append('[');
        sb.append(name).append(" End]\n");
      }
    }

    /** As a JSON-compatible map. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("strength", strength);
      m.put("weakness", weakness);
      m.put("suggestion", suggestion);
      m.put("missingMarkers", missingMarkers);
      return m;
    }
  }

  /** A parsed rewrite and the markers that were missing. */
  public record ImprovedAnswer(String text, List<String> missingMarkers) {}

  private static final Pattern LEVEL =
      Pattern.compile("\\[\\s*(easy|medium|hard)\\s*]", Pattern.CASE_INSENSITIVE);

  /**
   * Parses {@code [Easy][Question Start]…[Question End]} (then Medium, Hard).
   *
   * @throws ParseException unless exactly one non-empty question per difficulty is found
   */
  public static Questions parseQuestions(String reply) {
    if (reply == null || reply.isBlank()) {
      throw new ParseException("the reply is empty");
    }
    List<String> missing = new ArrayList<>();
    Matcher m = LEVEL.matcher(reply);
    List<int[]> spans = new ArrayList<>();
    List<String> levels = new ArrayList<>();
    while (m.find()) {
      levels.add(capitalize(m.group(1)));
      spans.add(new int[] {m.start(), m.end()});
    }
    if (!levels.equals(DIFFICULTIES)) {
      throw new ParseException(
          "expected the difficulty markers [Easy], [Medium], [Hard] once each, in order; found "
              + levels);
    }
    List<Question> out = new ArrayList<>(3);
    for (int i = 0; i < 3; i++) {
      int from = spans.get(i)[1];
      int to = i + 1 < 3 ? spans.get(i + 1)[0] : reply.length();
      String body = reply.substring(from, to);
      Section s = section(body, "Question", levels.get(i));
      missing.addAll(s.missing());
      if (s.text().isBlank()) {
        throw new ParseException("the " + levels.get(i) + " question is empty");
      }
      out.add(new Question(levels.get(i), s.text()));
    }
    return new Questions(List.copyOf(out), List.copyOf(missing));
  }

  /**
   * Parses a critique with {@code [Strength …]}, {@code [Weakness …]} and {@code [Suggestion …]}
   * sections, with or without the {@code [Critique Start]…[Critique End]} wrapper.
   *
   * @throws ParseException when no section is present or all are empty
   */
  public static Critique parseCritique(String reply) {
    if (reply == null || reply.isBlank()) {
      throw new ParseException("the critique is empty");
    }
    List<String> missing = new ArrayList<>();
    String body = reply;
    int[] start = find(body, "[Critique Start]", 0);
    if (start != null) {
      body = body.substring(start[1]);
    } else {
      missing.add("[Critique Start]");
    }
    int end = indexOf(body, "[Critique End]");
    if (end >= 0) {
      body = body.substring(0, end);
    } else {
      missing.add("[Critique End]");
    }
    String[] names = {"Strength", "Weakness", "Suggestion"};
    String[] texts = new String[3];
    boolean any = false;
    for (int i = 0; i < 3; i++) {
      int[] open = find(body, "[" + names[i] + " Start]", 0);
      if (open == null) {
        missing.add("[" + names[i] + " Start]");
        texts[i] = "";
        continue;
      }
      any = true;
      int from = open[1];
      int close = indexOf(body, "[" + names[i] + " End]", from);
      int to;
      if (close >= 0) {
        to = close;
      } else {
        missing.add("[" + names[i] + " End]");
        to = nextOpening(body, from);
      }
      texts[i] = body.substring(from, to).strip();
    }
    if (!any) {
      throw new ParseException(
          "no [Strength Start], [Weakness Start] or [Suggestion Start] section");
    }
    if (texts[0].isEmpty() && texts[1].isEmpty() && texts[2].isEmpty()) {
      throw new ParseException("every critique section is empty");
    }
    return new Critique(texts[0], texts[1], texts[2], List.copyOf(missing));
  }

  /**
   * Extracts the text between {@code [Improved Answer Start]} and {@code [Improved Answer End]};
   * either marker may be missing (then the text runs from the start, or to the end, of the reply).
   *
   * @throws ParseException when nothing is left
   */
  public static ImprovedAnswer parseImprovedAnswer(String reply) {
    if (reply == null || reply.isBlank()) {
      throw new ParseException("the rewrite is empty");
    }
    List<String> missing = new ArrayList<>();
    String open = "[Improved Answer Start]";
    String close = "[Improved Answer End]";
    int[] s = find(reply, open, 0);
    int from = s != null ? s[1] : 0;
    if (s == null) {
      missing.add(open);
    }
    int e = indexOf(reply, close, from);
    int to = e >= 0 ? e : reply.length();
    if (e < 0) {
      missing.add(close);
    }
    String text = reply.substring(from, to).strip();
    if (text.isEmpty()) {
      throw new ParseException("the improved answer is empty");
    }
    return new ImprovedAnswer(text, List.copyOf(missing));
  }

  private record Section(String text, List<String> missing) {}

  /** The text of {@code [Name Start]…[Name End]} inside {@code body}, leniently. */
  private static Section section(String body, String name, String level) {
    List<String> missing = new ArrayList<>();
    String open = "[" + name + " Start]";
    String close = "[" + name + " End]";
    int[] s = find(body, open, 0);
    int from = s != null ? s[1] : 0;
    if (s == null) {
      missing.add(level + " " + open);
    }
    int e = indexOf(body, close, from);
    if (e < 0) {
      missing.add(level + " " + close);
    }
    return new Section(body.substring(from, e >= 0 ? e : body.length()).strip(), missing);
  }

  private static final Pattern OPENING =
      Pattern.compile("\\[(Strength|Weakness|Suggestion) Start]", Pattern.CASE_INSENSITIVE);

  private static int nextOpening(String body, int from) {
    Matcher m = OPENING.matcher(body);
    return m.find(from) ? m.start() : body.length();
  }

  private static int indexOf(String text, String marker) {
    return indexOf(text, marker, 0);
  }

  private static int indexOf(String text, String marker, int from) {
    int[] span = find(text, marker, from);
    return span == null ? -1 : span[0];
  }

  /**
   * Start and end of {@code marker} in {@code text} at or after {@code from}, or null. Case
   * insensitive, and accepts extra spaces inside the brackets.
   */
  private static int[] find(String text, String marker, int from) {
    String inner = marker.substring(1, marker.length() - 1).strip();
    Pattern p =
        Pattern.compile(
            "\\[\\s*" + inner.replace(" ", "\\s+") + "\\s*]",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    Matcher m = p.matcher(text);
    return m.find(from) ? new int[] {m.start(), m.end()} : null;
  }

  private static String capitalize(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    return Character.toUpperCase(l.charAt(0)) + l.substring(1);
  }
}
