package io.sygra.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** Test support: one local Spark session for all test classes, and the shared fixtures. */
public final class SparkTests {
  private SparkTests() {}

  /** A key only the executors' configuration knows (spark.executorEnv.*), never the closures. */
  public static final String SECRET = "sk-sygra-test-9f3c2b7e51d04a6e";

  /** The environment variable the secret is published under. */
  public static final String SECRET_VAR = "SYGRA_SPARK_TEST_KEY";

  private static SparkSession spark;

  /**
   * The shared session: {@code local[2,4]} (two task threads, and up to four attempts per task so
   * that retries happen as on a cluster), no UI, two shuffle partitions.
   */
  public static synchronized SparkSession spark() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[2,4]")
              .appName("sygra-spark-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.executorEnv." + SECRET_VAR, SECRET)
              // Tiny datasets: compiling generated code costs more CPU than it saves.
              .config("spark.sql.codegen.wholeStage", "false")
              .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
              .getOrCreate();
      SparkSession s = spark;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-spark"));
    }
    return spark;
  }

  /** The shared fixtures directory ({@code sygra.fixtures}, else {@code ../shared/fixtures}). */
  public static Path fixtures() {
    String prop = System.getProperty("sygra.fixtures");
    Path p = prop != null ? Path.of(prop) : Path.of("..", "shared", "fixtures");
    if (!Files.isDirectory(p)) {
      p = Path.of("..", "..", "shared", "fixtures");
    }
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("fixtures not found (set -Dsygra.fixtures): " + p);
    }
    return p.toAbsolutePath().normalize();
  }

  /** A fixture file. */
  public static Path fixture(String relative) {
    Path p = fixtures().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing fixture " + p);
    }
    return p;
  }
}
