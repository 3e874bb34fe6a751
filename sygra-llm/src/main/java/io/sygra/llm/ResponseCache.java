package io.sygra.llm;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.ResponseCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Successful model replies, kept so an identical request is not paid for twice: in memory
 * (Caffeine, bounded by {@link Builder#maximumSize(long)}), and optionally on disk in an H2 MVStore
 * file ({@link Builder#persistTo(Path)}, e.g. {@code cache.mv.db} in the run directory) so a re-run
 * of a changed graph reuses every unchanged call. Used through {@link CachingModelClient}; one
 * cache may serve several clients (their keys include provider, base URL and model).
 *
 * <p><b>What is cached</b>: only successful replies, and by default only deterministic requests:
 * temperature 0, or any request with a seed. A request with a sampling temperature, or with no
 * temperature (the server's default samples), is sent every time unless {@link
 * Builder#cacheSampled(boolean)} is on. Identical requests in flight at the same time share one
 * server call.
 *
 * <p><b>Durability</b>: every new entry is committed to the file before the caller sees the reply,
 * so killing the process ({@code kill -9}) loses no entry that was returned; the file is written by
 * the OS, so only a machine crash could lose the last writes. Entries are never expired from disk.
 * The file holds prompts and replies, never API keys. Thread-safe; close it to release the file.
 */
public final class ResponseCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);
  private static final String MAP_NAME = "chat-responses-v1";

  private final AsyncCache<String, ChatResponse> memory;
  private final MVStore store;
  private final MVMap<String, byte[]> disk;
  private final Path file;
  private final boolean cacheSampled;
  private final LongAdder hits = new LongAdder();
  private final LongAdder diskHits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder bypassed = new LongAdder();

  /**
   * Counters since the cache was built.
   *
   * @param hits replies served from memory (including calls that joined an identical one in flight)
   * @param diskHits replies served from the persistent file
   * @param misses calls sent to the model because no entry existed
   * @param bypassed calls not eligible for caching (sampled without a seed)
   * @param diskEntries entries in the persistent file (0 without one)
   */
  public record Stats(long hits, long diskHits, long misses, long bypassed, long diskEntries) {}

  private ResponseCache(Builder b) {
    this.memory = Caffeine.newBuilder().maximumSize(b.maximumSize).buildAsync();
    this.cacheSampled = b.cacheSampled;
    this.file = b.file;
    if (file != null) {
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        this.store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
      } catch (IOException | RuntimeException e) {
        throw new ConfigurationException(
            "cache.file",
            "cannot open " + file + " (in use by another process?): " + e.getMessage());
      }
      this.disk = store.openMap(MAP_NAME);
    } else {
      this.store = null;
      this.disk = null;
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** An in-memory cache of up to 10,000 replies. */
  public static ResponseCache inMemory() {
    return builder().build();
  }

  /** A cache that also persists to {@code file}. */
  public static ResponseCache persistent(Path file) {
    return builder().persistTo(file).build();
  }

  /** True when replies to {@code request} may be cached (deterministic, or sampled if allowed). */
  public boolean eligible(ChatRequest request) {
    if (cacheSampled || request.seed() != null) {
      return true;
    }
    return request.temperature() != null && request.temperature() == 0.0;
  }

  /**
   * The cached reply under {@code key}, or the loader's. Package use: {@link CachingModelClient}.
   *
   * @param onHit called when the reply came from the cache
   */
  CompletableFuture<ChatResponse> get(
      String key, Supplier<CompletableFuture<ChatResponse>> loader, Runnable onHit) {
    boolean[] computed = new boolean[1];
    CompletableFuture<ChatResponse> f =
        memory.get(
            key,
            (k, executor) -> {
              computed[0] = true;
              ChatResponse fromDisk = readDisk(k);
              if (fromDisk != null) {
                diskHits.increment();
                onHit.run();
                return CompletableFuture.completedFuture(fromDisk);
              }
              misses.increment();
              CompletableFuture<ChatResponse> loaded;
              try {
                loaded = loader.get();
              } catch (RuntimeException e) {
                loaded = CompletableFuture.failedFuture(e);
              }
              return loaded.thenApply(
                  r -> {
                    writeDisk(k, r);
                    return r;
                  });
            });
    if (!computed[0]) {
      hits.increment();
      onHit.run();
    }
    // each caller gets its own future: cancelling or completing it must not touch the shared entry
    CompletableFuture<ChatResponse> mine = new CompletableFuture<>();
    f.whenComplete(
        (r, t) -> {
          if (t == null) {
            mine.complete(r);
          } else {
            mine.completeExceptionally(
                t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                    ? t.getCause()
                    : t);
          }
        });
    return mine;
  }

  void bypass() {
    bypassed.increment();
  }

  private ChatResponse readDisk(String key) {
    if (disk == null) {
      return null;
    }
    try {
      byte[] bytes = disk.get(key);
      return bytes == null ? null : ResponseCodec.decode(bytes);
    } catch (RuntimeException e) {
      LOG.warn("response cache {}: unreadable entry {}, calling the model instead", file, key, e);
      return null;
    }
  }

  private void writeDisk(String key, ChatResponse r) {
    if (disk == null) {
      return;
    }
    try {
      disk.put(key, ResponseCodec.encode(r));
      store.commit();
    } catch (RuntimeException e) {
      // the reply is still good; losing its cache entry only costs a future call
      LOG.warn("response cache {}: could not store an entry: {}", file, e.toString());
    }
  }

  /** The counters so far. */
  public Stats stats() {
    return new Stats(
        hits.sum(), diskHits.sum(), misses.sum(), bypassed.sum(), disk == null ? 0 : disk.size());
  }

  /** The persistent file, or null. */
  public Path file() {
    return file;
  }

  /** Commits and closes the persistent file; the in-memory part stays usable. Idempotent. */
  @Override
  public synchronized void close() {
    if (store != null && !store.isClosed()) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "ResponseCache[file=" + file + ", cacheSampled=" + cacheSampled + ", " + stats() + "]";
  }

  /** Builds a {@link ResponseCache}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private long maximumSize = 10_000;
    private Path file;
    private boolean cacheSampled;

    private Builder() {}

    /** Replies kept in memory (least recently used go first); 0 to 1e9. */
    public Builder maximumSize(long n) {
      ConfigurationException.check(
          n >= 0 && n <= 1_000_000_000L, "maximumSize", "must be in [0, 1e9], was " + n);
      this.maximumSize = n;
      return this;
    }

    /** Also keep replies in this MVStore file (created if absent); null for memory only. */
    public Builder persistTo(Path file) {
      ConfigurationException.check(
          file == null || !Files.isDirectory(file),
          "persistTo",
          "must be a file, not a directory: " + file);
      this.file = file;
      return this;
    }

    /**
     * Also cache requests that sample (temperature above 0 or unset, no seed). Off by default:
     * re-running such a request should give a new sample.
     */
    public Builder cacheSampled(boolean yes) {
      this.cacheSampled = yes;
      return this;
    }

    /**
     * Builds the cache, opening the file if one is set.
     *
     * @throws ConfigurationException when the file cannot be opened (e.g. locked by another
     *     process)
     */
    public ResponseCache build() {
      return new ResponseCache(this);
    }
  }
}
