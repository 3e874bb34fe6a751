package io.sygra.schema.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.schema.Conversation;
import io.sygra.schema.Example;
import io.sygra.schema.Format;
import io.sygra.schema.Preference;
import io.sygra.schema.SchemaException;
import java.io.IOException;
import java.util.Map;

/** Reads one record of a format into the model and writes model examples back. */
public interface Codec {
  /**
   * Reads one record.
   *
   * @throws SchemaException with the JSON path (within the record) of the offending field
   */
  Example read(JsonNode record);

  /**
   * Writes {@code example} as one or more records, each followed by a newline.
   *
   * @param metadata whether to write a non-empty {@code metadata} object (when the format allows)
   * @throws SchemaException when the format cannot represent the example
   */
  void write(Example example, JsonGenerator g, boolean metadata) throws IOException;

  /** The codec of a record format (every format but {@code oasst} and {@code sygra-oasst}). */
  static Codec of(Format format) {
    return switch (format) {
      case TRL_SFT -> new TrlCodecs.Sft();
      case TRL_PROMPT_COMPLETION -> new TrlCodecs.PromptCompletion();
      case TRL_DPO -> new TrlCodecs.Dpo();
      case KTO -> new TrlCodecs.Kto();
      case SHAREGPT -> new ShareGptCodecs.Sft();
      case LLAMAFACTORY_DPO -> new ShareGptCodecs.LlamaFactoryDpo();
      case ALPACA -> new AlpacaCodec();
      case OPENAI_CHAT -> new OpenAiCodecs.Chat();
      case OPENAI_PREFERENCE -> new OpenAiCodecs.Preference();
      case HH_RLHF -> new HhRlhfCodec();
      case OASST, SYGRA_OASST ->
          throw new IllegalArgumentException(format + " is grouped by tree, not a record codec");
    };
  }

  /**
   * The SFT conversation an example stands for: itself, or {@code prompt + chosen} of a pair or a
   * desirable KTO example.
   *
   * @throws SchemaException for an undesirable KTO example
   */
  static Conversation asConversation(Example e, Format target) {
    if (e instanceof Conversation c) {
      return c;
    }
    Preference p = (Preference) e;
    if (p.chosen().isEmpty()) {
      throw new SchemaException(
          "$", "an undesirable KTO example (label false) is not an SFT target for " + target);
    }
    return p.chosenConversation();
  }

  /**
   * The DPO pair an example stands for.
   *
   * @throws SchemaException when it is an SFT conversation or a KTO example
   */
  static Preference asPair(Example e, Format target) {
    if (e instanceof Preference p && p.isPaired()) {
      return p;
    }
    throw new SchemaException(
        "$",
        (e instanceof Conversation ? "an SFT conversation" : "a KTO example")
            + " cannot be written as "
            + target
            + ", which needs a chosen and a rejected reply");
  }

  /** Writes the {@code metadata} field when asked and non-empty. */
  static void writeMetadata(JsonGenerator g, Map<String, Object> metadata, boolean enabled)
      throws IOException {
    if (enabled && !metadata.isEmpty()) {
      g.writeFieldName("metadata");
      Json.writeValue(g, metadata);
    }
  }

  /** Ends one record: closes the generator's root object and writes the newline. */
  static void endRecord(JsonGenerator g) throws IOException {
    g.writeEndObject();
    g.writeRaw('\n');
  }
}
