package io.sygra.core.run;

/**
 * Rewrites the record stream between the source and the graph: rename, add, skip, window, filter,
 * map. Transforms stream; those that need look-ahead ({@link Transforms#skipLast(int)}, windows)
 * hold only that many records. See {@link Transforms} for the built-in ones.
 */
@FunctionalInterface
public interface Transform {
  /** Wraps {@code upstream}; closing the result closes it. */
  RecordReader apply(RecordReader upstream);
}
