package io.sygra.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sygra.schema.ConversionSummary;
import io.sygra.schema.Converter;
import io.sygra.schema.Format;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * End-to-end harness for {@code sygra convert} on OASST flat rows: replicates the Hugging Face
 * fixture ({@code oasst1_validation_en_messages_flat.jsonl}, 953 rows / 91 trees) with fresh ids
 * into a temporary JSONL file of N rows (default 1,000,000; trees stay contiguous), then converts
 * it to {@code trl-sft} and {@code trl-dpo} and reports messages/s and peak heap.
 *
 * <p>Run with a small heap to show that memory does not grow with the input:
 *
 * <pre>
 * java -Xmx256m -cp "$(cat cp.txt)" io.sygra.benchmarks.OasstConvertBenchmark [rows] [fixtures-dir]
 * </pre>
 *
 * Prints one JSON line per target and deletes its files afterwards. Throughput targets are measured
 * here, never asserted in unit tests.
 */
public final class OasstConvertBenchmark {
  private OasstConvertBenchmark() {}

  /**
   * Entry point.
   *
   * @param args {@code [rows] [fixtures-dir]}; fixtures default to the {@code sygra.fixtures}
   *     property, else {@code ../shared/fixtures}
   */
  public static void main(String[] args) throws IOException {
    long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
    Path fixtures =
        Path.of(
            args.length > 1 ? args[1] : System.getProperty("sygra.fixtures", "../shared/fixtures"));
    Path source = fixtures.resolve("oasst/oasst1_validation_en_messages_flat.jsonl");
    Path dir = Files.createTempDirectory("sygra-oasst-bench");
    try {
      Path input = dir.resolve("oasst-flat.jsonl");
      long t0 = System.nanoTime();
      long bytes = generate(source, input, rows);
      System.err.printf(
          Locale.ROOT,
          "generated %,d rows (%,d MB) in %.1f s%n",
          rows,
          bytes >> 20,
          (System.nanoTime() - t0) / 1e9);
      // Warm-up: let the JIT compile the hot paths on the fixture itself before measuring.
      long warm0 = System.nanoTime();
      for (int i = 0; i < WARMUP_ROUNDS; i++) {
        for (Format to : List.of(Format.TRL_SFT, Format.TRL_DPO)) {
          Converter.builder()
              .from(Format.OASST)
              .to(to)
              .input(source)
              .output(dir.resolve("warmup.jsonl"))
              .build()
              .run();
        }
      }
      Files.deleteIfExists(dir.resolve("warmup.jsonl"));
      System.err.printf(
          Locale.ROOT,
          "warm-up: %d conversions of the fixture in %.1f s%n",
          2 * WARMUP_ROUNDS,
          (System.nanoTime() - warm0) / 1e9);
      for (Format to : List.of(Format.TRL_SFT, Format.TRL_DPO)) {
        Path output = dir.resolve("out-" + to.cliName() + ".jsonl");
        System.gc();
        resetPeaks();
        long start = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long user0 = THREADS.getCurrentThreadUserTime();
        long gc0 = gcMillis();
        ConversionSummary s =
            Converter.builder().from(Format.OASST).to(to).input(input).output(output).build().run();
        double secs = (System.nanoTime() - start) / 1e9;
        double cpuSecs = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double userSecs = (THREADS.getCurrentThreadUserTime() - user0) / 1e9;
        long gcMs = gcMillis() - gc0;
        long outBytes = Files.size(output);
        System.out.printf(
            Locale.ROOT,
            "{\"benchmark\":\"oasst-convert\",\"to\":\"%s\",\"rows\":%d,\"messages\":%d,"
                + "\"trees\":%d,\"written\":%d,\"seconds\":%.2f,\"messages_per_s\":%.0f,"
                + "\"cpu_seconds\":%.2f,\"user_seconds\":%.2f,\"messages_per_cpu_s\":%.0f,"
                + "\"gc_ms\":%d,"
                + "\"input_mb_per_s\":%.0f,\"output_mb\":%d,\"peak_heap_mb\":%d,"
                + "\"max_heap_mb\":%d,\"grouping\":\"%s\"}%n",
            to.cliName(),
            s.read(),
            s.oasst().messages(),
            s.oasst().trees(),
            s.written(),
            secs,
            s.oasst().messages() / secs,
            cpuSecs,
            userSecs,
            s.oasst().messages() / cpuSecs,
            gcMs,
            (bytes / 1048576.0) / secs,
            outBytes >> 20,
            peakHeap() >> 20,
            Runtime.getRuntime().maxMemory() >> 20,
            s.oasst().grouping());
        Files.deleteIfExists(output);
      }
      Files.deleteIfExists(input);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Writes {@code rows} rows: copies of the fixture whose message, parent, tree and user ids are
   * replaced by fresh UUIDs per copy, so trees stay contiguous and no id repeats.
   */
  static long generate(Path source, Path target, long rows) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<ObjectNode> template = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isBlank()) {
          template.add((ObjectNode) mapper.readTree(line));
        }
      }
    }
    JsonFactory factory = mapper.getFactory();
    long written = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20);
        JsonGenerator g = factory.createGenerator(out)) {
      g.setRootValueSeparator(null);
      for (long copy = 0; written < rows; copy++) {
        for (ObjectNode row : template) {
          if (written == rows) {
            break;
          }
          ObjectNode o = row.deepCopy();
          for (String f : new String[] {"message_id", "parent_id", "message_tree_id", "user_id"}) {
            JsonNode v = o.get(f);
            if (v != null && v.isTextual()) {
              o.put(f, fresh(v.textValue(), copy));
            }
          }
          mapper.writeTree(g, o);
          g.writeRaw('\n');
          written++;
        }
      }
    }
    return Files.size(target);
  }

  private static String fresh(String id, long copy) {
    UUID u = UUID.fromString(id);
    return new UUID(
            u.getMostSignificantBits() ^ (copy * 0x9E3779B97F4A7C15L),
            u.getLeastSignificantBits() + copy)
        .toString();
  }

  private static final int WARMUP_ROUNDS = 30;

  private static final java.lang.management.ThreadMXBean THREADS =
      ManagementFactory.getThreadMXBean();

  private static long gcMillis() {
    long sum = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
