package io.sygra.schema.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackgroundOutputStreamTest {
  @Test
  void writesEveryByteInOrderAcrossChunks() throws IOException {
    byte[] data = new byte[BackgroundOutputStream.CHUNK * 5 + 12345];
    new Random(7).nextBytes(data);
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    try (BackgroundOutputStream out = new BackgroundOutputStream(target, "test-writer")) {
      int at = 0;
      int step = 1;
      while (at < data.length) {
        int n = Math.min(step, data.length - at);
        if (n == 1) {
          out.write(data[at]);
        } else {
          out.write(data, at, n);
        }
        at += n;
        step = step * 3 % 2_000_003 + 1; // odd sizes, some larger than a chunk
      }
    }
    assertThat(target.toByteArray()).isEqualTo(data);
  }

  @Test
  void flushDeliversPendingBytesToTheTarget() throws IOException {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    try (BackgroundOutputStream out = new BackgroundOutputStream(target, "test-writer")) {
      out.write(new byte[] {1, 2, 3}, 0, 3);
      assertThat(target.size()).isZero(); // still buffered
      out.flush();
      assertThat(target.toByteArray()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void reportsTargetFailuresAndClosesTheTarget() {
    boolean[] closed = {false};
    OutputStream failing =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void close() {
            closed[0] = true;
          }
        };
    BackgroundOutputStream out = new BackgroundOutputStream(failing, "test-writer");
    assertThatThrownBy(
            () -> {
              out.write(new byte[10], 0, 10);
              out.close();
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("disk full");
    assertThat(closed[0]).isTrue();
    assertThatThrownBy(() -> out.write(new byte[1], 0, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void laterWritesFailOnceTheTargetHasFailed() throws IOException {
    OutputStream failing =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }
        };
    BackgroundOutputStream out = new BackgroundOutputStream(failing, "test-writer");
    byte[] chunk = new byte[BackgroundOutputStream.CHUNK];
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10; i++) {
                out.write(chunk, 0, chunk.length);
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("disk full");
    assertThatThrownBy(out::close).isInstanceOf(IOException.class);
  }
}
