package io.sygra.quality;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import io.sygra.core.ConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Detects the language of every turn with Lingua and compares it with the declared language ({@code
 * quality.heuristic.language}):
 *
 * <ul>
 *   <li>{@code turns}: per turn {@code {lang, confidence}} (ISO 639-1 code and Lingua's probability
 *       in [0, 1]), or null for a turn with too little text;
 *   <li>{@code detected}: the language of most of the text (weighted by characters), with {@code
 *       confidence};
 *   <li>{@code declared}: the record's declared language, when known;
 *   <li>{@code mismatch} and {@code mismatched_turns}: turns whose declared language (per turn, or
 *       the record's) differs from the detected one, counting only turns with at least {@link
 *       Builder#minLetters(int)} letters detected with at least {@link
 *       Builder#minConfidence(double)}.
 * </ul>
 *
 * <p>Code blocks, inline code and URLs are removed before detection. The detector is built once, on
 * first use, from the configured languages only (fewer languages: less memory, faster, fewer
 * confusions); {@link Builder#lowAccuracy(boolean) low-accuracy mode} (the default) uses trigram
 * models only, which is several times faster and much smaller, at some cost on very short texts.
 * The last {@value #MEMO_SIZE} cleaned turn texts and their results are remembered, so turns
 * repeated in nearby records (the shared prompts of conversations cut from one OASST tree, of a DPO
 * pair and its SFT paths) are detected once. Thread-safe.
 */
public final class LanguageTagger implements QualityTagger {
  /** The default languages: those most common in public instruction and chat data. */
  public static final List<String> DEFAULT_LANGUAGES =
      List.of(
          "en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "cs", "sv", "da", "fi", "nb",
          "tr", "el", "hu", "ro", "bg", "ca", "ar", "he", "fa", "hi", "bn", "zh", "ja", "ko", "vi",
          "th", "id");

  private static final Pattern CODE_BLOCK = Pattern.compile("(?s)```.*?(```|$)|~~~.*?(~~~|$)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
  private static final Pattern URL = Pattern.compile("\\bhttps?://\\S+");
  private static final int MEMO_SIZE = 512;
  private static final Map<String, Object> NOT_DETECTED = Map.of();

  /**
   * Lingua hands every detection to {@code ForkJoinPool.commonPool()} and waits for it. A plain
   * thread (or a common-pool worker) runs the task itself while it waits, but a worker of another
   * fork-join pool, such as a graph run's, cannot: its detections queue up behind the common pool's
   * workers (one on a two-core machine) while it blocks. Such callers hand the call to these plain
   * threads instead.
   */
  private static final ExecutorService PLAIN_CALLERS = plainCallers();

  private final Set<Language> languages;
  private final boolean lowAccuracy;
  private final int minLetters;
  private final double minConfidence;
  private final int maxChars;
  private volatile LanguageDetector detector;
  private final Map<String, Object> memo =
      new java.util.LinkedHashMap<>(MEMO_SIZE * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
          return size() > MEMO_SIZE;
        }
      };

  private LanguageTagger(Builder b) {
    this.languages = b.languages;
    this.lowAccuracy = b.lowAccuracy;
    this.minLetters = b.minLetters;
    this.minConfidence = b.minConfidence;
    this.maxChars = b.maxChars;
  }

  /** A tagger with the defaults: {@link #DEFAULT_LANGUAGES}, low-accuracy mode. */
  public static LanguageTagger create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "language";
  }

  private LanguageDetector detector() {
    LanguageDetector d = detector;
    if (d == null) {
      synchronized (this) {
        d = detector;
        if (d == null) {
          LanguageDetectorBuilder b =
              LanguageDetectorBuilder.fromLanguages(languages.toArray(new Language[0]));
          if (lowAccuracy) {
            b = b.withLowAccuracyMode();
          }
          d = b.build();
          detector = d;
        }
      }
    }
    return d;
  }

  /**
   * Detects the language of one text.
   *
   * @return {@code {lang, confidence}}, or null when the text has fewer than {@code minLetters}
   *     letters after cleaning or no language is recognised
   */
  public Map<String, Object> detect(String text) {
    return detectClean(clean(text));
  }

  private Map<String, Object> detectClean(String clean) {
    if (letters(clean) < Math.min(minLetters, 3)) {
      return null;
    }
    SortedMap<Language, Double> values = confidences(clean);
    if (values.isEmpty()) {
      return null;
    }
    Map.Entry<Language, Double> top = null;
    for (Map.Entry<Language, Double> e : values.entrySet()) {
      if (top == null || e.getValue() > top.getValue()) {
        top = e;
      }
    }
    if (top.getKey() == Language.UNKNOWN) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>(4);
    m.put("lang", code(top.getKey()));
    m.put("confidence", Math.round(top.getValue() * 1000) / 1000.0);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** {@link #detect} of a cleaned turn text, remembered for the next turns with the same text. */
  private Map<String, Object> detectTurn(String clean) {
    Object known;
    synchronized (memo) {
      known = memo.get(clean);
    }
    if (known == null) {
      Map<String, Object> d = detectClean(clean);
      known = d == null ? NOT_DETECTED : d;
      synchronized (memo) {
        memo.put(clean, known);
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> d = known == NOT_DETECTED ? null : (Map<String, Object>) known;
    return d;
  }

  private SortedMap<Language, Double> confidences(String clean) {
    LanguageDetector d = detector();
    if (!(Thread.currentThread() instanceof ForkJoinWorkerThread w)
        || w.getPool() == ForkJoinPool.commonPool()) {
      return d.computeLanguageConfidenceValues(clean);
    }
    Future<SortedMap<Language, Double>> f =
        PLAIN_CALLERS.submit(() -> d.computeLanguageConfidenceValues(clean));
    try {
      ForkJoinPool.managedBlock(
          new ForkJoinPool.ManagedBlocker() {
            @Override
            public boolean block() throws InterruptedException {
              try {
                f.get();
              } catch (ExecutionException e) {
                // reported by the get() below
              }
              return true;
            }

            @Override
            public boolean isReleasable() {
              return f.isDone();
            }
          });
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while detecting the language", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static ExecutorService plainCallers() {
    AtomicInteger n = new AtomicInteger();
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "sygra-language-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public Map<String, Object> tag(QualitySample sample) {
    List<Object> perTurn = new ArrayList<>(sample.turns().size());
    Map<String, Integer> weight = new LinkedHashMap<>();
    Map<String, Double> confidenceSum = new LinkedHashMap<>();
    List<Integer> mismatched = new ArrayList<>();
    for (int i = 0; i < sample.turns().size(); i++) {
      QualitySample.Turn t = sample.turns().get(i);
      if (t.role().equals("tool")) {
        perTurn.add(null);
        continue;
      }
      String clean = clean(t.content());
      int letters = letters(clean);
      Map<String, Object> d = letters < 3 ? null : detectTurn(clean);
      perTurn.add(d);
      if (d == null) {
        continue;
      }
      String lang = (String) d.get("lang");
      double conf = (Double) d.get("confidence");
      weight.merge(lang, letters, Integer::sum);
      confidenceSum.merge(lang, conf * letters, Double::sum);
      String declared = t.lang() != null ? t.lang() : sample.declaredLang();
      if (declared != null
          && letters >= minLetters
          && conf >= minConfidence
          && !sameLanguage(declared, lang)) {
        mismatched.add(i);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>(8);
    String top = null;
    for (Map.Entry<String, Integer> e : weight.entrySet()) {
      if (top == null || e.getValue() > weight.get(top)) {
        top = e.getKey();
      }
    }
    if (top != null) {
      m.put("detected", top);
      m.put("confidence", Math.round(confidenceSum.get(top) / weight.get(top) * 1000) / 1000.0);
    }
    String declared = sample.declaredLang();
    if (declared == null) {
      for (QualitySample.Turn t : sample.turns()) {
        if (t.lang() != null) {
          declared = t.lang();
          break;
        }
      }
    }
    if (declared != null) {
      m.put("declared", declared);
    }
    m.put("mismatch", !mismatched.isEmpty());
    if (!mismatched.isEmpty()) {
      m.put("mismatched_turns", mismatched);
    }
    m.put("turns", perTurn);
    return m;
  }

  /** Compares a declared tag ({@code en}, {@code en-US}, {@code pt_BR}) with an ISO 639-1 code. */
  static boolean sameLanguage(String declared, String detected) {
    String d = declared.toLowerCase(Locale.ROOT);
    int cut = d.indexOf('-') >= 0 ? d.indexOf('-') : d.indexOf('_');
    if (cut > 0) {
      d = d.substring(0, cut);
    }
    if (d.equals("no") || d.equals("nn")) {
      d = "nb"; // Lingua tells Bokmål and Nynorsk apart; declarations usually say "no"
    }
    return d.equals(detected) || (detected.equals("nb") && d.equals("nn"));
  }

  private String clean(String text) {
    String s = text.length() > maxChars * 2 ? text.substring(0, maxChars * 2) : text;
    if (s.indexOf('`') >= 0 || s.indexOf('~') >= 0) {
      s = CODE_BLOCK.matcher(s).replaceAll(" ");
      s = INLINE_CODE.matcher(s).replaceAll(" ");
    }
    if (s.contains("://")) {
      s = URL.matcher(s).replaceAll(" ");
    }
    return s.length() > maxChars ? s.substring(0, maxChars) : s;
  }

  private static int letters(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isLetter(s.charAt(i))) {
        n++;
      }
    }
    return n;
  }

  private static String code(Language l) {
    return l.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
  }

  /** Configures a {@link LanguageTagger}; setters validate at once. */
  public static final class Builder {
    private Set<Language> languages = languagesOf(DEFAULT_LANGUAGES);
    private boolean lowAccuracy = true;
    private int minLetters = 12;
    private double minConfidence = 0.5;
    private int maxChars = 1000;

    private Builder() {}

    /**
     * The candidate languages, as ISO 639-1 codes (at least two).
     *
     * @throws ConfigurationException naming an unknown code
     */
    public Builder languages(List<String> isoCodes) {
      Objects.requireNonNull(isoCodes, "languages");
      ConfigurationException.check(
          isoCodes.size() >= 2, "languages", "needs at least two languages, was " + isoCodes);
      this.languages = languagesOf(isoCodes);
      return this;
    }

    /** All languages Lingua knows (75; large memory footprint in high-accuracy mode). */
    public Builder allLanguages() {
      Set<Language> all = new LinkedHashSet<>(Language.Companion.all());
      this.languages = all;
      return this;
    }

    /** Trigram-only models: faster and smaller, less accurate on short texts (default true). */
    public Builder lowAccuracy(boolean lowAccuracy) {
      this.lowAccuracy = lowAccuracy;
      return this;
    }

    /** Letters a turn needs before a mismatch with its declared language counts (default 12). */
    public Builder minLetters(int minLetters) {
      ConfigurationException.check(
          minLetters >= 1, "minLetters", "must be >= 1, was " + minLetters);
      this.minLetters = minLetters;
      return this;
    }

    /** Detection confidence a mismatch needs, in [0, 1] (default 0.5). */
    public Builder minConfidence(double minConfidence) {
      ConfigurationException.check(
          minConfidence >= 0 && minConfidence <= 1,
          "minConfidence",
          "must be in [0, 1], was " + minConfidence);
      this.minConfidence = minConfidence;
      return this;
    }

    /** Characters of each turn analysed, from its start (default 1000). */
    public Builder maxChars(int maxChars) {
      ConfigurationException.check(maxChars >= 16, "maxChars", "must be >= 16, was " + maxChars);
      this.maxChars = maxChars;
      return this;
    }

    public LanguageTagger build() {
      return new LanguageTagger(this);
    }

    private static Set<Language> languagesOf(List<String> codes) {
      Set<Language> out = new LinkedHashSet<>();
      for (String c : codes) {
        String code = c == null ? "" : c.trim().toUpperCase(Locale.ROOT);
        IsoCode639_1 iso;
        try {
          iso = IsoCode639_1.valueOf(code);
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(
              "languages", "unknown ISO 639-1 language code '" + c + "'");
        }
        Language l = Language.Companion.getByIsoCode639_1(iso);
        if (l == Language.UNKNOWN) {
          throw new ConfigurationException(
              "languages", "language '" + c + "' is not supported by the detector");
        }
        out.add(l);
      }
      return out;
    }
  }
}
