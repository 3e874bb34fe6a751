package io.sygra.spark.internal;

import io.sygra.core.ConfigurationException;
import io.sygra.spark.RateLimitShare;
import io.sygra.spark.SparkRunOptions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

/** Derives how many executors share a global rate limit. */
public final class ExecutorCount {
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,.*\\]");

  private ExecutorCount() {}

  /**
   * The rate share for a run: the configured executor count, else one for local mode (one JVM), the
   * N of {@code local-cluster[N,...]}, {@code spark.dynamicAllocation.maxExecutors} under dynamic
   * allocation, {@code spark.executor.instances}, or the executors registered now.
   *
   * @throws ConfigurationException when a global budget is set and the count cannot be told
   */
  public static RateLimitShare share(SparkContext sc, SparkRunOptions o) {
    boolean limited = o.requestsPerMinute() > 0 || o.tokensPerMinute() > 0;
    int n = o.executors() > 0 ? o.executors() : derive(sc, limited);
    return new RateLimitShare(o.requestsPerMinute(), o.tokensPerMinute(), n);
  }

  static int derive(SparkContext sc, boolean required) {
    String master = sc.master();
    Matcher m = LOCAL_CLUSTER.matcher(master);
    if (m.matches()) {
      return Integer.parseInt(m.group(1));
    }
    if (master.startsWith("local")) {
      return 1;
    }
    SparkConf conf = sc.getConf();
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      int max = conf.getInt("spark.dynamicAllocation.maxExecutors", Integer.MAX_VALUE);
      if (max > 0 && max < Integer.MAX_VALUE) {
        return max;
      }
      if (required) {
        throw new ConfigurationException(
            "executors",
            "dynamic allocation is on without spark.dynamicAllocation.maxExecutors, so the global"
                + " budget cannot be split: set SparkRunOptions.executors(n) to the most executors"
                + " that may run");
      }
      return 1;
    }
    if (conf.contains("spark.executor.instances")) {
      return Math.max(1, conf.getInt("spark.executor.instances", 1));
    }
    int registered = sc.statusTracker().getExecutorInfos().length - 1; // minus the driver
    if (registered > 0) {
      return registered;
    }
    if (required) {
      throw new ConfigurationException(
          "executors",
          "cannot tell how many executors will run (no spark.executor.instances, no registered"
              + " executors yet): set SparkRunOptions.executors(n)");
    }
    return 1;
  }
}
