package io.sygra.core.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports progress: a live line redrawn in place on a terminal, or a log line every 30 s otherwise
 * (no ANSI or carriage returns in logs and pipes).
 */
public final class Progress implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("io.sygra.progress");

  private final boolean live;
  private final PrintStream out;
  private final OptionalLong total;
  private final LongSupplier done;
  private final LongSupplier failed;
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean stopped;
  private int lastWidth;

  public Progress(boolean live, OptionalLong total, LongSupplier done, LongSupplier failed) {
    this.live = live;
    this.out = System.err;
    this.total = total;
    this.done = done;
    this.failed = failed;
    this.thread = new Thread(this::loop, "sygra-progress");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long lastLog = System.nanoTime();
    while (!stopped) {
      try {
        Thread.sleep(live ? 500 : 1000);
      } catch (InterruptedException e) {
        return;
      }
      if (stopped) {
        return;
      }
      if (live) {
        draw();
      } else if (System.nanoTime() - lastLog >= 30_000_000_000L) {
        lastLog = System.nanoTime();
        LOG.info("{}", line());
      }
    }
  }

  private synchronized void draw() {
    String l = line();
    StringBuilder sb = new StringBuilder("\r").append(l);
    for (int i = l.length(); i < lastWidth; i++) {
      sb.append(' ');
    }
    lastWidth = l.length();
    out.print(sb);
    out.flush();
  }

  String line() {
    long d = done.getAsLong();
    double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    double rate = d / secs;
    StringBuilder sb = new StringBuilder();
    if (total.isPresent() && total.getAsLong() > 0) {
      long t = total.getAsLong();
      int pct = (int) Math.min(100, d * 100 / t);
      sb.append(String.format(Locale.ROOT, "%3d%% %,d/%,d", pct, d, t));
      if (rate > 0 && d < t) {
        long eta = (long) ((t - d) / rate);
        sb.append(
            String.format(Locale.ROOT, " ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
      }
    } else {
      sb.append(String.format(Locale.ROOT, "%,d done", d));
    }
    sb.append(String.format(Locale.ROOT, " %.1f rec/s", rate));
    long f = failed.getAsLong();
    if (f > 0) {
      sb.append(String.format(Locale.ROOT, " failed %,d", f));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    if (live) {
      synchronized (this) {
        draw();
        out.println();
        out.flush();
      }
    }
  }
}
