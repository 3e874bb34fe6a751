package io.sygra.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Splits an embedding call into batches and joins the vectors in order; for the embedders. */
final class EmbedBatches {
  private EmbedBatches() {}

  /**
   * Embeds {@code texts} with {@code embedBatch}, at most {@code batchSize} texts a call, the calls
   * in parallel. A null list fails the future; an empty one completes with no vectors.
   */
  static CompletableFuture<float[][]> embed(
      List<String> texts,
      int batchSize,
      Function<List<String>, CompletableFuture<float[][]>> embedBatch) {
    if (texts == null) {
      return CompletableFuture.failedFuture(new NullPointerException("texts"));
    }
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(new float[0][]);
    }
    if (texts.size() <= batchSize) {
      return embedBatch.apply(texts);
    }
    List<CompletableFuture<float[][]>> parts = new ArrayList<>();
    for (int i = 0; i < texts.size(); i += batchSize) {
      parts.add(embedBatch.apply(texts.subList(i, Math.min(texts.size(), i + batchSize))));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              float[][] out = new float[texts.size()][];
              int k = 0;
              for (CompletableFuture<float[][]> p : parts) {
                for (float[] vec : p.join()) {
                  out[k++] = vec;
                }
              }
              return out;
            });
  }
}
