package io.sygra.benchmarks.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.llm.ModelClient;
import io.sygra.samples.EchoSample;
import io.sygra.samples.SampleContext;
import io.sygra.samples.SampleModels;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory workload, meant for a JVM started with {@code -Xmx256m}: N records (default 1M)
 * through {@code echo} against an OpenAI-compatible endpoint, sampling the heap used right after a
 * full GC every few seconds together with the records finished so far. Prints one JSON line: rate,
 * CPU per 1k requests (without the JIT compiler threads'), the samples, and the growth after
 * warm-up (the median of the last third of the samples minus the median of the first third,
 * ignoring the first 10% of records).
 *
 * <p>Usage: {@code java -Xmx256m -cp ... MemoryRun --base-url URL [--records N] [--concurrency C]}.
 */
public final class MemoryRun {
  private MemoryRun() {}

  public static void main(String[] args) throws Exception {
    String baseUrl = null;
    long records = 1_000_000;
    int concurrency = 512;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--base-url" -> baseUrl = args[i + 1];
        case "--records" -> records = Long.parseLong(args[i + 1].replace("_", ""));
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (baseUrl == null) {
      throw new IllegalArgumentException("--base-url is required");
    }
    Path dir = Files.createTempDirectory("sygra-memory");
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    AtomicLong done = new AtomicLong();
    List<long[]> samples = new ArrayList<>(); // {records done, heap MB after GC}
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> {
          long d = done.get();
          System.gc();
          long used = mem.getHeapMemoryUsage().getUsed();
          synchronized (samples) {
            samples.add(new long[] {d, used >> 20});
          }
        },
        3,
        3,
        TimeUnit.SECONDS);
    SampleContext ctx =
        SampleContext.builder()
            .outDir(dir)
            .records(records)
            .concurrency(concurrency)
            .baseUrl(baseUrl)
            .model(SygraWorkloads.MODEL)
            .env(Map.of())
            .out(new PrintStream(OutputStream.nullOutputStream()))
            .progress(RunOptions.ProgressMode.NEVER)
            .build();
    long jit0 = JitCpu.nanos();
    long cpu0 = BenchmarkHarness.processCpuNanos();
    long t0 = System.nanoTime();
    RunReport r;
    try (ModelClient model = SampleModels.create(ctx)) {
      r =
          EchoSample.pipeline(ctx, model)
              .listener(
                  new io.sygra.core.run.RunListener() {
                    @Override
                    public void onRecordComplete(String id, Outcome outcome, String detail) {
                      done.incrementAndGet();
                    }

                    @Override
                    public void onRecordError(String id, String node, Throwable error) {
                      done.incrementAndGet();
                    }
                  })
              .build()
              .run();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long jit = JitCpu.nanos() - jit0;
    long cpu = BenchmarkHarness.processCpuNanos() - cpu0 - jit;
    sampler.shutdownNow();
    sampler.awaitTermination(10, TimeUnit.SECONDS);
    long outBytes = Files.size(dir.resolve("output.jsonl"));
    SygraWorkloads.deleteTree(dir);

    List<long[]> steady = new ArrayList<>();
    synchronized (samples) {
      for (long[] s : samples) {
        if (s[0] >= records / 10) {
          steady.add(s);
        }
      }
    }
    List<Long> heap = new ArrayList<>();
    List<Long> at = new ArrayList<>();
    synchronized (samples) {
      for (long[] s : samples) {
        at.add(s[0]);
        heap.add(s[1]);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("records", records);
    out.put("written", r.written());
    out.put("failed", r.failed());
    out.put("reconciles", r.reconciles());
    out.put("seconds", Measured.round(secs, 2));
    out.put("rps", Measured.round(r.written() / secs, 1));
    out.put("cpu_ms_per_1k", Measured.round(cpu / 1e6 / records * 1000, 1));
    out.put("jit_cpu_s", Measured.round(jit / 1e9, 2));
    var node = r.nodes().get("echo");
    out.put("p50_ms", node == null ? null : Measured.round(node.p50Ms(), 2));
    out.put("p99_ms", node == null ? null : Measured.round(node.p99Ms(), 2));
    out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    out.put("heap_after_gc_mb", heap);
    out.put("sampled_at_records", at);
    out.put("heap_growth_mb", growth(steady));
    out.put("output_mb", outBytes >> 20);
    System.out.println(new ObjectMapper().writeValueAsString(out));
  }

  /** Median heap of the last third of the steady samples minus the median of the first third. */
  static Long growth(List<long[]> steady) {
    if (steady.size() < 3) {
      return null;
    }
    int third = steady.size() / 3;
    return median(steady.subList(steady.size() - third, steady.size()))
        - median(steady.subList(0, third));
  }

  private static long median(List<long[]> s) {
    long[] v = s.stream().mapToLong(x -> x[1]).sorted().toArray();
    return v[v.length / 2];
  }
}
