package io.sygra.llm;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A text-embedding endpoint. {@link #embed} returns one vector per input text, in input order, all
 * of {@link #dimensions()} floats. Implementations are thread-safe and non-blocking, like {@link
 * ModelClient}; failures complete the future with a {@link ModelException}.
 */
public interface Embedder extends AutoCloseable {

  /** Embeds {@code texts}; an empty list gives an empty array. */
  CompletableFuture<float[][]> embed(List<String> texts);

  /**
   * Embeds and waits.
   *
   * @throws ModelException when the call fails
   */
  default float[][] embedBlocking(List<String> texts) {
    try {
      return embed(texts).join();
    } catch (CompletionException | CancellationException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new ModelException(provider(), model(), -1, null, c.toString(), false, c);
    }
  }

  /** Vector length: as configured, or learned from the first reply; -1 while unknown. */
  int dimensions();

  /** The embedding model's name. */
  String model();

  /** Provider name, e.g. {@code openai}. */
  String provider();

  /** Most texts sent in one request; larger lists are split. */
  default int maxBatchSize() {
    return Integer.MAX_VALUE;
  }

  /** Releases connections and threads owned by this embedder. */
  @Override
  default void close() {}
}
