package io.sygra.spark.internal;

import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The function Spark runs per partition: adapts the task's context to a {@link PartitionTask}. Its
 * only state is the {@link Plan}, which holds no secrets.
 */
public final class PartitionRunner implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Plan plan;

  /** A runner shipping {@code plan} with every task. */
  public PartitionRunner(Plan plan) {
    this.plan = plan;
  }

  /** The plan shipped with every task. */
  public Plan plan() {
    return plan;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    TaskContext tc = TaskContext.get();
    PartitionTask task =
        new PartitionTask(
            plan,
            tc.partitionId(),
            tc.numPartitions(),
            tc.attemptNumber(),
            tc::isInterrupted,
            ExecutorContextImpl.processEnvironment());
    Iterator<String> records =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return input.hasNext();
          }

          @Override
          public String next() {
            return input.next().getString(0);
          }
        };
    Outcomes out;
    try {
      out = task.run(records);
    } catch (RuntimeException e) {
      tc.killTaskIfInterrupted(); // report a kill as a kill, not as a failure
      throw e;
    }
    tc.addTaskCompletionListener((TaskCompletionListener) ctx -> out.close());
    return out;
  }
}
