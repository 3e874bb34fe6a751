package io.sygra.samples;

import java.util.List;

/**
 * AugCon's prompts: the Context-Split-Tree instruction with worked examples, the three degraded
 * variants whose questions serve as the scorer's negatives (a terse instruction, fewer examples, or
 * both), and the answer prompt with its principles. The examples are written for this project.
 */
final class AugConPrompts {
  private AugConPrompts() {}

  static final String FULL_INSTRUCTION =
      "Given an entire context as the Context, generate a Question about the entire context that"
          + " users might be interested in, which answer should be able to be derived directly from"
          + " the Context. Then, divide the entire context into two sub-contexts Context 1 and"
          + " Context 2 based on their semantic content, making necessary adjustments within each"
          + " sub-context to ensure they are independently coherent.";

  static final String TERSE_INSTRUCTION =
      "Given a context, generate a question and split context into two sub-contexts.";

  static final String FORM =
      "---\n\nProvide in the following form:\n\nContext: The entire context\n\n"
          + "Question: Regarding the entire context\n\nContext 1: Sub-context 1\n\n"
          + "Context 2: Sub-context 2\n\n---\n\n";

  static final List<String> EXAMPLES =
      List.of(
          "Context: The lighthouse on the northern cape was automated in 1987. Before that, three"
              + " keepers lived on site in rotating shifts, maintaining the lamp, logging passing"
              + " ships and sending weather reports by radio twice a day.\n\n"
              + "Question: How did the operation of the northern cape lighthouse change in"
              + " 1987?\n\n"
              + "Context 1: The lighthouse on the northern cape was automated in 1987.\n\n"
              + "Context 2: Before the lighthouse was automated, three keepers lived on site in"
              + " rotating shifts, maintaining the lamp, logging passing ships and sending weather"
              + " reports by radio twice a day.\n\n---\n\n",
          "Context: Sourdough rises because wild yeasts and lactic acid bacteria ferment the flour;"
              + " the bacteria also give the bread its sour taste.\n\n"
              + "Question: What role do microorganisms play in sourdough bread?\n\n"
              + "Context 1: Sourdough rises because wild yeasts and lactic acid bacteria ferment"
              + " the flour.\n\n"
              + "Context 2: The lactic acid bacteria in sourdough give the bread its sour"
              + " taste.\n\n---\n\n");

  /** The CST prompt variant: which instruction, and how many worked examples. */
  enum Variant {
    FULL(FULL_INSTRUCTION, 2),
    TERSE_INSTRUCTION_ONLY(AugConPrompts.TERSE_INSTRUCTION, 2),
    FEWER_EXAMPLES(FULL_INSTRUCTION, 1),
    TERSE_AND_FEWER(AugConPrompts.TERSE_INSTRUCTION, 1);

    final String instruction;
    final int examples;

    Variant(String instruction, int examples) {
      this.instruction = instruction;
      this.examples = examples;
    }

    /** The three degraded variants, used for the scorer's negatives. */
    static final List<Variant> DEGRADED =
        List.of(TERSE_INSTRUCTION_ONLY, FEWER_EXAMPLES, TERSE_AND_FEWER);
  }

  /**
   * The CST prompt for {@code variant}, as a template ending in {@code Context: <context
   * placeholder>\n\nQuestion: }. Literal braces are escaped for the template parser.
   */
  static String cst(Variant variant, String contextPlaceholder) {
    StringBuilder sb = new StringBuilder(variant.instruction).append("\n\n").append(FORM);
    for (int i = 0; i < variant.examples; i++) {
      sb.append(EXAMPLES.get(i));
    }
    return sb.append("Context: ").append(contextPlaceholder).append("\n\nQuestion: ").toString();
  }

  static final String PRINCIPLES_MARKER = "you must follow the following principles.";

  /** The answer prompt (AugCon's principles, chain-of-thought then answer). */
  static final String ANSWER =
      "Given a contextual reference and a question, to return the answer, "
          + PRINCIPLES_MARKER
          + "\nPrinciples\n"
          + "1. You must use contextual references to answer questions accurately and without"
          + " error.\n"
          + "2. When answering, it is necessary to imitate the way humans answer questions.\n"
          + "3. Please do not provide answers that violate ethics.\n\n"
          + "Follow the following format.\n\n"
          + "Context: Context reference\nQuestion: question\n"
          + "Reasoning: Let's think step by step in order to produce the answer.\n"
          + "Answer: Your answer\n\n---\n\n"
          + "Context: {context}\nQuestion: {question}\nReasoning: Let's think step by step in"
          + " order to";
}
