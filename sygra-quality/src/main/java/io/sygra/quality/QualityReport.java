package io.sygra.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sygra.core.run.ReportContributor;
import io.sygra.quality.internal.Histogram;
import io.sygra.quality.internal.Html;
import io.sygra.quality.internal.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Collects what the quality stages did and renders it as {@code quality-report.json} and a
 * self-contained {@code quality-report.html} (inline CSS and SVG charts; no scripts, no network).
 *
 * <ul>
 *   <li><b>Funnel</b>: records in, then per stage (heuristics → dedup → judge → gate) how many
 *       entered, passed and were dropped, with counts per drop reason (a record failing several
 *       rules counts under each), and records out. {@link #reconciles()} checks {@code in = out +
 *       dropped}.
 *   <li><b>Distributions</b> of the records entering stage 1: characters, tokens, response tokens,
 *       turns, detected languages; and of the judged records: overall and question scores,
 *       categories, preference labels, judge errors.
 *   <li><b>Examples</b> of dropped records: up to {@code examplesPerReason} per reason, with a
 *       preview, the reasons and the duplicate they match.
 * </ul>
 *
 * <p>Stages report through {@link #observe}; the quality nodes and {@link QualityPipeline} do this
 * for you when given a report. As a {@link ReportContributor}, the report adds a {@code quality}
 * section (funnel and summary) to a pipeline run's {@code report.json}. Thread-safe; memory is
 * bounded (fixed buckets, capped examples).
 */
public final class QualityReport implements ReportContributor {
  /** The section added to a run's {@code report.json}. */
  public static final String SECTION = "quality";

  /** The stages of the funnel, in order. */
  public enum Stage {
    HEURISTICS,
    DEDUP,
    JUDGE,
    GATE;

    /** Lower-case name used in reports and summaries. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final int examplesPerReason;
  private final Map<Stage, StageCounts> stages = new EnumMap<>(Stage.class);
  private final Map<String, List<Map<String, Object>>> examples = new ConcurrentHashMap<>();
  private final Histogram chars = Histogram.powersOfTwo(17);
  private final Histogram tokens = Histogram.powersOfTwo(15);
  private final Histogram responseTokens = Histogram.powersOfTwo(15);
  private final Histogram turns = new Histogram(1, 2, 3, 4, 6, 8, 12, 16, 24, 32);
  private final Histogram overall = new Histogram(1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5);
  private final Counter languages = new Counter();
  private final Counter questionScores = new Counter();
  private final Counter categories = new Counter();
  private final Counter preference = new Counter();
  private final Counter judgeErrors = new Counter();
  private final Map<String, String> rules = new ConcurrentHashMap<>();
  private final Map<String, Object> settings = new ConcurrentHashMap<>();

  private QualityReport(int examplesPerReason) {
    this.examplesPerReason = examplesPerReason;
    for (Stage s : Stage.values()) {
      stages.put(s, new StageCounts());
    }
  }

  /** A report keeping 3 examples per drop reason. */
  public static QualityReport create() {
    return new QualityReport(3);
  }

  /** A report keeping up to {@code examplesPerReason} examples per drop reason (0 for none). */
  public static QualityReport create(int examplesPerReason) {
    io.sygra.core.ConfigurationException.check(
        examplesPerReason >= 0, "examplesPerReason", "must be >= 0, was " + examplesPerReason);
    return new QualityReport(examplesPerReason);
  }

  /** Records the rule descriptions shown in the report (reason → description). */
  public void rules(QualityRules r) {
    rules.putAll(r.describe());
  }

  /** Records a setting shown in the report (e.g. the dedup configuration). */
  public void setting(String name, Object value) {
    settings.put(name, String.valueOf(value));
  }

  /**
   * Records one record's passage through {@code stage}.
   *
   * @param id the record id
   * @param quality the record's {@code quality} object after the stage (may be null)
   * @param dropReasons why the stage dropped the record; empty when it passed
   * @param preview a short text of the record for examples (may be null)
   */
  public void observe(
      Stage stage,
      String id,
      Map<String, Object> quality,
      List<String> dropReasons,
      String preview) {
    StageCounts sc = stages.get(stage);
    sc.entered.increment();
    if (dropReasons.isEmpty()) {
      sc.passed.increment();
    } else {
      sc.dropped.increment();
      for (String r : dropReasons) {
        sc.reasons.computeIfAbsent(r, k -> new LongAdder()).increment();
        example(r, id, quality, dropReasons, preview);
      }
    }
    if (quality == null) {
      return;
    }
    if (stage == Stage.HEURISTICS) {
      add(chars, JsonPath.number(quality, "heuristic.shape.chars"));
      add(tokens, JsonPath.number(quality, "heuristic.shape.tokens"));
      add(responseTokens, JsonPath.number(quality, "heuristic.shape.response_tokens"));
      add(turns, JsonPath.number(quality, "heuristic.shape.turns"));
      Object lang = JsonPath.get(quality, "heuristic.language.detected");
      if (JsonPath.get(quality, "heuristic.language") != null) {
        languages.add(lang == null ? "unknown" : String.valueOf(lang));
      }
    } else if (stage == Stage.JUDGE) {
      add(overall, JsonPath.number(quality, "llm.overall"));
      Double q = JsonPath.number(quality, "llm.question.score");
      if (q != null) {
        questionScores.add(String.valueOf(q.intValue()));
      }
      Object cat = JsonPath.get(quality, "llm.category");
      if (cat != null) {
        categories.add(String.valueOf(cat));
      }
      Object label = JsonPath.get(quality, "llm.preference.label");
      if (label != null) {
        preference.add(String.valueOf(label));
      }
      Object kind = JsonPath.get(quality, "llm.error.kind");
      if (kind != null) {
        judgeErrors.add(JsonPath.get(quality, "llm.error.stage") + ": " + kind);
      }
    }
  }

  private static void add(Histogram h, Double v) {
    if (v != null) {
      h.add(v);
    }
  }

  private void example(
      String reason, String id, Map<String, Object> quality, List<String> reasons, String preview) {
    if (examplesPerReason == 0) {
      return;
    }
    List<Map<String, Object>> list =
        examples.computeIfAbsent(reason, k -> Collections.synchronizedList(new ArrayList<>()));
    synchronized (list) {
      if (list.size() >= examplesPerReason) {
        return;
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("id", id);
      e.put("reasons", List.copyOf(reasons));
      if (quality != null && quality.get(Quality.DEDUP) != null) {
        e.put("dedup", quality.get(Quality.DEDUP));
      }
      Object err = quality == null ? null : JsonPath.get(quality, "llm.error");
      if (err != null) {
        e.put("judgeError", err);
      }
      Object overallScore = quality == null ? null : JsonPath.get(quality, "llm.overall");
      if (overallScore != null) {
        e.put("overall", overallScore);
      }
      if (preview != null) {
        e.put("preview", preview);
      }
      list.add(e);
    }
  }

  /** Records that entered the first stage observed. */
  public long in() {
    for (Stage s : Stage.values()) {
      long n = stages.get(s).entered.sum();
      if (n > 0) {
        return n;
      }
    }
    return 0;
  }

  /** Records that passed the last stage observed. */
  public long out() {
    Stage last = lastStage();
    return last == null ? 0 : stages.get(last).passed.sum();
  }

  /** Records dropped by {@code stage}. */
  public long dropped(Stage stage) {
    return stages.get(stage).dropped.sum();
  }

  /** Records that entered {@code stage}. */
  public long entered(Stage stage) {
    return stages.get(stage).entered.sum();
  }

  /** Records dropped by all stages. */
  public long dropped() {
    long n = 0;
    for (StageCounts sc : stages.values()) {
      n += sc.dropped.sum();
    }
    return n;
  }

  /** Drops by reason for {@code stage}, sorted by reason. */
  public Map<String, Long> reasons(Stage stage) {
    Map<String, Long> m = new TreeMap<>();
    stages.get(stage).reasons.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /**
   * True when {@code in = out + dropped} and every observed stage received exactly the records the
   * previous one passed.
   */
  public boolean reconciles() {
    long prevPassed = -1;
    for (Stage s : Stage.values()) {
      StageCounts sc = stages.get(s);
      long entered = sc.entered.sum();
      if (entered == 0) {
        continue;
      }
      if (prevPassed >= 0 && entered != prevPassed) {
        return false;
      }
      if (entered != sc.passed.sum() + sc.dropped.sum()) {
        return false;
      }
      prevPassed = sc.passed.sum();
    }
    return in() == out() + dropped();
  }

  private Stage lastStage() {
    Stage last = null;
    for (Stage s : Stage.values()) {
      if (stages.get(s).entered.sum() > 0) {
        last = s;
      }
    }
    return last;
  }

  /** The funnel: {@code in}, per-stage counts and reasons, {@code out}, {@code reconciles}. */
  public Map<String, Object> funnel() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("in", in());
    List<Object> list = new ArrayList<>();
    for (Stage s : Stage.values()) {
      StageCounts sc = stages.get(s);
      if (sc.entered.sum() == 0) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", s.id());
      m.put("entered", sc.entered.sum());
      m.put("passed", sc.passed.sum());
      m.put("dropped", sc.dropped.sum());
      m.put("reasons", reasons(s));
      list.add(m);
    }
    f.put("stages", list);
    f.put("out", out());
    f.put("reconciles", reconciles());
    return f;
  }

  /** The whole report as written to {@code quality-report.json}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("funnel", funnel());
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("chars", chars.toMap());
    d.put("tokens", tokens.toMap());
    d.put("responseTokens", responseTokens.toMap());
    d.put("turns", turns.toMap());
    d.put("languages", languages.toMap());
    m.put("distributions", d);
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("judged", entered(Stage.JUDGE));
    j.put("overall", overall.toMap());
    j.put("questionScores", questionScores.toMap());
    j.put("categories", categories.toMap());
    j.put("preference", preference.toMap());
    j.put("errors", judgeErrors.toMap());
    m.put("judge", j);
    Map<String, Object> ex = new TreeMap<>();
    examples.forEach(
        (k, v) -> {
          synchronized (v) {
            ex.put(k, List.copyOf(v));
          }
        });
    m.put("examples", ex);
    if (!rules.isEmpty()) {
      m.put("rules", new TreeMap<>(rules));
    }
    if (!settings.isEmpty()) {
      m.put("settings", new TreeMap<>(settings));
    }
    return m;
  }

  @Override
  public void contribute(Map<String, Object> sections) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("funnel", funnel());
    s.put("judged", entered(Stage.JUDGE));
    sections.put(SECTION, s);
  }

  /**
   * Writes {@code quality-report.json} and {@code quality-report.html} into {@code dir} (created if
   * needed), each replaced atomically.
   *
   * @throws UncheckedIOException when the files cannot be written
   */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      Map<String, Object> m = toMap();
      atomically(dir.resolve("quality-report.json"), JSON.writeValueAsString(m) + "\n");
      atomically(dir.resolve("quality-report.html"), html(m));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the quality report to " + dir, e);
    }
  }

  private static void atomically(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The self-contained HTML page. */
  public String toHtml() {
    return html(toMap());
  }

  @SuppressWarnings("unchecked")
  private static String html(Map<String, Object> m) {
    Map<String, Object> funnel = (Map<String, Object>) m.get("funnel");
    Map<String, Object> d = (Map<String, Object>) m.get("distributions");
    Map<String, Object> j = (Map<String, Object>) m.get("judge");
    StringBuilder sb = new StringBuilder(32_768);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>SyGra quality report</title><style>")
        .append(Html.CSS)
        .append("</style></head><body>\n<h1>Quality report</h1>\n");
    boolean ok = Boolean.TRUE.equals(funnel.get("reconciles"));
    sb.append("<p>")
        .append(funnel.get("in"))
        .append(" records in, ")
        .append(funnel.get("out"))
        .append(" out. Counts ")
        .append(
            ok
                ? "<span class=\"ok\">reconcile</span>"
                : "<span class=\"bad\">do NOT reconcile</span>")
        .append(".</p>\n<h2>Funnel</h2>\n");
    List<Map.Entry<String, Long>> bars = new ArrayList<>();
    bars.add(Map.entry("in", ((Number) funnel.get("in")).longValue()));
    List<Map<String, Object>> stageList = (List<Map<String, Object>>) funnel.get("stages");
    for (Map<String, Object> s : stageList) {
      bars.add(Map.entry("after " + s.get("stage"), ((Number) s.get("passed")).longValue()));
    }
    sb.append(Html.hbars(bars, "#2f81f7"));
    sb.append("<table><tr><th>stage</th><th class=\"num\">entered</th><th class=\"num\">passed")
        .append("</th><th class=\"num\">dropped</th><th>drops by reason</th></tr>\n");
    for (Map<String, Object> s : stageList) {
      sb.append("<tr><td>")
          .append(Html.esc(s.get("stage")))
          .append("</td><td class=\"num\">")
          .append(s.get("entered"))
          .append("</td><td class=\"num\">")
          .append(s.get("passed"))
          .append("</td><td class=\"num\">")
          .append(s.get("dropped"))
          .append("</td><td>");
      Map<String, Object> reasons = (Map<String, Object>) s.get("reasons");
      List<String> parts = new ArrayList<>();
      reasons.forEach((k, v) -> parts.add(Html.esc(k) + ": " + v));
      sb.append(parts.isEmpty() ? "—" : String.join("<br>", parts)).append("</td></tr>\n");
    }
    sb.append("</table>\n");
    List<Map.Entry<String, Long>> reasonBars = new ArrayList<>();
    for (Map<String, Object> s : stageList) {
      ((Map<String, Object>) s.get("reasons"))
          .forEach((k, v) -> reasonBars.add(Map.entry(k, ((Number) v).longValue())));
    }
    reasonBars.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    sb.append("<h2>Drops by reason</h2>\n").append(Html.hbars(reasonBars, "#cf222e"));

    sb.append("\n<h2>Distributions (records entering stage 1)</h2>\n<div class=\"grid\">");
    for (String[] h :
        new String[][] {
          {"tokens", "Tokens per record"},
          {"responseTokens", "Response tokens per record"},
          {"chars", "Characters per record"},
          {"turns", "Turns per record"}
        }) {
      Map<String, Object> hist = (Map<String, Object>) d.get(h[0]);
      sb.append("<div><h3>").append(h[1]).append("</h3>");
      if (hist.get("mean") != null) {
        sb.append("<p class=\"muted\">min ")
            .append(hist.get("min"))
            .append(", mean ")
            .append(hist.get("mean"))
            .append(", max ")
            .append(hist.get("max"))
            .append("</p>");
      }
      sb.append(Html.histogram(hist, "#8250df")).append("</div>");
    }
    sb.append("<div><h3>Detected languages</h3>")
        .append(Html.hbars(entries((Map<String, Object>) d.get("languages")), "#1a7f37"))
        .append("</div></div>\n");

    sb.append("<h2>Judge</h2>\n<p>")
        .append(j.get("judged"))
        .append(" records judged.</p><div class=\"grid\">");
    sb.append("<div><h3>Overall response score</h3>")
        .append(Html.histogram((Map<String, Object>) j.get("overall"), "#bf8700"))
        .append("</div>");
    sb.append("<div><h3>Question quality</h3>")
        .append(Html.hbars(entries((Map<String, Object>) j.get("questionScores")), "#bf8700"))
        .append("</div>");
    sb.append("<div><h3>Categories</h3>")
        .append(Html.hbars(entries((Map<String, Object>) j.get("categories")), "#0969da"))
        .append("</div>");
    sb.append("<div><h3>Preference labels (pairs)</h3>")
        .append(Html.hbars(entries((Map<String, Object>) j.get("preference")), "#0969da"))
        .append("</div>");
    sb.append("<div><h3>Judge errors</h3>")
        .append(Html.hbars(entries((Map<String, Object>) j.get("errors")), "#cf222e"))
        .append("</div></div>\n");

    sb.append("<h2>Examples of dropped records</h2>\n");
    Map<String, Object> ex = (Map<String, Object>) m.get("examples");
    if (ex.isEmpty()) {
      sb.append("<p class=\"muted\">none</p>");
    }
    ex.forEach(
        (reason, list) -> {
          sb.append("<h3>").append(Html.esc(reason)).append("</h3>");
          for (Map<String, Object> e : (List<Map<String, Object>>) list) {
            sb.append("<p><b>").append(Html.esc(e.get("id"))).append("</b> — ");
            sb.append(Html.esc(String.join(", ", (List<String>) e.get("reasons"))));
            if (e.get("dedup") instanceof Map<?, ?> dd) {
              sb.append(" — duplicate of <b>")
                  .append(Html.esc(dd.get("duplicate_of")))
                  .append("</b> (")
                  .append(Html.esc(dd.get("method")))
                  .append(", similarity ")
                  .append(Html.esc(dd.get("similarity")))
                  .append(')');
            }
            if (e.get("judgeError") instanceof Map<?, ?> je) {
              sb.append(" — judge ")
                  .append(Html.esc(je.get("kind")))
                  .append(": ")
                  .append(Html.esc(je.get("message")));
            }
            sb.append("</p>");
            if (e.get("preview") != null) {
              sb.append("<pre>").append(Html.esc(e.get("preview"))).append("</pre>");
            }
          }
        });
    if (m.get("rules") instanceof Map<?, ?> rules) {
      sb.append("<h2>Rules</h2>\n<table><tr><th>reason</th><th>fails when</th></tr>");
      rules.forEach(
          (k, v) ->
              sb.append("<tr><td>")
                  .append(Html.esc(k))
                  .append("</td><td><code>")
                  .append(Html.esc(v))
                  .append("</code></td></tr>"));
      sb.append("</table>\n");
    }
    if (m.get("settings") instanceof Map<?, ?> s) {
      sb.append("<h2>Settings</h2>\n<table>");
      s.forEach(
          (k, v) ->
              sb.append("<tr><th>")
                  .append(Html.esc(k))
                  .append("</th><td>")
                  .append(Html.esc(v))
                  .append("</td></tr>"));
      sb.append("</table>\n");
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static List<Map.Entry<String, Long>> entries(Map<String, Object> counts) {
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    counts.forEach((k, v) -> out.add(Map.entry(k, ((Number) v).longValue())));
    out.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    return out;
  }

  private static final class StageCounts {
    final LongAdder entered = new LongAdder();
    final LongAdder passed = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();
  }

  private static final class Counter {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String key) {
      counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new TreeMap<>();
      counts.forEach((k, v) -> m.put(k, v.sum()));
      return m;
    }
  }
}
