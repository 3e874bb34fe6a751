/** The Spark quickstart: a runnable job for {@code spark-submit} and {@code ./sygra run}. */
package io.sygra.spark.quickstart;
