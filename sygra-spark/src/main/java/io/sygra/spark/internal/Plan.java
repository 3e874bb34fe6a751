package io.sygra.spark.internal;

import io.sygra.spark.GraphFactory;
import io.sygra.spark.OutputMapperFactory;
import io.sygra.spark.OutputSchema;
import io.sygra.spark.RateLimitShare;
import io.sygra.spark.SparkRunOptions;
import java.io.Serializable;
import java.util.Objects;

/**
 * Everything the driver decides for a run, shipped to every task: the user's factories, options and
 * schema, plus the run id, the rate share and the summary accumulator. Holds no secrets: the
 * factories read those on the executor.
 *
 * @param accumulator collects partition summaries for the driver; null when not registered
 */
public record Plan(
    GraphFactory graph,
    OutputMapperFactory mapper,
    SparkRunOptions options,
    OutputSchema schema,
    String runId,
    RateLimitShare rateLimits,
    boolean java8Datetime,
    SummaryAccumulator accumulator)
    implements Serializable {

  /** Checks the required parts. */
  public Plan {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(mapper, "mapper");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(rateLimits, "rateLimits");
  }

  /** The name of a partition's directory: {@code part-00003-of-00008}. */
  public static String partitionDirName(int partition, int partitions) {
    return String.format(java.util.Locale.ROOT, "part-%05d-of-%05d", partition, partitions);
  }
}
