package io.sygra.llm.internal.client;

/** A {@code data:<media type>;base64,<data>} URL split into its parts. */
record DataUrl(String mediaType, String base64) {

  /** The parts of a base64 data URL, or null when {@code url} is not one. */
  static DataUrl parse(String url) {
    if (url == null || !url.startsWith("data:")) {
      return null;
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      return null;
    }
    String meta = url.substring(5, comma);
    if (!meta.endsWith(";base64")) {
      return null;
    }
    String type = meta.substring(0, meta.length() - ";base64".length());
    return new DataUrl(
        type.isEmpty() ? "application/octet-stream" : type, url.substring(comma + 1));
  }
}
