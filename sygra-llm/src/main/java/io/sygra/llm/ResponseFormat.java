package io.sygra.llm;

import java.util.Map;
import java.util.Objects;

/** How the model should shape its reply. */
public sealed interface ResponseFormat {

  /** Free text (the default). */
  record Text() implements ResponseFormat {}

  /** Any JSON object ({@code response_format: json_object}). */
  record JsonObject() implements ResponseFormat {}

  /**
   * JSON matching a schema ({@code response_format: json_schema}).
   *
   * @param name schema name sent to the server
   * @param schema the JSON schema
   * @param strict ask for exact adherence where supported
   */
  record JsonSchema(String name, Map<String, Object> schema, boolean strict)
      implements ResponseFormat {
    public JsonSchema {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(schema, "schema");
    }
  }
}
