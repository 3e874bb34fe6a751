package io.sygra.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Evol-Instruct's prompts and elimination rules (Xu et al., WizardLM, 2023). In-depth evolution
 * rewrites an instruction into a harder one with one of four methods; in-breadth evolution creates
 * a new, rarer instruction in the same domain. An evolution is eliminated when:
 *
 * <ol>
 *   <li>it adds no information (a judge finds it equal to the instruction it came from);
 *   <li>the model cannot answer it (the response apologises and is short, under 80 words);
 *   <li>the response is only punctuation and stop words;
 *   <li>it copies words of the evolving prompt ({@code #Rewritten Prompt#}, "given prompt"...).
 * </ol>
 *
 * Stateless and thread-safe.
 */
public final class EvolInstruct {
  private EvolInstruct() {}

  /** An evolution method. */
  public enum Method {
    ADD_CONSTRAINTS("Please add one more constraint or requirement into #The Given Prompt#."),
    DEEPEN(
        "If #The Given Prompt# contains inquiries about certain issues, the depth and breadth of"
            + " the inquiry can be increased."),
    CONCRETIZE("Please replace general concepts with more specific concepts."),
    INCREASE_REASONING(
        "If #The Given Prompt# can be solved with just a few simple thinking processes, you can"
            + " rewrite it to explicitly request multiple-step reasoning."),
    BREADTH(null);

    private final String instruction;

    Method(String instruction) {
      this.instruction = instruction;
    }

    /** The method's line in the in-depth prompt; null for breadth. */
    String instruction() {
      return instruction;
    }

    /** The four in-depth methods. */
    public static final List<Method> DEPTH =
        List.of(ADD_CONSTRAINTS, DEEPEN, CONCRETIZE, INCREASE_REASONING);

    /** The lower-case name used in records, e.g. {@code add_constraints}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** True for the in-depth methods. */
    public boolean depth() {
      return this != BREADTH;
    }
  }

  /** Opening of the in-depth prompt (the offline model keys on it). */
  static final String DEPTH_MARKER = "I want you act as a Prompt Rewriter.";

  /** Opening of the in-breadth prompt. */
  static final String BREADTH_MARKER = "I want you act as a Prompt Creator.";

  /** Opening of the equality check. */
  static final String EQUALITY_MARKER =
      "Here are two Instructions to ChatGPT AI, do you think they are equal to each other";

  /** The evolving prompt for {@code instruction} with {@code method}. */
  public static String prompt(Method method, String instruction) {
    if (method == Method.BREADTH) {
      return BREADTH_MARKER
          + "\nYour goal is to draw inspiration from the #Given Prompt# to create a brand new"
          + " prompt.\nThis new prompt should belong to the same domain as the #Given Prompt# but"
          + " be even more rare.\nThe LENGTH and complexity of the #Created Prompt# should be"
          + " similar to that of the #Given Prompt#.\nThe #Created Prompt# must be reasonable and"
          + " must be understood and responded by humans.\n'#Given Prompt#', '#Created Prompt#',"
          + " 'given prompt' and 'created prompt' are not allowed to appear in #Created Prompt#\n"
          + "#Given Prompt#:\n"
          + instruction
          + "\n#Created Prompt#:\n";
    }
    return DEPTH_MARKER
        + "\nYour objective is to rewrite a given prompt into a more complex version to make"
        + " those famous AI systems (e.g., chatgpt and GPT4) a bit harder to handle.\nBut the"
        + " rewritten prompt must be reasonable and must be understood and responded by humans.\n"
        + "Your rewriting cannot omit the non-text parts such as the table and code in #The Given"
        + " Prompt#:. Also, please do not omit the input in #The Given Prompt#.\nYou SHOULD"
        + " complicate the given prompt using the following method:\n"
        + method.instruction
        + "\nYou should try your best not to make the #Rewritten Prompt# become verbose,"
        + " #Rewritten Prompt# can only add 10 to 20 words into #The Given Prompt#.\n'#The Given"
        + " Prompt#', '#Rewritten Prompt#', 'given prompt' and 'rewritten prompt' are not allowed"
        + " to appear in #Rewritten Prompt#\n#The Given Prompt#:\n"
        + instruction
        + "\n#Rewritten Prompt#:\n";
  }

  /** The equality check of elimination rule 1. */
  public static String equalityPrompt(String before, String after) {
    return EQUALITY_MARKER
        + ", which meet the following requirements:\n1. They have same constraints and"
        + " requirements.\n2. They have same depth and breadth of the inquiry.\nThe First Prompt: "
        + before
        + "\nThe Second Prompt: "
        + after
        + "\nYour Judgement (Just answer: Equal or Not Equal. No need to explain the reason.):";
  }

  private static final List<String> LEAKED =
      List.of(
          "#the given prompt#",
          "#rewritten prompt#",
          "#given prompt#",
          "#created prompt#",
          "given prompt",
          "rewritten prompt",
          "created prompt");

  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for",
          "with", "is", "are", "was", "were", "be", "been", "it", "this", "that", "i", "you", "we",
          "they", "he", "she", "not", "no", "so", "as", "do", "does", "did", "can", "will", "just");

  /**
   * Why an evolution is eliminated, or null when it survives.
   *
   * @param before the instruction that was evolved
   * @param after the evolved instruction
   * @param equality the equality judge's reply
   * @param response the model's response to the evolved instruction
   */
  public static String eliminationReason(
      String before, String after, String equality, String response) {
    String lower = after.toLowerCase(Locale.ROOT);
    for (String leak : LEAKED) {
      if (lower.contains(leak)) {
        return "evolution copies the evolving prompt ('" + leak + "')";
      }
    }
    if (after.isBlank()) {
      return "evolution is empty";
    }
    String eq = equality == null ? "" : equality.strip().toLowerCase(Locale.ROOT);
    if (eq.startsWith("equal") || after.strip().equals(before.strip())) {
      return "evolution adds no information (judged equal)";
    }
    List<String> words = words(response);
    if (response.toLowerCase(Locale.ROOT).contains("sorry") && words.size() < 80) {
      return "response is a short apology";
    }
    if (words.stream().allMatch(STOP_WORDS::contains)) {
      return "response is only punctuation and stop words";
    }
    return null;
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
