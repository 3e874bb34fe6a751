package io.sygra.llm.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic, plausible-looking prose for the simulated model: sentences built from fixed
 * templates and the content words of the prompt. Same random source, same words, same text.
 */
public final class TextSynth {
  private TextSynth() {}

  private static final Pattern WORD = Pattern.compile("\\p{L}[\\p{L}\\p{N}'-]{2,}");

  private static final Set<String> STOP =
      Set.copyOf(
          List.of(
              "the",
              "and",
              "for",
              "are",
              "but",
              "not",
              "you",
              "your",
              "all",
              "any",
              "can",
              "had",
              "her",
              "was",
              "one",
              "our",
              "out",
              "has",
              "have",
              "him",
              "his",
              "how",
              "its",
              "may",
              "new",
              "now",
              "own",
              "say",
              "she",
              "too",
              "use",
              "way",
              "who",
              "why",
              "yes",
              "yet",
              "with",
              "that",
              "this",
              "from",
              "they",
              "will",
              "would",
              "there",
              "their",
              "what",
              "about",
              "which",
              "when",
              "make",
              "like",
              "into",
              "than",
              "them",
              "then",
              "these",
              "some",
              "could",
              "other",
              "only",
              "also",
              "just",
              "more",
              "most",
              "such",
              "very",
              "should",
              "must",
              "each",
              "does",
              "did",
              "been",
              "being",
              "were",
              "where",
              "while",
              "here",
              "over",
              "under",
              "after",
              "before",
              "between",
              "because",
              "through",
              "those",
              "answer",
              "answers",
              "question",
              "questions",
              "following",
              "write",
              "reply",
              "respond",
              "response",
              "give",
              "please",
              "provide",
              "given",
              "below",
              "above",
              "using",
              "based",
              "json",
              "schema",
              "object",
              "value",
              "only",
              "text",
              "explain",
              "describe",
              "short",
              "brief",
              "briefly",
              "concise",
              "user",
              "assistant",
              "system",
              "helpful",
              "task",
              "output",
              "format",
              "return",
              "words",
              "sentence",
              "sentences",
              "tell",
              "want",
              "need",
              "help",
              "know",
              "think",
              "stop",
              "calling",
              "tools",
              "tool",
              "results",
              "already",
              "final",
              "previous",
              "could",
              "used",
              "again",
              "corrected",
              "conforming",
              "conforms",
              "single",
              "code",
              "fences",
              "explanation",
              "grade",
              "rate",
              "score",
              "role",
              "you're",
              "it's",
              "don't",
              "i'm",
              // The simulator's own template words, so replies fed back as prompts stay on topic.
              "best",
              "understood",
              "relation",
              "practical",
              "approach",
              "starts",
              "clear",
              "view",
              "cases",
              "considered",
              "together",
              "common",
              "mistake",
              "treat",
              "independent",
              "helps",
              "check",
              "assumptions",
              "behind",
              "first",
              "evidence",
              "suggests",
              "depends",
              "appears",
              "concrete",
              "example",
              "makes",
              "clearer",
              "consider",
              "changes",
              "real",
              "trade-offs",
              "short",
              "matters",
              "shapes",
              "experts",
              "usually",
              "recommend",
              "looking",
              "drawing",
              "conclusions",
              "point",
              "cannot",
              "separated",
              "careful",
              "distinguishes",
              "small",
              "large",
              "effect",
              "historically",
              "discussed",
              "alongside",
              "simplest",
              "involves",
              "summarise",
              "closely",
              "linked",
              "play",
              "affect",
              "important",
              "relationship",
              "someone",
              "matter",
              "according",
              "topic",
              "context",
              "details",
              "main",
              "idea",
              "outcome",
              "exam",
              "expert",
              "generate",
              "create",
              "pose",
              "causes",
              "relate",
              "factors",
              "determine"));

  private static final String[] TEMPLATES = {
    "{A} is best understood in relation to {B}.",
    "A practical approach to {A} starts with a clear view of {B}.",
    "In most cases, {A} and {B} should be considered together.",
    "One common mistake is to treat {A} as independent of {B}.",
    "It helps to check the assumptions behind {A} first.",
    "The evidence suggests that {A} depends on {B} more than it first appears.",
    "A concrete example makes this clearer: consider how {A} changes when {B} changes.",
    "There are real trade-offs between {A} and {B}.",
    "In short, {A} matters because it shapes {B}.",
    "Experts usually recommend looking at {A} before drawing conclusions about {B}.",
    "The key point is that {A} cannot be separated from {B}.",
    "A careful answer distinguishes {A} from {B}.",
    "Small changes in {A} can have a large effect on {B}.",
    "Historically, {A} has been discussed alongside {B}.",
    "The simplest explanation of {A} involves {B}.",
    "To summarise, {A} and {B} are closely linked."
  };

