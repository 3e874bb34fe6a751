package io.sygra.llm;

import java.util.Objects;

/** A part of a message's content. */
public sealed interface ContentPart {

  /** Plain text. */
  record Text(String text) implements ContentPart {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * An image by URL ({@code https://...} or a {@code data:image/...;base64,...} URL).
   *
   * @param url the image URL
   * @param detail {@code low}, {@code high}, {@code auto} or null
   */
  record Image(String url, String detail) implements ContentPart {
    public Image {
      Objects.requireNonNull(url, "url");
    }
  }
}
