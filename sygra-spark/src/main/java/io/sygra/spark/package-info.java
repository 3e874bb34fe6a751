/**
 * Scale-out on Apache Spark: run SyGra graphs over datasets that outgrow one machine.
 *
 * <p>{@link io.sygra.spark.SparkPipeline} runs a graph over a {@code Dataset<Row>}, one
 * single-machine pipeline per partition, with graphs built on the executors by a serializable
 * {@link io.sygra.spark.GraphFactory} (secrets come from the executor's environment), each
 * executor's share of a global rate limit ({@link io.sygra.spark.RateLimitShare}), exactly-once
 * outcomes under task retries and speculation, and typed output columns ({@link
 * io.sygra.spark.OutputSchema}, including TRL SFT and DPO). Spark is a provided dependency.
 */
package io.sygra.spark;
