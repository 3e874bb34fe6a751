package io.sygra.spark;

import io.sygra.core.Graph;
import java.io.Serializable;

/**
 * Builds the graph that runs a partition, on the executor that runs it.
 *
 * <p>The factory is serialized into the Spark job and called once per partition attempt (and once
 * on the driver to validate the graph before the job starts, unless {@link
 * SparkRunOptions.Builder#validateOnDriver(boolean)} is off). Build model clients inside {@link
 * #create}, reading endpoints and API keys from {@link ExecutorContext#env()} (or use {@link
 * ExecutorContext#modelClientFromEnv()}), so that secrets come from the executor's environment and
 * are never captured in the factory's fields, which Spark ships in the task closure.
 *
 * <pre>{@code
 * GraphFactory factory = ctx -> {
 *   ModelClient model = ctx.modelClientFromEnv()
 *       .orElseGet(() -> ctx.closeAfterPartition(SimulatedModelClient.create()));
 *   return Graph.builder()
 *       .node("answer", LlmNode.builder().client(model).user("{question}").output("answer").build())
 *       .chain(Graph.START, "answer", Graph.END)
 *       .build();
 * };
 * }</pre>
 *
 * <p>A lambda is serializable when everything it captures is; capture configuration (model names,
 * base URLs, prompts), never keys or clients.
 */
@FunctionalInterface
public interface GraphFactory extends Serializable {

  /**
   * Builds the graph for one partition attempt. Resources that must be released when the partition
   * ends (clients, files) should be registered with {@link ExecutorContext#closeAfterPartition}.
   *
   * @param context where the graph runs (partition, attempt, environment, cache, rate share)
   * @return a built graph; it is used for this partition attempt only
   */
  Graph create(ExecutorContext context);
}
