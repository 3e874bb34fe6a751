package io.sygra.benchmarks.quality;

import io.sygra.quality.Deduplicator;
import io.sygra.quality.Heuristics;
import io.sygra.quality.LanguageTagger;
import io.sygra.quality.QualitySample;
import io.sygra.schema.Conversation;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.OasstFilter;
import io.sygra.schema.OasstReader;
import io.sygra.schema.OasstTree;
import io.sygra.schema.ReadResult;
import io.sygra.schema.SftPaths;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Throughput harness for sygra-quality, on conversations from the shared fixtures (OASST SFT paths,
 * Alpaca, ShareGPT, HH-RLHF chosen transcripts):
 *
 * <ol>
 *   <li><b>stage1</b>: the built-in stage-1 taggers and default rules <em>without</em> language
 *       detection, on one thread, in conversations per CPU-second (per core);
 *   <li><b>language</b>: the language tagger alone (low-accuracy mode, default languages),
 *       single-threaded, for reference;
 *   <li><b>minhash</b>: near-duplicate dedup (MinHash, 128 permutations, 5-word shingles, LSH,
 *       Jaccard 0.8) over N conversations (default 100,000) made by replicating the fixture
 *       conversations with light random edits, so there are real near duplicates; checked in input
 *       order, as {@code sygra tag} does.
 * </ol>
 *
 * <pre>
 * java -cp "$(cat cp.txt)" io.sygra.benchmarks.quality.QualityBenchmark [conversations] [fixtures-dir]
 * </pre>
 *
 * Prints one JSON line per measurement. Targets are checked here, never in unit tests.
 */
public final class QualityBenchmark {
  private QualityBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 100_000;
    Path fixtures =
        Path.of(
            args.length > 1 ? args[1] : System.getProperty("sygra.fixtures", "../shared/fixtures"));
    List<QualitySample> base = load(fixtures);
    double meanChars = base.stream().mapToInt(s -> s.fullText().length()).average().orElse(0);
    System.out.printf(
        Locale.ROOT,
        "{\"fixtureConversations\":%d,\"meanChars\":%.0f,\"cores\":%d}%n",
        base.size(),
        meanChars,
        Runtime.getRuntime().availableProcessors());

