package io.sygra.benchmarks.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sygra.benchmarks.fake.Durations;
import io.sygra.benchmarks.fake.FakeLlmServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The end-to-end throughput harness: runs every workload side by side against an in-process {@link
 * FakeLlmServer} with fixed latency, for each concurrency C and latency L, interleaved (the order
 * rotates every repetition, so machine noise hits all workloads alike), and reports the median and
 * spread of records/s, the ratio to the physical limit ({@code min(C/L, server capacity)}) and to
 * the raw OkHttp loop, client CPU per 1,000 requests (process CPU minus the server loop's), peak
 * heap and end-to-end record latency p50/p99. Then runs the memory workload (1M echo records at
 * {@code -Xmx256m} in a child JVM against a server in this one).
 *
 * <pre>
 * BenchmarkHarness [--quick] [--concurrency 64,512,2048] [--latency 20ms,200ms] [--reps 3]
 *     [--workloads raw-okhttp,sygra-echo,sygra-3node,lg4j-echo,lg4j-3node] [--seconds 4]
 *     [--max-records 40000] [--memory-records 1000000] [--no-memory] [--out DIR]
 * </pre>
 *
 * Writes {@code runs.jsonl} (every measured run), {@code summary.jsonl} and {@code tables.md} to
 * {@code --out} (default {@code target/benchmark-results}). {@code --quick} runs one small cell
 * (C=64, L=20ms, 4,000 records, one repetition) plus 50,000 memory records and prints one JSON line
 * per workload with {@code rps}, {@code ideal_rps}, {@code raw_rps} and {@code cpu_ms_per_1k}.
 */
public final class BenchmarkHarness {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchmarkHarness() {}

  static final class Options {
    boolean quick;
    List<Integer> concurrency = List.of(64, 512, 2048);
    List<Duration> latency = List.of(Duration.ofMillis(20), Duration.ofMillis(200));
    int reps = 3;
    List<String> workloads =
        List.of("raw-okhttp", "sygra-echo", "sygra-3node", "lg4j-echo", "lg4j-3node");
    double seconds = 4;
    int maxRecords = 40_000;
    int fixedRecords;
    long memoryRecords = 1_000_000;
    int memoryConcurrency = 512;
    Duration memoryLatency = Duration.ofMillis(1);
    boolean memory = true;
    Path out = Path.of("target", "benchmark-results");

    static Options parse(String[] args) {
      Options o = new Options();
      for (String a : args) {
        if (a.equals("--quick")) {
          o.quick = true;
          o.concurrency = List.of(64);
          o.latency = List.of(Duration.ofMillis(20));
          o.reps = 1;
          o.fixedRecords = 4_000;
          o.memoryRecords = 50_000;
        }
      }
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--quick")) {
          continue;
        }
        if (a.equals("--no-memory")) {
          o.memory = false;
          continue;
        }
        if (a.equals("--help")) {
          throw new IllegalArgumentException("usage");
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        String v = args[++i];
        switch (a) {
          case "--concurrency" ->
              o.concurrency = Arrays.stream(v.split(",")).map(Integer::parseInt).toList();
          case "--latency" ->
              o.latency = Arrays.stream(v.split(",")).map(Durations::parse).toList();
          case "--reps" -> o.reps = Integer.parseInt(v);
          case "--workloads" -> o.workloads = List.of(v.split(","));
          case "--seconds" -> o.seconds = Double.parseDouble(v);
          case "--max-records" -> o.maxRecords = Integer.parseInt(v);
          case "--records" -> o.fixedRecords = Integer.parseInt(v);
          case "--memory-records" -> o.memoryRecords = Long.parseLong(v.replace("_", ""));
          case "--memory-concurrency" -> o.memoryConcurrency = Integer.parseInt(v);
          case "--out" -> o.out = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      return o;
    }
  }

  static Workload workload(String name) {
    return switch (name) {
      case "raw-okhttp" -> new RawWorkload();
      case "sygra-echo" -> SygraWorkloads.echo();
      case "sygra-3node" -> SygraWorkloads.threeNode();
      case "lg4j-echo" -> LangGraph4jWorkloads.echo();
      case "lg4j-3node" -> LangGraph4jWorkloads.threeNode();
      default -> throw new IllegalArgumentException("unknown workload " + name);
    };
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (e.getMessage().equals("usage")) {
        System.out.println(usage());
        return;
      }
      System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    Files.createDirectories(o.out);
    List<Workload> workloads = o.workloads.stream().map(BenchmarkHarness::workload).toList();
    long t0 = System.nanoTime();
    System.err.println(machine());
    List<Measured> runs = new ArrayList<>();
    Path runsFile = o.out.resolve("runs.jsonl");
    Files.deleteIfExists(runsFile);
    // JIT warm-up against a fast server (5 ms), so that it takes seconds whatever the cells' L.
    try (FakeLlmServer server =
        FakeLlmServer.builder().latency(Duration.ofMillis(5)).trackRecords(false).start()) {
      warmUp(server, workloads, o);
    }
    for (Duration latency : o.latency) {
      try (FakeLlmServer server =
          FakeLlmServer.builder().latency(latency).trackRecords(false).start()) {
        for (int c : o.concurrency) {
          int n = recordsFor(o, c, latency);
          for (int rep = 1; rep <= o.reps; rep++) {
            for (int k = 0; k < workloads.size(); k++) {
              Workload w = workloads.get((k + rep - 1) % workloads.size());
              int records = Math.max(1, n / w.callsPerRecord());
              Measured m = measure(server, w, records, c, latency, rep);
              runs.add(m);
              System.err.println(m);
              Files.writeString(
                  runsFile,
                  JSON.writeValueAsString(m.toMap()) + "\n",
                  StandardCharsets.UTF_8,
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.APPEND);
            }
          }
        }
      }
    }
    List<Map<String, Object>> summary = summarize(runs, o);
    Map<String, Object> memory = null;
    if (o.memory) {
      memory = memoryWorkload(o);
    }
    StringBuilder summaryJson = new StringBuilder();
    for (Map<String, Object> s : summary) {
      summaryJson.append(JSON.writeValueAsString(s)).append('\n');
    }
    if (memory != null) {
      summaryJson.append(JSON.writeValueAsString(memory)).append('\n');
    }
    Files.writeString(o.out.resolve("summary.jsonl"), summaryJson.toString());
    String tables = tables(summary, memory, o, (System.nanoTime() - t0) / 1e9);
    Files.writeString(o.out.resolve("tables.md"), tables);
    if (o.quick) {
      for (Map<String, Object> s : summary) {
        System.out.println(JSON.writeValueAsString(quickLine(s)));
      }
      if (memory != null) {
        System.out.println(JSON.writeValueAsString(quickLine(memory)));
      }
    } else {
      System.out.println(tables);
    }
    System.err.printf(
        Locale.ROOT,
        "harness finished in %.0fs; results in %s%n",
        (System.nanoTime() - t0) / 1e9,
        o.out.toAbsolutePath());
  }

  static String usage() {
    return "Usage: BenchmarkHarness [--quick] [--concurrency 64,512,2048] [--latency 20ms,200ms]"
        + " [--reps 3] [--workloads raw-okhttp,sygra-echo,sygra-3node,lg4j-echo,lg4j-3node]"
        + " [--seconds 4] [--max-records 40000] [--records N] [--memory-records 1000000]"
        + " [--memory-concurrency 512] [--no-memory] [--out DIR]";
  }

  /** Requests per run: enough for about {@code seconds} at the ideal rate, at least 4 waves. */
  static int recordsFor(Options o, int c, Duration latency) {
    if (o.fixedRecords > 0) {
      return o.fixedRecords;
    }
    double ideal = c / (latency.toNanos() / 1e9);
    long n = Math.round(ideal * o.seconds);
    return (int) Math.max(4L * c, Math.min(o.maxRecords, n));
  }

  /** Runs every workload (twice in full mode) so the measured runs see compiled code. */
  private static void warmUp(FakeLlmServer server, List<Workload> workloads, Options o)
      throws Exception {
    int n = o.quick ? 3_000 : 12_000;
    for (int round = 0; round < (o.quick ? 1 : 2); round++) {
      for (Workload w : workloads) {
        long t = System.nanoTime();
        w.run(server.baseUrl(), Math.max(1, n / w.callsPerRecord()), 64);
        System.err.printf(
            Locale.ROOT, "warm-up %s: %.1fs%n", w.name(), (System.nanoTime() - t) / 1e9);
      }
    }
  }

  static Measured measure(
      FakeLlmServer server, Workload w, int records, int c, Duration latency, int rep)
      throws Exception {
    System.gc();
    Thread.sleep(100);
    List<MemoryPoolMXBean> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isValid())
            .toList();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    long serverCpu0 = server.eventLoopCpuTime().toNanos();
    long jit0 = JitCpu.nanos();
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    Workload.Outcome outcome = w.run(server.baseUrl(), records, c);
    long elapsed = System.nanoTime() - start;
    long cpu = processCpuNanos() - cpu0;
    long serverCpu = server.eventLoopCpuTime().toNanos() - serverCpu0;
    long jit = JitCpu.nanos() - jit0;
    long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    return new Measured(
        w.name(),
        c,
        latency.toNanos() / 1e6,
        rep,
        records,
        w.callsPerRecord(),
        outcome.errors(),
        elapsed / 1e9,
        Math.max(0, cpu - serverCpu - jit) / 1e9,
        serverCpu / 1e9,
        jit / 1e9,
        peak / 1048576.0,
        outcome.p50Nanos() / 1e6,
        outcome.p99Nanos() / 1e6,
        load1());
  }

  /** Median and spread per (latency, concurrency, workload), with ideal and raw ratios. */
  static List<Map<String, Object>> summarize(List<Measured> runs, Options o) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Duration latency : o.latency) {
      double l = latency.toNanos() / 1e6;
      for (int c : o.concurrency) {
        List<Measured> cell =
            runs.stream().filter(m -> m.concurrency() == c && m.latencyMs() == l).toList();
        List<Measured> raw = cell.stream().filter(m -> m.workload().equals("raw-okhttp")).toList();
        double rawReqPerSec = raw.isEmpty() ? Double.NaN : median(raw, Measured::rps);
        double serverNanos =
            raw.isEmpty() ? Double.NaN : median(raw, Measured::serverNanosPerRequest);
        double capacity = Double.isNaN(serverNanos) ? Double.POSITIVE_INFINITY : 1e9 / serverNanos;
        double idealRequests = Math.min(c / (l / 1000.0), capacity);
        for (String name : o.workloads) {
          List<Measured> ms = cell.stream().filter(m -> m.workload().equals(name)).toList();
          if (ms.isEmpty()) {
            continue;
          }
          int calls = ms.get(0).calls();
          double rps = median(ms, Measured::rps);
          double ideal = idealRequests / calls;
          double rawRps = rawReqPerSec / calls;
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("workload", name);
          s.put("c", c);
          s.put("latency_ms", l);
          s.put("reps", ms.size());
          s.put("records", ms.get(0).records());
          s.put("calls_per_record", calls);
          s.put("rps", Measured.round(rps, 1));
          s.put(
              "rps_min", Measured.round(ms.stream().mapToDouble(Measured::rps).min().orElse(0), 1));
          s.put(
              "rps_max", Measured.round(ms.stream().mapToDouble(Measured::rps).max().orElse(0), 1));
          s.put("ideal_rps", Measured.round(ideal, 1));
          s.put("raw_rps", Measured.round(rawRps, 1));
          s.put("vs_ideal", Measured.round(rps / ideal, 3));
          s.put("vs_raw", Measured.round(rps / rawRps, 3));
          s.put("cpu_ms_per_1k", Measured.round(median(ms, Measured::cpuMsPer1k), 1));
          s.put(
              "cpu_ms_per_1k_min",
              Measured.round(ms.stream().mapToDouble(Measured::cpuMsPer1k).min().orElse(0), 1));
          s.put(
              "cpu_ms_per_1k_max",
              Measured.round(ms.stream().mapToDouble(Measured::cpuMsPer1k).max().orElse(0), 1));
          s.put("peak_heap_mb", Measured.round(median(ms, Measured::peakHeapMb), 1));
          s.put("p50_ms", Measured.round(median(ms, Measured::p50Ms), 2));
          s.put("p99_ms", Measured.round(median(ms, Measured::p99Ms), 2));
          s.put("errors", ms.stream().mapToInt(Measured::errors).sum());
          s.put("server_capacity_rps", Double.isInfinite(capacity) ? null : Math.round(capacity));
          s.put("load1", Measured.round(median(ms, Measured::load1), 2));
          out.add(s);
        }
      }
    }
    return out;
  }

  static double median(List<Measured> ms, ToDoubleFunction<Measured> f) {
    double[] v = ms.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  static Map<String, Object> quickLine(Map<String, Object> s) {
    Map<String, Object> q = new LinkedHashMap<>();
    for (String k :
        List.of(
            "workload",
            "c",
            "latency_ms",
            "records",
            "rps",
            "ideal_rps",
            "raw_rps",
            "cpu_ms_per_1k",
            "raw_cpu_ms_per_1k",
            "vs_raw",
            "peak_heap_mb",
            "p50_ms",
            "p99_ms",
            "heap_growth_mb",
            "errors",
            "load1")) {
      if (s.containsKey(k)) {
        q.put(k, s.get(k));
      }
    }
    return q;
  }

  /**
   * 1M (or {@code --memory-records}) echo records at {@code -Xmx256m}: the client runs in a child
   * JVM ({@link MemoryRun}) against a fake server in this JVM, so the heap limit applies to the
   * library alone. The raw loop runs first at the same C and L for the reference rate.
   */
  static Map<String, Object> memoryWorkload(Options o) throws Exception {
    try (FakeLlmServer server =
        FakeLlmServer.builder().latency(o.memoryLatency).trackRecords(false).start()) {
      int c = o.memoryConcurrency;
      int rawN = (int) Math.min(o.memoryRecords, o.quick ? 20_000 : 100_000);
      Measured raw = measure(server, new RawWorkload(), rawN, c, o.memoryLatency, 1);
      System.err.println(raw);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> cmd =
          List.of(
              java,
              "-Xmx256m",
              "-XX:-UseDynamicNumberOfCompilerThreads",
              "-cp",
              System.getProperty("java.class.path"),
              MemoryRun.class.getName(),
              "--base-url",
              server.baseUrl(),
              "--records",
              Long.toString(o.memoryRecords),
              "--concurrency",
              Integer.toString(c));
      System.err.println("memory workload: " + String.join(" ", cmd.subList(5, cmd.size())));
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String last = null;
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          last = line;
        }
      }
      int exit = p.waitFor();
      if (exit != 0 || last == null) {
        throw new IllegalStateException("memory run failed with exit code " + exit);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = JSON.readValue(last, LinkedHashMap.class);
      double l = o.memoryLatency.toNanos() / 1e6;
      double ideal = c / (l / 1000.0);
      double rps = ((Number) m.get("rps")).doubleValue();
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("workload", "sygra-echo-memory");
      s.put("c", c);
      s.put("latency_ms", l);
      s.put("xmx_mb", 256);
      s.putAll(m);
      s.put("ideal_rps", Measured.round(ideal, 1));
      s.put("raw_rps", Measured.round(raw.rps(), 1));
      s.put("raw_cpu_ms_per_1k", Measured.round(raw.cpuMsPer1k(), 1));
      s.put("vs_raw", Measured.round(rps / raw.rps(), 3));
      s.put("load1", load1());
      return s;
    }
  }

  static String tables(
      List<Map<String, Object>> summary, Map<String, Object> memory, Options o, double secs) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!-- generated by BenchmarkHarness ")
        .append(String.join(" ", machine().split("\n")))
        .append(String.format(Locale.ROOT, "; harness wall time %.0fs", secs))
        .append(" -->\n\n");
    for (Duration latency : o.latency) {
      double l = latency.toNanos() / 1e6;
      sb.append(String.format(Locale.ROOT, "#### L = %.0f ms%n%n", l));
      sb.append(
          "| C | workload | records/s (median, min–max) | ideal | raw | vs ideal | vs raw |"
              + " CPU ms / 1k req | peak heap MB | p50 ms | p99 ms | load |\n");
      sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Map<String, Object> s : summary) {
        if ((double) s.get("latency_ms") != l) {
          continue;
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %.0f (%.0f–%.0f) | %.0f | %.0f | %.2f | %.2f | %.0f (%.0f–%.0f) |"
                    + " %.0f | %.1f | %.1f | %.1f |%n",
                (int) s.get("c"),
                s.get("workload"),
                (double) s.get("rps"),
                (double) s.get("rps_min"),
                (double) s.get("rps_max"),
                (double) s.get("ideal_rps"),
                (double) s.get("raw_rps"),
                (double) s.get("vs_ideal"),
                (double) s.get("vs_raw"),
                (double) s.get("cpu_ms_per_1k"),
                (double) s.get("cpu_ms_per_1k_min"),
                (double) s.get("cpu_ms_per_1k_max"),
                (double) s.get("peak_heap_mb"),
                (double) s.get("p50_ms"),
                (double) s.get("p99_ms"),
                (double) s.get("load1")));
      }
      sb.append('\n');
    }
    if (memory != null) {
      sb.append("#### Memory: echo at -Xmx256m\n\n```json\n");
      try {
        sb.append(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(memory));
      } catch (IOException e) {
        sb.append(memory);
      }
      sb.append("\n```\n");
    }
    return sb.toString();
  }

  static String machine() {
    Runtime rt = Runtime.getRuntime();
    return String.format(
        Locale.ROOT,
        "machine: %d cores, %s, Java %s (%s), max heap %d MB, load %s",
        rt.availableProcessors(),
        memTotal(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        rt.maxMemory() >> 20,
        loadAverage());
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("\\D+", ""));
          return (kb >> 20) + " GiB RAM";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave it out
    }
    return "RAM unknown";
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  static double load1() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return 0;
  }
}
