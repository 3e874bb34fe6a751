package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.HttpSupport;
import io.sygra.llm.internal.client.HttpTransport;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The transport settings and setter checks every HTTP provider builder shares ({@link
 * OpenAiCompatibleClient}, {@link AnthropicClient}, {@link AzureOpenAiClient}, {@link
 * OllamaClient}, {@link OpenAiCompatibleEmbedder}). Each builder holds one and keeps its own public
 * setters (and their Javadoc), which delegate here so the checks and messages live once. Not
 * thread-safe.
 */
final class ProviderSettings {
  private final Map<String, String> headers = new LinkedHashMap<>();
  private HttpOptions httpOptions;
  private OkHttpClient okHttpClient;
  private Clock clock = Clock.systemUTC();

  ProviderSettings(HttpOptions defaults) {
    this.httpOptions = defaults;
  }

  void httpOptions(HttpOptions httpOptions) {
    ConfigurationException.check(httpOptions != null, "httpOptions", "must not be null");
    this.httpOptions = httpOptions;
  }

  void okHttpClient(OkHttpClient client) {
    this.okHttpClient = client;
  }

  void clock(Clock clock) {
    ConfigurationException.check(clock != null, "clock", "must not be null");
    this.clock = clock;
  }

  /** Records an extra request header after checking it is a valid HTTP header. */
  void header(String name, String value) {
    ConfigurationException.check(
        name != null && name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"),
        "header",
        "name must be an HTTP token, was '" + name + "'");
    ConfigurationException.check(
        value != null && value.chars().noneMatch(c -> c < 0x20 && c != '\t'),
        "header",
        "value of " + name + " must be non-null without control characters");
    headers.put(name, value);
  }

  /** A transport for these settings; the client owns and closes it. */
  HttpTransport transport() {
    return new HttpTransport(httpOptions, okHttpClient, clock);
  }

  /**
   * The headers every request carries: {@code User-Agent}, then {@code fixed} (name, value pairs),
   * then the extra headers (which replace same-named ones). The caller adds its credential last so
   * no extra header can replace it.
   */
  Headers.Builder headers(String... fixed) {
    Headers.Builder h = new Headers.Builder().add("User-Agent", "sygra-java");
    for (int i = 0; i < fixed.length; i += 2) {
      h.add(fixed[i], fixed[i + 1]);
    }
    headers.forEach(h::set);
    return h;
  }

  /** Checks a provider name for metrics, logs and errors. */
  static String provider(String provider) {
    ConfigurationException.check(
        provider != null && provider.matches("[A-Za-z0-9._-]{1,64}"),
        "provider",
        "must match [A-Za-z0-9._-]{1,64}, was '" + provider + "'");
    return provider;
  }

  /** Checks a model name: never blank, and null only when {@code optional}. */
  static String model(String model, boolean optional) {
    ConfigurationException.check(
        optional ? model == null || !model.isBlank() : model != null && !model.isBlank(),
        "model",
        "must not be blank, was '" + model + "'");
    return model;
  }

  /** Checks a key that the provider requires. */
  static Secret requiredKey(Secret apiKey) {
    ConfigurationException.check(apiKey != null, "apiKey", "must not be null");
    return apiKey;
  }

  /**
   * Checks and normalises an API root (see {@link HttpSupport#baseUrl}) that must not end with any
   * of {@code suffixes}; the message names {@code shown}.
   */
  static String apiRoot(String baseUrl, String shown, String... suffixes) {
    String v = HttpSupport.baseUrl("baseUrl", baseUrl);
    for (String suffix : suffixes) {
      ConfigurationException.check(
          !v.endsWith(suffix),
          "baseUrl",
          "must be the API root without " + shown + ", was '" + baseUrl + "'");
    }
    return v;
  }

  /** OpenAI's own API needs a key; local and compatible servers may not. */
  static void checkOpenAiKey(Secret apiKey, String baseUrl) {
    ConfigurationException.check(
        apiKey != null || !"api.openai.com".equals(HttpUrl.get(baseUrl).host()),
        "apiKey",
        "api.openai.com needs an API key (set OPENAI_API_KEY or apiKey(...))");
  }

  /** Sets {@code Authorization: Bearer <key>} when there is a key. */
  static Headers.Builder bearer(Headers.Builder headers, Secret apiKey) {
    if (apiKey != null) {
      headers.set("Authorization", "Bearer " + apiKey.reveal());
    }
    return headers;
  }

  /** The rate-limit scope of an OpenAI-style endpoint: provider, base URL and key fingerprint. */
  static String scope(String provider, String baseUrl, Secret apiKey) {
    return provider + " " + baseUrl + (apiKey == null ? "" : " key:" + apiKey.fingerprint());
  }
}
