package io.sygra.spark.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CPU pool per executor JVM for the pipelines of all partitions it runs at once (a pool per
 * task would multiply threads by the task slots). Daemon threads: it never keeps a JVM alive.
 */
final class SharedPool {
  private static final Logger LOG = LoggerFactory.getLogger(SharedPool.class);

  private SharedPool() {}

  private static final class Holder {
    static final ForkJoinPool POOL = create();
  }

  static ForkJoinPool get() {
    return Holder.POOL;
  }

  private static ForkJoinPool create() {
    int n = Math.max(2, Runtime.getRuntime().availableProcessors());
    AtomicInteger count = new AtomicInteger();
    return new ForkJoinPool(
        n,
        p -> {
          ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
          t.setName("sygra-spark-worker-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        (t, e) -> LOG.error("uncaught error on {}", t.getName(), e),
        true);
  }
}
