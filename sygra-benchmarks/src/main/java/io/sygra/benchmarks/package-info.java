/** Benchmarks and the throughput harness. */
package io.sygra.benchmarks;
