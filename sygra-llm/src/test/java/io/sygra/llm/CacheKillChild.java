package io.sygra.llm;

import java.nio.file.Path;

/**
 * Run in a separate JVM by {@link CachingModelClientTest}: caches {@code n} replies in the file
 * given, prints {@code STORED n}, then waits to be killed with SIGKILL.
 */
public final class CacheKillChild {
  private CacheKillChild() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    ResponseCache cache = ResponseCache.persistent(file);
    ModelClient client = CachingModelClient.wrap(new FixedModelClient(false), cache, "kill-test");
    for (int i = 0; i < n; i++) {
      client
          .chat(
              ChatRequest.builder()
                  .model("m")
                  .temperature(0.0)
                  .addMessage(ChatMessage.user("q" + i))
                  .build())
          .join();
    }
    System.out.println("STORED " + n);
    System.out.flush();
    Thread.sleep(60_000);
  }
}
