package io.sygra.llm.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private static List<String> events(String stream) throws Exception {
    List<String> out = new ArrayList<>();
    try (Buffer b = new Buffer().writeUtf8(stream)) {
      SseReader.read(
          b,
          (event, data) -> {
            out.add((event == null ? "" : event + ":") + data);
            return !data.equals("[DONE]");
          });
    }
    return out;
  }

  @Test
  void commentsFieldsAndMultiLineData() throws Exception {
    assertThat(
            events(
                ": hello\n\ndata: a\n\nid: 7\nretry: 10\ndata:b\ndata: c\n\nevent: error\ndata: {}\n\n"))
        .containsExactly("a", "b\nc", "error:{}");
  }

  @Test
  void stopsAtDoneAndDispatchesAnUnterminatedLastEvent() throws Exception {
    assertThat(events("data: 1\n\ndata: [DONE]\n\ndata: 2\n\n")).containsExactly("1", "[DONE]");
    assertThat(events("data: tail")).containsExactly("tail");
  }

  @Test
  void crlfLineEndings() throws Exception {
    assertThat(events("data: x\r\n\r\ndata: y\r\n\r\n")).containsExactly("x", "y");
  }
}
