package io.sygra.benchmarks.schema;

import io.sygra.schema.Conversation;
import io.sygra.schema.Format;
import io.sygra.schema.FormatReader;
import io.sygra.schema.FormatWriter;
import io.sygra.schema.Message;
import io.sygra.schema.ReadResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Format adapters, one record at a time: writing a three-turn conversation in each SFT format
 * ({@code write}), and the round trip of reading a file of such records back and writing each again
 * ({@code roundTrip}, per record). Whole-file OASST conversion is {@code OasstConvertBenchmark}'s
 * job.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdapterRoundTripBenchmark {
  static final int FILE_RECORDS = 1_000;

  @Param({"trl-sft", "sharegpt", "openai-chat", "alpaca"})
  public String format;

  private Format fmt;
  private Conversation conversation;
  private ByteArrayOutputStream sink;
  private FormatWriter writer;
  private Path file;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    fmt = Format.parse(format);
    conversation =
        Conversation.of(
            Message.system("You are a helpful, accurate and concise expert."),
            Message.user("How does photosynthesis turn light into chemical energy?"),
            Message.assistant(
                "Chlorophyll absorbs light; the energy splits water and makes ATP and NADPH,"
                    + " which the Calvin cycle uses to fix CO2 into sugars."));
    if (fmt == Format.ALPACA) {
      conversation =
          Conversation.of(
              Message.user("How does photosynthesis turn light into chemical energy?"),
              Message.assistant("Chlorophyll absorbs light and the Calvin cycle fixes CO2."));
    }
    sink = new ByteArrayOutputStream(1 << 16);
    writer = FormatWriter.open(fmt, sink, false);
    file = Files.createTempFile("sygra-adapter-bench", ".jsonl");
    try (OutputStream out = Files.newOutputStream(file);
        FormatWriter w = FormatWriter.open(fmt, out, false)) {
      for (int i = 0; i < FILE_RECORDS; i++) {
        w.write(conversation);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    writer.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public int write() {
    if (sink.size() > (1 << 20)) {
      writer.flush();
      sink.reset();
    }
    return writer.write(conversation);
  }

  @Benchmark
  @OperationsPerInvocation(FILE_RECORDS)
  public long roundTrip() {
    long n = 0;
    try (FormatReader r = FormatReader.open(fmt, file)) {
      while (r.hasNext()) {
        if (r.next() instanceof ReadResult.Ok ok) {
          n += writer.write(ok.example());
        }
      }
    }
    if (sink.size() > (1 << 20)) {
      writer.flush();
      sink.reset();
    }
    if (n != FILE_RECORDS) {
      throw new IllegalStateException("read back " + n + " of " + FILE_RECORDS);
    }
    return n;
  }
}
