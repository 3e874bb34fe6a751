/**
 * A fast, loopback-only fake of an OpenAI-compatible server for benchmarks and reliability tests.
 *
 * <p>{@link io.sygra.benchmarks.fake.FakeLlmServer} answers {@code /v1/chat/completions} (plain and
 * streaming), {@code /v1/embeddings}, {@code /v1/models} and {@code /stats} from one event-loop
 * thread, with configurable latency ({@link io.sygra.benchmarks.fake.LatencyModel}), reply sizes, a
 * capacity limit, and seeded fault injection ({@link io.sygra.benchmarks.fake.FaultConfig}, {@link
 * io.sygra.benchmarks.fake.Fault}). Counters are exposed as an immutable {@link
 * io.sygra.benchmarks.fake.FakeServerStats} snapshot.
 */
package io.sygra.benchmarks.fake;
