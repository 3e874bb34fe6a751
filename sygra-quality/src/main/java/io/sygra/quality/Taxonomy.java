package io.sygra.quality;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sygra.core.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The categories (and suggested instruction tags) the judge assigns to each record. The category
 * routes the record to its response criteria in the {@link Rubric}; category and tags are carried
 * into the output under {@code quality.llm}.
 *
 * <p>JSON form, for {@link #fromJson(Path)}:
 *
 * <pre>{@code
 * {"categories": [
 *   {"name": "code", "description": "Writing, explaining or fixing code",
 *    "tags": ["python", "debugging", "sql"]},
 *   ...
 * ]}
 * }</pre>
 *
 * @param categories the categories, in order; names unique
 */
public record Taxonomy(List<Category> categories) {

  /**
   * One category.
   *
   * @param name the name, e.g. {@code code}; letters, digits, {@code _} and {@code -}
   * @param description what belongs here, shown to the judge
   * @param tags suggested instruction tags for records of this category (the judge may add its own)
   */
  public record Category(String name, String description, List<String> tags) {
    /** Validates and copies. */
    public Category {
      Objects.requireNonNull(name, "name");
      ConfigurationException.check(
          name.matches("[A-Za-z0-9_-]+"),
          "taxonomy",
          "category name must be letters, digits, '_' or '-', was '" + name + "'");
      description = description == null ? "" : description;
      tags = tags == null ? List.of() : List.copyOf(tags);
    }
  }

  /** Validates and copies. */
  public Taxonomy {
    categories = List.copyOf(categories);
    ConfigurationException.check(!categories.isEmpty(), "taxonomy", "needs at least one category");
    Set<String> names = new LinkedHashSet<>();
    for (Category c : categories) {
      ConfigurationException.check(
          names.add(c.name()), "taxonomy", "category '" + c.name() + "' appears twice");
    }
  }

  /**
   * The default taxonomy: the categories of the default {@link Rubric} ({@code generic}, {@code
   * math}, {@code reasoning}, {@code code}, {@code complex_instruction_following}, {@code open_qa},
   * {@code closed_qa}) with suggested tags.
   */
  public static Taxonomy defaults() {
    return new Taxonomy(
        List.of(
            new Category(
                "generic",
                "Conversation, advice, opinions, creative writing and anything that fits no other"
                    + " category",
                List.of("advice", "creative_writing", "chit_chat", "opinion", "roleplay")),
            new Category(
                "math",
                "Solving or explaining mathematical problems: arithmetic, algebra, calculus,"
                    + " probability, proofs",
                List.of("arithmetic", "algebra", "calculus", "statistics", "proof")),
            new Category(
                "reasoning",
                "Logic puzzles, multi-step deduction, planning, causal or counterfactual questions",
                List.of("logic_puzzle", "planning", "causal", "commonsense")),
            new Category(
                "code",
                "Writing, explaining, reviewing or fixing code, queries and configuration",
                List.of("python", "javascript", "java", "sql", "debugging", "shell")),
            new Category(
                "complex_instruction_following",
                "Tasks with explicit constraints on format, length, style, keywords or persona",
                List.of("formatting", "length_constraint", "style", "persona", "rewrite")),
            new Category(
                "open_qa",
                "Factual or explanatory questions answered from general knowledge",
                List.of("science", "history", "health", "technology", "how_to")),
            new Category(
                "closed_qa",
                "Questions to be answered from a passage, document or context given in the prompt",
                List.of("reading_comprehension", "extraction", "summarization"))));
  }

  /**
   * Reads a taxonomy from a JSON file (see the class description).
   *
   * @throws ConfigurationException naming the file and the problem
   */
  @SuppressWarnings("unchecked")
  public static Taxonomy fromJson(Path file) {
    Objects.requireNonNull(file, "file");
    Map<String, Object> root;
    try {
      root = new ObjectMapper().readValue(Files.readString(file), Map.class);
    } catch (JsonProcessingException e) {
      throw new ConfigurationException(
          "taxonomy", file + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigurationException("taxonomy", file + ": cannot be read: " + e);
    }
    if (!(root.get("categories") instanceof List<?> list)) {
      throw new ConfigurationException("taxonomy", file + ": needs a \"categories\" array");
    }
    List<Category> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
        throw new ConfigurationException(
            "taxonomy", file + ": categories[" + i + "] needs a string \"name\"");
      }
      List<String> tags = new ArrayList<>();
      if (m.get("tags") instanceof List<?> t) {
        t.forEach(x -> tags.add(String.valueOf(x)));
      }
      out.add(new Category(name, m.get("description") instanceof String d ? d : "", tags));
    }
    return new Taxonomy(out);
  }

  /** The category names, in order. */
  public List<String> names() {
    List<String> out = new ArrayList<>(categories.size());
    categories.forEach(c -> out.add(c.name()));
    return out;
  }

  /**
   * The categories as the judge sees them: one {@code - name: description (tags: ...)} line each.
   */
  public String render() {
    StringBuilder sb = new StringBuilder();
    for (Category c : categories) {
      sb.append("- ").append(c.name()).append(": ").append(c.description());
      if (!c.tags().isEmpty()) {
        sb.append(" (example tags: ").append(String.join(", ", c.tags())).append(')');
      }
      sb.append('\n');
    }
    return sb.toString().stripTrailing();
  }
}