  private static final List<String> FALLBACK =
      List.of("the topic", "the context", "the details", "the main idea", "the outcome");

  /**
   * Content words of {@code text}, lower-cased, in order of first appearance, at most {@code max}.
   */
  public static List<String> topicWords(String text, int max) {
    Set<String> out = new LinkedHashSet<>();
    if (text != null) {
      Matcher m = WORD.matcher(text);
      while (m.find() && out.size() < max) {
        String w = m.group().toLowerCase(Locale.ROOT);
        if (!STOP.contains(w) && w.length() >= 4) {
          out.add(w);
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** The words to write about: the prompt's content words, or neutral fallbacks. */
  public static List<String> orFallback(List<String> words) {
    return words.isEmpty() ? FALLBACK : words;
  }

  /** One sentence about two of {@code words}. */
  public static String sentence(SplittableRandom rng, List<String> words) {
    String[] ab = pair(rng, words);
    String s = TEMPLATES[rng.nextInt(TEMPLATES.length)].replace("{A}", ab[0]).replace("{B}", ab[1]);
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static final String[] QUESTIONS = {
    "What role does {A} play in {B}?",
    "How does {A} affect {B}?",
    "Why is {A} important for {B}?",
    "What is the relationship between {A} and {B}?",
    "How would you explain {A} to someone new to {B}?",
    "What are the main causes of {A}, and how do they relate to {B}?",
    "Which factors determine {A}, and why does {B} matter?"
  };

  /** One question about two of {@code words}. */
  public static String question(SplittableRandom rng, List<String> words) {
    String[] ab = pair(rng, words);
    String s = QUESTIONS[rng.nextInt(QUESTIONS.length)].replace("{A}", ab[0]).replace("{B}", ab[1]);
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Two different subjects: prompt words when there are two, else one with a neutral phrase. */
  private static String[] pair(SplittableRandom rng, List<String> words) {
    List<String> w = orFallback(words);
    String a = w.get(rng.nextInt(w.size()));
    String b = a;
    for (int i = 0; i < 4 && b.equals(a) && w.size() > 1; i++) {
      b = w.get(rng.nextInt(w.size()));
    }
    if (b.equals(a)) {
      b = FALLBACK.get(rng.nextInt(FALLBACK.size()));
    }
    return new String[] {a, b};
  }

  /**
   * Whole sentences totalling at most {@code targetWords} words, as close to it as a few tries
   * allow; a budget smaller than any sentence gets one sentence cut to size.
   */
  public static String paragraph(SplittableRandom rng, List<String> words, int targetWords) {
    int target = Math.max(1, targetWords);
    StringBuilder out = new StringBuilder();
    int count = 0;
    int misses = 0;
    while (misses < 8) {
      String s = sentence(rng, words);
      String[] tokens = s.split(" ");
      if (count + tokens.length <= target) {
        out.append(count == 0 ? "" : " ").append(s);
        count += tokens.length;
        misses = 0;
      } else if (count == 0) {
        String cut = String.join(" ", java.util.Arrays.copyOf(tokens, target));
        char last = cut.charAt(cut.length() - 1);
        if (last == ',' || last == ':' || last == ';') {
          cut = cut.substring(0, cut.length() - 1);
        }
        return cut.endsWith(".") ? cut : cut + ".";
      } else {
        misses++;
      }
    }
    return out.toString();
  }

  /** A short title-cased phrase of one to three of {@code words}. */
  public static String phrase(SplittableRandom rng, List<String> words, int maxWords) {
    List<String> w = orFallback(words);
    int n = 1 + rng.nextInt(Math.max(1, Math.min(maxWords, 3)));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String word = w.get(rng.nextInt(w.size()));
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return sb.toString();
  }

  /** The first {@code n} words of {@code text}, with an ellipsis when cut. */
  public static String excerpt(String text, int n) {
    String[] parts = text.strip().split("\\s+");
    if (parts.length <= n) {
      return text.strip();
    }
    return String.join(" ", java.util.Arrays.copyOf(parts, n)) + "...";
  }
}
