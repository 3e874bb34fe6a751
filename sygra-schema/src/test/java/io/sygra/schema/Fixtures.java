package io.sygra.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shared fixtures, read in place from {@code ../shared/fixtures}. */
public final class Fixtures {
  private Fixtures() {}

  public static final String FLAT = "oasst/oasst1_validation_en_messages_flat.jsonl";
  public static final String TREES = "oasst/oasst_en100_trees_nulls_omitted.jsonl";
  public static final String NODES = "oasst/oasst_en100_prompt_nodes_nulls_explicit.jsonl";
  public static final String EARLY = "oasst/oasst_early_export_2023-01_trees.jsonl";
  public static final String HH = "preference/hh_rlhf_harmless_base_test.jsonl";
  public static final String LF_DPO = "preference/llamafactory_dpo_en_demo_sharegpt.json";
  public static final String LF_KTO = "preference/llamafactory_kto_en_demo_messages.json";
  public static final String ALPACA = "sft/llamafactory_alpaca_en_demo.json";
  public static final String GLAIVE = "sft/llamafactory_glaive_toolcall_en_demo_sharegpt.json";
  public static final String AXOLOTL = "sft/axolotl_sharegpt_conversation.json";
  public static final String AXOLOTL_MISSING =
      "sft/axolotl_sharegpt_conversation_missingturns.json";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final java.util.Map<String, List<String>> LINES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The fixtures directory: the {@code sygra.fixtures} property, else {@code ../shared/fixtures}.
   */
  public static Path dir() {
    String prop = System.getProperty("sygra.fixtures");
    if (prop != null && Files.isDirectory(Path.of(prop))) {
      return Path.of(prop);
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path candidate = p.resolve("../shared/fixtures").normalize();
      if (Files.isDirectory(candidate.resolve("oasst"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared fixtures not found from " + here);
  }

  /** A fixture file. */
  public static Path file(String relative) {
    return dir().resolve(relative);
  }

  /** The 1-based line {@code n} of a JSONL fixture, parsed. */
  public static JsonNode line(String relative, int n) {
    try {
      return MAPPER.readTree(lines(relative).get(n - 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** All lines of a fixture (cached). */
  public static List<String> lines(String relative) {
    return LINES.computeIfAbsent(
        relative,
        r -> {
          try {
            return Files.readAllLines(file(r), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The {@code message_id} of the flat row on line {@code n} of F. */
  public static String flatId(int n) {
    return line(FLAT, n).get("message_id").textValue();
  }
}
