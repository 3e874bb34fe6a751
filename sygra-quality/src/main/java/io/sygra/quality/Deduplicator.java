package io.sygra.quality;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.Embedder;
import io.sygra.quality.internal.MinHash;
import io.sygra.quality.internal.NearDupIndex;
import io.sygra.quality.internal.Words;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds duplicates among the records it has seen, by up to three methods, checked in this order:
 *
 * <ul>
 *   <li>{@link Method#EXACT}: the same text after lower-casing and collapsing whitespace (a SHA-256
 *       hash of the normalized text; 32 bytes per record kept);
 *   <li>{@link Method#NEAR}: MinHash over word shingles with LSH banding; a duplicate when the
 *       estimated Jaccard similarity reaches the threshold (default 0.8; shingles of 5 words, 128
 *       hash functions, bands chosen for the threshold; about 0.6 KB per record kept);
 *   <li>{@link Method#SEMANTIC}: embedding cosine similarity at or above the threshold, against
 *       every record kept so far (exact search: time grows with the square of the number of
 *       records, so it suits up to some tens of thousands of records per run).
 * </ul>
 *
 * <p>A record that duplicates nothing is remembered; a duplicate is not (so every duplicate names a
 * record that was kept) and is reported as a {@link Duplicate} naming the record it duplicates and
 * the similarity.
 *
 * <p><b>Which copy is kept.</b> The first one checked. {@link #check} and {@link #checkAsync} are
 * thread-safe: the look-up and the insertion happen atomically under one lock (hashing, MinHash
 * signatures and embeddings are computed before taking it). Inside a concurrent graph "first"
 * therefore means first to reach the dedup node, which depends on timing; for a result that depends
 * only on input order, check records in input order ({@link #checkAll}, which the quality pipeline
 * and {@code sygra tag} use). {@link Keep#LAST} keeps the last copy instead and needs the whole
 * batch at once ({@link #checkAll(List, List, Keep)}).
 */
public final class Deduplicator {
  /** A dedup method. */
  public enum Method {
    EXACT,
    NEAR,
    SEMANTIC;

    /** Lower-case name, as used in reasons and on the command line. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code exact}, {@code near} or {@code semantic}.
     *
     * @throws ConfigurationException for another name
     */
    public static Method parse(String s) {
      for (Method m : values()) {
        if (m.id().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      throw new ConfigurationException(
          "dedup", "unknown dedup method '" + s + "' (expected exact, near or semantic)");
    }
  }

  /** Which copy of a set of duplicates is kept. */
  public enum Keep {
    FIRST,
    LAST
  }

  /**
   * A record found to duplicate an earlier (kept) one.
   *
   * @param method how it was found
   * @param duplicateOf the id of the kept record it duplicates
   * @param similarity 1.0 for exact; estimated Jaccard for near; cosine for semantic
   */
  public record Duplicate(Method method, String duplicateOf, double similarity) {
    /** Validates. */
    public Duplicate {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(duplicateOf, "duplicateOf");
    }

    /** The reason name: {@code dedup.exact}, {@code dedup.near} or {@code dedup.semantic}. */
    public String reason() {
      return "dedup." + method.id();
    }

    /** The {@code quality.dedup} object: {@code method, duplicate_of, similarity}. */
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>(4);
      m.put("method", method.id());
      m.put("duplicate_of", duplicateOf);
      m.put("similarity", Math.round(similarity * 1000) / 1000.0);
      return m;
    }
  }

  private final Set<Method> methods;
  private final double nearThreshold;
  private final double semanticThreshold;
  private final MinHash minHash;
  private final int bands;
  private final int rows;
  private final Embedder embedder;
  private final int embeddingBatch;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Digest, String> exact = new HashMap<>();
  private final NearDupIndex near;
  private final List<String> semanticIds = new ArrayList<>();
  private float[] vectors = new float[0];
  private int dims = -1;

  private static final ThreadLocal<Words.Buffers> BUFFERS =
      ThreadLocal.withInitial(Words.Buffers::new);

  private Deduplicator(Builder b) {
    this.methods = Collections.unmodifiableSet(EnumSet.copyOf(b.methods));
    this.nearThreshold = b.nearThreshold;
    this.semanticThreshold = b.semanticThreshold;
    this.minHash = new MinHash(b.numPerm, b.shingleSize, b.seed);
    int[] br = MinHash.optimalBands(b.nearThreshold, b.numPerm);
    this.bands = br[0];
    this.rows = br[1];
    this.near = new NearDupIndex(bands, rows, nearThreshold);
    this.embedder = b.embedder;
    this.embeddingBatch = b.embeddingBatch;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The methods in use. */
  public Set<Method> methods() {
    return methods;
  }

  /** The near-duplicate Jaccard threshold. */
  public double nearThreshold() {
    return nearThreshold;
  }

  /** The semantic cosine threshold. */
  public double semanticThreshold() {
    return semanticThreshold;
  }

  /** LSH bands and rows chosen for the near-duplicate threshold. */
  public int[] lshBands() {
    return new int[] {bands, rows};
  }

  /** Records remembered (kept) so far. */
  public int size() {
    lock.lock();
    try {
      return methods.contains(Method.EXACT)
          ? exact.size()
          : methods.contains(Method.NEAR) ? near.size() : semanticIds.size();
    } finally {
      lock.unlock();
    }
  }

  /** Settings, for fingerprints and reports. */
  public String describe() {
    StringBuilder sb = new StringBuilder("methods=").append(methods);
    if (methods.contains(Method.NEAR)) {
      sb.append(" near(jaccard>=")
          .append(nearThreshold)
          .append(", shingle=")
          .append(minHash.shingleSize())
          .append(", perm=")
          .append(minHash.numPerm())
          .append(", bands=")
          .append(bands)
          .append('x')
          .append(rows)
          .append(')');
    }
    if (methods.contains(Method.SEMANTIC)) {
      sb.append(" semantic(cosine>=")
          .append(semanticThreshold)
          .append(", model=")
          .append(embedder.model())
          .append(')');
    }
    return sb.toString();
  }

  /**
   * Checks one record and remembers it when it is not a duplicate. Blocks for the embedding call
   * when semantic dedup is on.
   *
   * @throws QualityException when the embedding call fails
   */
  public Optional<Duplicate> check(String id, String text) {
    float[] vector = methods.contains(Method.SEMANTIC) ? embed(id, List.of(text))[0] : null;
    return decide(id, prepare(text, vector));
  }

  /**
   * Checks one record without blocking: the embedding (if any) is fetched asynchronously, the
   * hashing runs on {@code executor}.
   */
  public CompletableFuture<Optional<Duplicate>> checkAsync(
      String id, String text, Executor executor) {
    if (!methods.contains(Method.SEMANTIC)) {
      return CompletableFuture.supplyAsync(() -> decide(id, prepare(text, null)), executor);
    }
    return embedder
        .embed(List.of(text))
        .handle(
            (v, e) -> {
              if (e != null) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                throw new QualityException("dedup semantic", id, "embedding failed: " + c, c);
              }
              return v;
            })
        .thenApplyAsync(v -> decide(id, prepare(text, v[0])), executor);
  }

  /** Checks a batch in list order ({@link Keep#FIRST}); see {@link #checkAll(List, List, Keep)}. */
  public List<Optional<Duplicate>> checkAll(List<String> ids, List<String> texts) {
    return checkAll(ids, texts, Keep.FIRST);
  }

  /**
   * Checks a batch in order and returns one result per record, aligned with the input. With {@link
   * Keep#LAST} the batch is checked from its end, so the last copy of each group is kept and the
   * earlier ones name it. Embeddings are fetched in requests of up to the configured batch size.
   *
   * @throws QualityException when an embedding call fails
   */
  public List<Optional<Duplicate>> checkAll(List<String> ids, List<String> texts, Keep keep) {
    Objects.requireNonNull(keep, "keep");
    ConfigurationException.check(
        ids.size() == texts.size(),
        "texts",
        "needs one text per id: " + ids.size() + " ids, " + texts.size() + " texts");
    int n = ids.size();
    float[][] vectors = null;
    if (methods.contains(Method.SEMANTIC) && n > 0) {
      vectors = new float[n][];
      for (int from = 0; from < n; from += embeddingBatch) {
        int to = Math.min(n, from + embeddingBatch);
        float[][] part = embed(ids.get(from), texts.subList(from, to));
        System.arraycopy(part, 0, vectors, from, to - from);
      }
    }
    List<Optional<Duplicate>> out = new ArrayList<>(Collections.nCopies(n, Optional.empty()));
    for (int k = 0; k < n; k++) {
      int i = keep == Keep.FIRST ? k : n - 1 - k;
      out.set(i, decide(ids.get(i), prepare(texts.get(i), vectors == null ? null : vectors[i])));
    }
    return out;
  }

  private float[][] embed(String id, List<String> texts) {
    float[][] v;
    try {
      v = embedder.embedBlocking(texts);
    } catch (RuntimeException e) {
      throw new QualityException("dedup semantic", id, "embedding failed: " + e.getMessage(), e);
    }
    if (v.length != texts.size()) {
      throw new QualityException(
          "dedup semantic",
          id,
          "the embedder returned " + v.length + " vectors for " + texts.size() + " texts",
          null);
    }
    return v;
  }

  private record Prepared(Digest digest, int[] signature, float[] vector) {}

  private Prepared prepare(String text, float[] vector) {
    Digest d = methods.contains(Method.EXACT) ? Digest.of(normalize(text)) : null;
    int[] sig = methods.contains(Method.NEAR) ? minHash.signature(text, BUFFERS.get()) : null;
    float[] v = vector == null ? null : normalized(vector);
    return new Prepared(d, sig, v);
  }

  private Optional<Duplicate> decide(String id, Prepared p) {
    lock.lock();
    try {
      if (p.digest != null) {
        String first = exact.get(p.digest);
        if (first != null) {
          return Optional.of(new Duplicate(Method.EXACT, first, 1.0));
        }
      }
      if (p.signature != null) {
        NearDupIndex.Match m = near.find(p.signature);
        if (m != null) {
          return Optional.of(new Duplicate(Method.NEAR, m.id(), m.similarity()));
        }
      }
      if (p.vector != null) {
        Duplicate d = semanticMatch(p.vector);
        if (d != null) {
          return Optional.of(d);
        }
      }
      // Unique: remember it everywhere, so later duplicates name a kept record.
      if (p.digest != null) {
        exact.put(p.digest, id);
      }
      if (p.signature != null) {
        near.add(id, p.signature);
      }
      if (p.vector != null) {
        addVector(id, p.vector);
      }
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  private Duplicate semanticMatch(float[] v) {
    if (dims < 0) {
      return null;
    }
    if (v.length != dims) {
      throw new QualityException(
          "dedup semantic",
          "",
          "embedding has " + v.length + " dimensions, earlier ones had " + dims,
          null);
    }
    int best = -1;
    double bestSim = -2;
    int n = semanticIds.size();
    for (int r = 0; r < n; r++) {
      int off = r * dims;
      double dot = 0;
      for (int i = 0; i < dims; i++) {
        dot += vectors[off + i] * v[i];
      }
      if (dot > bestSim) {
        bestSim = dot;
        best = r;
      }
    }
    if (best >= 0 && bestSim >= semanticThreshold) {
      return new Duplicate(Method.SEMANTIC, semanticIds.get(best), Math.min(1.0, bestSim));
    }
    return null;
  }

  private void addVector(String id, float[] v) {
    if (dims < 0) {
      dims = v.length;
    }
    int n = semanticIds.size();
    if ((n + 1) * dims > vectors.length) {
      vectors = java.util.Arrays.copyOf(vectors, Math.max(dims * 64, vectors.length * 2));
    }
    System.arraycopy(v, 0, vectors, n * dims, dims);
    semanticIds.add(id);
  }

  private static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    if (norm == 0) {
      return out;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  /** Lower-cased, whitespace runs collapsed to one space, trimmed. */
  static String normalize(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        space = sb.length() > 0;
      } else {
        if (space) {
          sb.append(' ');
          space = false;
        }
        sb.append(Character.toLowerCase(c));
      }
    }
    return sb.toString();
  }

  /** A 128-bit prefix of SHA-256. */
  private record Digest(long hi, long lo) {
    static Digest of(String s) {
      MessageDigest md;
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      byte[] h = md.digest(s.getBytes(StandardCharsets.UTF_8));
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) {
        hi = (hi << 8) | (h[i] & 0xff);
        lo = (lo << 8) | (h[i + 8] & 0xff);
      }
      return new Digest(hi, lo);
    }
  }

  /** Configures a {@link Deduplicator}; setters validate at once. */
  public static final class Builder {
    private final Set<Method> methods = EnumSet.noneOf(Method.class);
    private double nearThreshold = 0.8;
    private int shingleSize = 5;
    private int numPerm = 128;
    private long seed = 1;
    private double semanticThreshold = 0.95;
    private Embedder embedder;
    private int embeddingBatch = 64;

    private Builder() {}

    /** Turns exact dedup on. */
    public Builder exact() {
      methods.add(Method.EXACT);
      return this;
    }

    /** Turns near-duplicate dedup on with the default Jaccard threshold 0.8. */
    public Builder near() {
      methods.add(Method.NEAR);
      return this;
    }

    /** Turns near-duplicate dedup on with a Jaccard threshold in (0, 1]. */
    public Builder near(double jaccard) {
      ConfigurationException.check(
          jaccard > 0 && jaccard <= 1, "nearThreshold", "must be in (0, 1], was " + jaccard);
      this.nearThreshold = jaccard;
      methods.add(Method.NEAR);
      return this;
    }

    /** Words per shingle for near dedup (default 5). */
    public Builder shingleSize(int words) {
      ConfigurationException.check(
          words >= 1 && words <= 32, "shingleSize", "must be in [1, 32], was " + words);
      this.shingleSize = words;
      return this;
    }

    /** MinHash signature length (default 128; more is more precise and slower). */
    public Builder numPermutations(int n) {
      ConfigurationException.check(
          n >= 16 && n <= 1024, "numPermutations", "must be in [16, 1024], was " + n);
      this.numPerm = n;
      return this;
    }

    /** Seed of the MinHash functions (default 1). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Turns semantic dedup on: {@code embedder} gives the vectors, records with cosine similarity
     * of at least {@code cosine} to a kept record are duplicates.
     */
    public Builder semantic(Embedder embedder, double cosine) {
      Objects.requireNonNull(embedder, "embedder");
      ConfigurationException.check(
          cosine > 0 && cosine <= 1, "semanticThreshold", "must be in (0, 1], was " + cosine);
      this.embedder = embedder;
      this.semanticThreshold = cosine;
      methods.add(Method.SEMANTIC);
      return this;
    }

    /** Texts per embedding request in {@link #checkAll} (default 64). */
    public Builder embeddingBatchSize(int n) {
      ConfigurationException.check(n >= 1, "embeddingBatchSize", "must be >= 1, was " + n);
      this.embeddingBatch = n;
      return this;
    }

    /**
     * Builds.
     *
     * @throws ConfigurationException when no method is on
     */
    public Deduplicator build() {
      ConfigurationException.check(
          !methods.isEmpty(), "methods", "turn on at least one of exact(), near(), semantic()");
      return new Deduplicator(this);
    }
  }
}
