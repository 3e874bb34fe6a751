package io.sygra.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prices of models in US dollars per million tokens, for the cost figures in {@code report.json}.
 * Immutable; {@link #with(String, Price)} returns a new table. Lookup of a model name tries the
 * exact name, then without a {@code vendor/} prefix ({@code openai/gpt-4o}), then the longest table
 * entry the name starts with followed by {@code -} (so {@code gpt-4o-mini-2024-07-18} finds {@code
 * gpt-4o-mini}); case is ignored.
 *
 * <p>{@link #defaults()} holds public list prices of a few well-known models as of mid-2025; they
 * change, and contracts differ, so override them with your own ({@link #with}, {@link
 * #fromJson(String)}). Models not in the table are reported as unpriced, never as free.
 */
public final class PriceTable {

  /**
   * USD per million tokens.
   *
   * @param input prompt tokens not served from the provider's prompt cache
   * @param output completion tokens (reasoning included)
   * @param cachedInput prompt tokens served from the prompt cache
   */
  public record Price(double input, double output, double cachedInput) {
    public Price {
      ConfigurationException.check(
          input >= 0
              && output >= 0
              && cachedInput >= 0
              && Double.isFinite(input + output + cachedInput),
          "price",
          "must be finite and >= 0, was " + input + "/" + output + "/" + cachedInput);
    }

    /** The cost of one call's usage in USD. */
    public double cost(Usage usage) {
      long cached =
          usage.cachedTokens() == null ? 0 : Math.min(usage.cachedTokens(), usage.promptTokens());
      long fresh = usage.promptTokens() - cached;
      return (fresh * input + cached * cachedInput + usage.completionTokens() * output) / 1e6;
    }
  }

  private static final PriceTable DEFAULTS =
      new PriceTable(Map.of())
          .with("gpt-4o", new Price(2.50, 10.00, 1.25))
          .with("gpt-4o-mini", new Price(0.15, 0.60, 0.075))
          .with("gpt-4.1", new Price(2.00, 8.00, 0.50))
          .with("gpt-4.1-mini", new Price(0.40, 1.60, 0.10))
          .with("gpt-4.1-nano", new Price(0.10, 0.40, 0.025))
          .with("o3", new Price(2.00, 8.00, 0.50))
          .with("o3-mini", new Price(1.10, 4.40, 0.55))
          .with("o4-mini", new Price(1.10, 4.40, 0.275))
          .with("claude-3-5-haiku", new Price(0.80, 4.00, 0.08))
          .with("claude-3-7-sonnet", new Price(3.00, 15.00, 0.30))
          .with("claude-sonnet-4", new Price(3.00, 15.00, 0.30))
          .with("claude-opus-4", new Price(15.00, 75.00, 1.50));

  private final Map<String, Price> prices;

  /**
   * Model names seen by {@link #lookup}, with their answer; bounded, as names come from replies.
   */
  private final ConcurrentHashMap<String, Optional<Price>> memo = new ConcurrentHashMap<>();

  private static final int MEMO_LIMIT = 1024;

  private PriceTable(Map<String, Price> prices) {
    this.prices = Collections.unmodifiableMap(new LinkedHashMap<>(prices));
  }

  /** List prices of a few well-known models (see the class comment). */
  public static PriceTable defaults() {
    return DEFAULTS;
  }

  /** A table with no prices: every model is reported as unpriced. */
  public static PriceTable empty() {
    return new PriceTable(Map.of());
  }

  /**
   * Reads prices from JSON: {@code {"my-model": {"input": 0.5, "output": 1.5, "cachedInput":
   * 0.25}}} ({@code cachedInput} defaults to {@code input}).
   *
   * @throws ConfigurationException naming the model and field at fault
   */
  public static PriceTable fromJson(String json) {
    JsonNode root;
    try {
      root = WireJson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ConfigurationException("prices", "not valid JSON: " + e.getMessage());
    }
    ConfigurationException.check(
        root != null && root.isObject(), "prices", "must be a JSON object of model -> price");
    PriceTable t = empty();
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode p = e.getValue();
      String at = "prices." + e.getKey();
      ConfigurationException.check(
          p.isObject() && p.path("input").isNumber() && p.path("output").isNumber(),
          at,
          "needs numeric 'input' and 'output' (USD per 1M tokens), was " + p);
      double input = p.get("input").asDouble();
      double cached = p.path("cachedInput").isNumber() ? p.get("cachedInput").asDouble() : input;
      t = t.with(e.getKey(), new Price(input, p.get("output").asDouble(), cached));
    }
    return t;
  }

  /** Reads a JSON price file; see {@link #fromJson(String)}. */
  public static PriceTable fromJson(Path file) {
    try {
      return fromJson(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigurationException("prices", "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** This table with {@code model} priced at {@code price} (replacing an existing entry). */
  public PriceTable with(String model, Price price) {
    ConfigurationException.check(
        model != null && !model.isBlank(), "model", "must not be blank, was '" + model + "'");
    ConfigurationException.check(price != null, "price", "must not be null");
    Map<String, Price> m = new LinkedHashMap<>(prices);
    m.put(model.toLowerCase(Locale.ROOT), price);
    return new PriceTable(m);
  }

  /** This table with every entry of {@code other} added, {@code other} winning on conflicts. */
  public PriceTable withAll(PriceTable other) {
    Map<String, Price> m = new LinkedHashMap<>(prices);
    m.putAll(other.prices);
    return new PriceTable(m);
  }

  /** The price of {@code model}, by exact name, without vendor prefix, or by longest prefix. */
  public Optional<Price> lookup(String model) {
    if (model == null) {
      return Optional.empty();
    }
    // Every metered call looks its model up; the table is immutable, so answers are memoized.
    Optional<Price> known = memo.get(model);
    if (known != null) {
      return known;
    }
    Optional<Price> found = find(model);
    if (memo.size() < MEMO_LIMIT) {
      memo.put(model, found);
    }
    return found;
  }

  private Optional<Price> find(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    Price p = prices.get(m);
    if (p == null && m.contains("/")) {
      m = m.substring(m.lastIndexOf('/') + 1);
      p = prices.get(m);
    }
    if (p == null) {
      String best = null;
      for (String k : prices.keySet()) {
        if (m.startsWith(k + "-") && (best == null || k.length() > best.length())) {
          best = k;
        }
      }
      p = best == null ? null : prices.get(best);
    }
    return Optional.ofNullable(p);
  }

  /** The entries, lower-cased model name to price. */
  public Map<String, Price> entries() {
    return prices;
  }

  @Override
  public String toString() {
    return "PriceTable" + prices.keySet();
  }
}
