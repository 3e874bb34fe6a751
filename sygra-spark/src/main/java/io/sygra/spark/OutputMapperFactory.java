package io.sygra.spark;

import io.sygra.core.run.OutputMapper;
import java.io.Serializable;

/**
 * Builds the {@link OutputMapper} of a partition's pipeline on the executor (mappers themselves
 * need not be serializable). The default is {@link OutputMapper#identity()}: every state value.
 *
 * <pre>{@code
 * OutputMapperFactory mapper = ctx -> OutputMapper.builder().pick("question", "answer").build();
 * }</pre>
 */
@FunctionalInterface
public interface OutputMapperFactory extends Serializable {

  /**
   * The mapper for one partition attempt.
   *
   * @param context where the mapper runs
   */
  OutputMapper create(ExecutorContext context);

  /** The identity mapper: every state value becomes an output field. */
  static OutputMapperFactory identity() {
    return ctx -> OutputMapper.identity();
  }
}