    Heuristics stage1 = Heuristics.builder().defaultTaggers(false).build();
    stage1(stage1, base);
    language(base);
    minhash(base, n);
  }

  private static List<QualitySample> load(Path fixtures) {
    List<QualitySample> out = new ArrayList<>();
    try (OasstReader r =
        OasstReader.open(
            fixtures.resolve("oasst/oasst1_validation_en_messages_flat.jsonl"),
            OasstReader.Grouping.IN_MEMORY,
            x -> {})) {
      while (r.hasNext()) {
        OasstTree t = r.next();
        for (Conversation c : t.select(OasstFilter.defaults()).sftConversations(SftPaths.ALL)) {
          out.add(QualitySample.of("oasst-" + out.size(), c));
        }
      }
    }
    read(fixtures, Format.ALPACA, "sft/llamafactory_alpaca_en_demo.json", out);
    read(fixtures, Format.SHAREGPT, "sft/llamafactory_glaive_toolcall_en_demo_sharegpt.json", out);
    read(fixtures, Format.HH_RLHF, "preference/hh_rlhf_harmless_base_test.jsonl", out);
    return out;
  }

  private static void read(Path fixtures, Format f, String file, List<QualitySample> out) {
    try (FormatReader r = FormatReader.open(f, fixtures.resolve(file))) {
      while (r.hasNext()) {
        if (r.next() instanceof ReadResult.Ok ok) {
          out.add(QualitySample.of(f + "-" + out.size(), ok.example()));
        }
      }
    }
  }

  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  /**
   * Runs {@code h} over the samples repeatedly for {@code seconds} of this thread's CPU time;
   * returns conversations per CPU-second. CPU time rather than wall time, so a machine shared with
   * other work does not count its waiting against us.
   */
  private static double rate(Heuristics h, List<QualitySample> samples, double seconds) {
    long count = 0;
    long sink = 0;
    long c0 = MX.getCurrentThreadCpuTime();
    long budget = (long) (seconds * 1e9);
    while (MX.getCurrentThreadCpuTime() - c0 < budget) {
      for (QualitySample s : samples) {
        sink += h.evaluate(s).reasons().size();
        count++;
      }
    }
    double cpu = (MX.getCurrentThreadCpuTime() - c0) / 1e9;
    if (sink == Long.MIN_VALUE) {
      System.out.println(sink); // keeps the work observable to the JIT
    }
    return count / cpu;
  }

  private static void stage1(Heuristics h, List<QualitySample> samples) {
    rate(h, samples, 5); // warm-up
    double single = rate(h, samples, 10);
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"stage1-without-language\",\"conversationsPerSecondPerCore\":%.0f,"
            + "\"microsecondsPerConversation\":%.1f,\"target\":10000,\"meetsTarget\":%b}%n",
        single,
        1e6 / single,
        single >= 10_000);
  }

  private static void language(List<QualitySample> samples) {
    Heuristics lang =
        Heuristics.builder()
            .tagger(LanguageTagger.create())
            .rules(io.sygra.quality.QualityRules.none())
            .build();
    List<QualitySample> subset = samples.subList(0, Math.min(500, samples.size()));
    long t0 = System.nanoTime();
    lang.evaluate(subset.get(0)); // loads the models
    double loadS = (System.nanoTime() - t0) / 1e9;
    rate(lang, subset, 3);
    double r = rate(lang, subset, 5);
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"language-tagger\",\"conversationsPerSecondPerCore\":%.0f,"
            + "\"modelLoadSeconds\":%.2f}%n",
        r,
        loadS);
  }

  /** Light edits: each word is dropped, replaced or doubled with probability 0.5% each. */
  static String edit(String text, SplittableRandom rng) {
    String[] words = text.split(" ");
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (String w : words) {
      double p = rng.nextDouble();
      if (p < 0.005) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      if (p < 0.01) {
        sb.append("edit").append(rng.nextInt(1000));
      } else {
        sb.append(w);
        if (p < 0.015) {
          sb.append(' ').append(w);
        }
      }
    }
    return sb.toString();
  }

  private static void minhash(List<QualitySample> base, int n) {
    SplittableRandom rng = new SplittableRandom(42);
    List<String> ids = new ArrayList<>(n);
    List<String> texts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      QualitySample s = base.get(i % base.size());
      ids.add("c" + i);
      texts.add(i < base.size() ? s.fullText() : edit(s.fullText(), rng));
    }
    long chars = texts.stream().mapToLong(String::length).sum();
    for (int warm = 0; warm < 1; warm++) {
      Deduplicator w = Deduplicator.builder().near(0.8).build();
      w.checkAll(ids.subList(0, Math.min(5000, n)), texts.subList(0, Math.min(5000, n)));
    }
    Deduplicator d = Deduplicator.builder().near(0.8).build();
    long t0 = System.nanoTime();
    long c0 = MX.getCurrentThreadCpuTime();
    List<Optional<Deduplicator.Duplicate>> r = d.checkAll(ids, texts);
    double cpuSeconds = (MX.getCurrentThreadCpuTime() - c0) / 1e9;
    double seconds = (System.nanoTime() - t0) / 1e9;
    long dups = r.stream().filter(Optional::isPresent).count();
    int[] br = d.lshBands();
    System.out.printf(
        Locale.ROOT,
        "{\"benchmark\":\"minhash-near-dup\",\"conversations\":%d,\"megabytes\":%.1f,"
            + "\"seconds\":%.2f,\"cpuSeconds\":%.2f,\"conversationsPerSecond\":%.0f,"
            + "\"duplicatesFound\":%d,"
            + "\"distinctSources\":%d,\"bands\":%d,\"rows\":%d,\"target\":\"<60s\","
            + "\"meetsTarget\":%b}%n",
        n,
        chars / 1e6,
        seconds,
        cpuSeconds,
        n / seconds,
        dups,
        base.size(),
        br[0],
        br[1],
        seconds < 60);
  }
}
