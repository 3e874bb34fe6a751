package io.sygra.llm.internal.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The timer thread shared by the resilience decorators for backoff delays and budget wake-ups.
 * Tasks on it only complete futures; they never block or call a server.
 */
public final class Schedulers {
  private Schedulers() {}

  private static final ScheduledExecutorService SHARED = create();

  public static ScheduledExecutorService shared() {
    return SHARED;
  }

  private static ScheduledExecutorService create() {
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "sygra-llm-timer");
              t.setDaemon(true);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    return ex;
  }
}
