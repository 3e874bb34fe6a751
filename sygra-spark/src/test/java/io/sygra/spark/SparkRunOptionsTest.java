package io.sygra.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SparkRunOptionsTest {

  @Test
  void defaultsAreDocumented() {
    SparkRunOptions o = SparkRunOptions.defaults();
    assertThat(o.concurrency()).isEqualTo(64);
    assertThat(o.idField()).isEqualTo("id");
    assertThat(o.runId()).isNull();
    assertThat(o.partitions()).isZero();
    assertThat(o.keepInputPartitioning()).isFalse();
    assertThat(o.partitionLockTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(o.validateOnDriver()).isTrue();
    assertThat(o.checkpointRoot())
        .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "sygra-spark"));
  }

  @Test
  void settersValidateAtOnceNamingFieldAndValue() {
    SparkRunOptions.Builder b = SparkRunOptions.builder();
    assertThatThrownBy(() -> b.concurrency(0))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("concurrency")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> b.runId("../escape")).hasMessageContaining("runId");
    assertThatThrownBy(() -> b.checkpointDirectory("s3a://bucket/x"))
        .hasMessageContaining("not a URI");
    assertThatThrownBy(() -> b.partitions(0)).hasMessageContaining("partitions");
    assertThatThrownBy(() -> b.requestsPerMinute(-5)).hasMessageContaining("-5");
    assertThatThrownBy(() -> b.partitionLockTimeout(Duration.ofMillis(10)))
        .hasMessageContaining("partitionLockTimeout");
    assertThat(b.checkpointDirectory("file:///mnt/shared").build().checkpointDirectory())
        .isEqualTo("/mnt/shared");
  }

  @Test
  void toBuilderKeepsEverything() {
    SparkRunOptions o =
        SparkRunOptions.builder()
            .concurrency(7)
            .runId("r-1")
            .partitions(9)
            .requestsPerMinute(100)
            .tokensPerMinute(1000)
            .executors(2)
            .cacheSampledRequests(true)
            .keepInputPartitioning(true)
            .build();
    SparkRunOptions copy = o.toBuilder().build();
    assertThat(copy.toString()).isEqualTo(o.toString());
    assertThat(copy.cacheSampledRequests()).isTrue();
    assertThat(copy.executors()).isEqualTo(2);
  }
}
