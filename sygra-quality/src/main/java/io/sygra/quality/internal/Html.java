package io.sygra.quality.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the self-contained HTML quality report: inline CSS, inline SVG charts, no scripts. */
public final class Html {
  private Html() {}

  /** Escapes text for HTML element content and attribute values. */
  public static String esc(Object o) {
    String s = String.valueOf(o);
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A horizontal bar chart of labelled values (in the given order). */
  public static String hbars(List<Map.Entry<String, Long>> rows, String color) {
    if (rows.isEmpty()) {
      return "<p class=\"muted\">none</p>";
    }
    long max = 1;
    for (Map.Entry<String, Long> r : rows) {
      max = Math.max(max, r.getValue());
    }
    int rowH = 22;
    int labelW = 260;
    int barW = 420;
    int h = rows.size() * rowH + 4;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
            labelW + barW + 80,
            h));
    int y = 2;
    for (Map.Entry<String, Long> r : rows) {
      int w = (int) Math.round(barW * (r.getValue() / (double) max));
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"lbl\">%s</text>"
                  + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" class=\"val\">%d</text>",
              labelW - 6,
              y + 15,
              esc(shorten(r.getKey(), 40)),
              labelW,
              y + 3,
              Math.max(w, r.getValue() > 0 ? 1 : 0),
              rowH - 6,
              color,
              labelW + w + 6,
              y + 15,
              r.getValue()));
      y += rowH;
    }
    sb.append("</svg>");
    return sb.toString();
  }

  /** A vertical histogram of the buckets of a {@link Histogram#toMap()}. */
  @SuppressWarnings("unchecked")
  public static String histogram(Map<String, Object> hist, String color) {
    List<Map<String, Object>> buckets = (List<Map<String, Object>>) hist.get("buckets");
    if (buckets == null || ((Number) hist.get("count")).longValue() == 0) {
      return "<p class=\"muted\">no data</p>";
    }
    // Trim empty buckets at both ends so the chart shows the populated range.
    int from = 0;
    int to = buckets.size() - 1;
    while (from < to && ((Number) buckets.get(from).get("count")).longValue() == 0) {
      from++;
    }
    while (to > from && ((Number) buckets.get(to).get("count")).longValue() == 0) {
      to--;
    }
    long max = 1;
    for (int i = from; i <= to; i++) {
      max = Math.max(max, ((Number) buckets.get(i).get("count")).longValue());
    }
    int n = to - from + 1;
    int barW = Math.max(18, Math.min(48, 640 / n));
    int chartH = 140;
    int w = n * (barW + 4) + 20;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
            w,
            chartH + 44));
    int x = 10;
    for (int i = from; i <= to; i++) {
      long c = ((Number) buckets.get(i).get("count")).longValue();
      int h = (int) Math.round(chartH * (c / (double) max));
      Object le = buckets.get(i).get("le");
      String label =
          le instanceof Number num ? "≤" + fmt(num.doubleValue()) : ">" + fmt(prev(buckets, i));
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s: %d</title></rect>"
                  + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"val\">%d</text>"
                  + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%s</text>",
              x,
              chartH - h + 14,
              barW,
              Math.max(h, c > 0 ? 1 : 0),
              color,
              esc(label),
              c,
              x + barW / 2,
              chartH - h + 10,
              c,
              x + barW / 2,
              chartH + 30,
              esc(label)));
      x += barW + 4;
    }
    sb.append("</svg>");
    return sb.toString();
  }

  private static double prev(List<Map<String, Object>> buckets, int i) {
    for (int j = i - 1; j >= 0; j--) {
      if (buckets.get(j).get("le") instanceof Number n) {
        return n.doubleValue();
      }
    }
    return 0;
  }

  private static String fmt(double v) {
    if (v == Math.rint(v)) {
      long l = (long) v;
      return l >= 1024 && l % 1024 == 0 ? (l / 1024) + "k" : Long.toString(l);
    }
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String shorten(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  /** The page's style sheet. */
  public static final String CSS =
      "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;"
          + "max-width:1100px;color:#1f2328;padding:0 16px}"
          + "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px solid #d0d7de;"
          + "padding-bottom:4px}table{border-collapse:collapse;margin:8px 0}"
          + "td,th{border:1px solid #d0d7de;padding:4px 10px;text-align:left;vertical-align:top}"
          + "th{background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}"
          + ".muted{color:#6e7781}.lbl{font-size:12px;fill:#1f2328}.val{font-size:11px;"
          + "fill:#57606a}.tick{font-size:11px;fill:#57606a}pre{white-space:pre-wrap;"
          + "background:#f6f8fa;padding:8px;border-radius:6px;max-height:220px;overflow:auto;"
          + "font-size:12px}.ok{color:#1a7f37}.bad{color:#cf222e}.grid{display:grid;"
          + "grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:8px 24px}";
}
