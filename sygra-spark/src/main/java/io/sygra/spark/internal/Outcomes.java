package io.sygra.spark.internal;

import io.sygra.core.run.RunReport;
import io.sygra.spark.OutputSchemaException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The outcome rows of a completed partition, read lazily from its run directory: {@code
 * output.jsonl} (written), then {@code dropped.jsonl}, then {@code failed.jsonl}. The directory
 * holds every record of the partition exactly once, whichever attempt finished it. When the rows
 * are exhausted the partition's summary goes to the driver's accumulator; closing releases the
 * partition lock. Not thread-safe.
 */
public final class Outcomes implements Iterator<Row>, AutoCloseable {
  private static final List<String> FILES =
      List.of("output.jsonl", "dropped.jsonl", "failed.jsonl");

  private final Path dir;
  private final String idField;
  private final OutputConverter converter;
  private final RunReport report;
  private final int partition;
  private final int attempt;
  private final Plan plan;
  private final PartitionLock lock;
  private final int width;
  private int file = -1;
  private BufferedReader reader;
  private Row next;
  private boolean done;
  private boolean closed;
  private long outputMisfits;
  private final Map<String, Long> misfitClasses = new HashMap<>();
  private PartitionSummary summary;

  Outcomes(
      Path dir,
      String idField,
      OutputConverter converter,
      RunReport report,
      int partition,
      int attempt,
      Plan plan,
      PartitionLock lock) {
    this.dir = dir;
    this.idField = idField;
    this.converter = converter;
    this.report = report;
    this.partition = partition;
    this.attempt = attempt;
    this.plan = plan;
    this.lock = lock;
    this.width = 5 + converter.width();
  }

  /** The pipeline's report for this attempt (counts cover all attempts of the partition). */
  public RunReport report() {
    return report;
  }

  /** The summary sent to the driver, once the rows are exhausted; null before. */
  public PartitionSummary summary() {
    return summary;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      while (true) {
        if (reader == null) {
          if (++file == FILES.size()) {
            finish();
            return false;
          }
          Path p = dir.resolve(FILES.get(file));
          if (!Files.exists(p)) {
            continue;
          }
          reader = Files.newBufferedReader(p, StandardCharsets.UTF_8);
        }
        String line = reader.readLine();
        if (line == null) {
          reader.close();
          reader = null;
          continue;
        }
        if (line.isBlank()) {
          continue;
        }
        next = toRow(file, SparkJson.readMap(line));
        return true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading the outcomes in " + dir, e);
    }
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Row r = next;
    next = null;
    return r;
  }

  private Row toRow(int kind, Map<String, Object> line) {
    Object[] v = new Object[width];
    String id = String.valueOf(line.remove(idField));
    v[0] = id;
    switch (kind) {
      case 0 -> {
        try {
          Object[] cols = converter.columns(line);
          v[1] = "written";
          System.arraycopy(cols, 0, v, 5, cols.length);
        } catch (OutputSchemaException e) {
          // Only when the schema changed since an earlier attempt wrote this record.
          outputMisfits++;
          misfitClasses.merge(e.getClass().getSimpleName(), 1L, Long::sum);
          v[1] = "failed";
          v[2] = "output";
          v[4] = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
      }
      case 1 -> {
        v[1] = "dropped";
        v[2] = str(line.get("node"));
        v[3] = str(line.get("reason"));
      }
      default -> {
        v[1] = "failed";
        v[2] = str(line.get("node"));
        v[4] = str(line.get("error")) + ": " + str(line.get("message"));
      }
    }
    return RowFactory.create(v);
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  private void finish() {
    done = true;
    Map<String, Long> failures = new HashMap<>(report.failures());
    misfitClasses.forEach((k, n) -> failures.merge(k, n, Long::sum));
    summary =
        new PartitionSummary(
            partition,
            attempt,
            report.sourceRecords(),
            report.input(),
            report.written() - outputMisfits,
            report.dropped(),
            report.failed() + outputMisfits,
            report.fanOutAdded(),
            report.skippedDone(),
            report.thisRunWritten(),
            report.thisRunDropped(),
            report.thisRunFailed(),
            report.elapsedMs(),
            report.dropReasons(),
            failures);
    if (plan.accumulator() != null) {
      plan.accumulator().add(summary);
    }
    close();
  }

  /** Stops reading and releases the partition. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    done = true;
    next = null;
    try {
      if (reader != null) {
        reader.close();
      }
    } catch (IOException e) {
      // read-only file; nothing is lost
    } finally {
      reader = null;
      lock.close();
    }
  }
}
