package io.sygra.benchmarks.core;

import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs N records (default 1,000,000) through a 5-node lambda pipeline into a run directory and
 * prints one JSON line: records/s, node steps/s, and the heap used after each periodic GC, so a
 * flat heap under {@code -Xmx256m} can be checked. Usage: {@code MillionRecordRun [records]
 * [nodes]}.
 */
public final class MillionRecordRun {
  private MillionRecordRun() {}

  public static void main(String[] args) throws Exception {
    long records = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("sygra-million");
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    List<Long> heapAfterGc = new ArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(
        () -> {
          System.gc();
          heapAfterGc.add(mem.getHeapMemoryUsage().getUsed() >> 20);
        },
        2,
        2,
        TimeUnit.SECONDS);
    long t0 = System.nanoTime();
    RunReport r =
        Pipeline.builder()
            .graph(LambdaGraphs.chain(nodes))
            .source(Sources.generate(records))
            .runDirectory(dir)
            .options(
                RunOptions.builder()
                    .concurrency(64)
                    .progress(RunOptions.ProgressMode.NEVER)
                    .build())
            .build()
            .run();
    double secs = (System.nanoTime() - t0) / 1e9;
    sampler.shutdownNow();
    long outBytes = Files.size(dir.resolve("output.jsonl"));
    System.out.printf(
        Locale.ROOT,
        "{\"records\":%d,\"nodes\":%d,\"seconds\":%.2f,\"records_per_s\":%.0f,"
            + "\"node_steps_per_s\":%.0f,\"written\":%d,\"reconciles\":%s,"
            + "\"max_heap_mb\":%d,\"heap_after_gc_mb\":%s,\"output_mb\":%d}%n",
        records,
        nodes,
        secs,
        records / secs,
        records * nodes / secs,
        r.written(),
        r.reconciles(),
        Runtime.getRuntime().maxMemory() >> 20,
        heapAfterGc,
        outBytes >> 20);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
