package io.sygra.samples;

import io.sygra.llm.Embedder;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A tiny offline embedder for tests: hashed word unigrams and bigrams, L2-normalised. */
final class HashingEmbedder implements Embedder {
  private final int dims;
  int requests;

  HashingEmbedder(int dims) {
    this.dims = dims;
  }

  @Override
  public synchronized CompletableFuture<float[][]> embed(List<String> texts) {
    requests++;
    float[][] out = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      out[i] = vector(texts.get(i));
    }
    return CompletableFuture.completedFuture(out);
  }

  private float[] vector(String text) {
    float[] v = new float[dims];
    List<String> t = RougeL.tokens(text);
    for (int i = 0; i < t.size(); i++) {
      v[Math.floorMod(t.get(i).hashCode(), dims)] += 1;
      if (i + 1 < t.size()) {
        v[Math.floorMod((t.get(i) + " " + t.get(i + 1)).hashCode(), dims)] += 0.5f;
      }
    }
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    if (n > 0) {
      for (int i = 0; i < dims; i++) {
        v[i] /= (float) Math.sqrt(n);
      }
    }
    return v;
  }

  @Override
  public int dimensions() {
    return dims;
  }

  @Override
  public String model() {
    return "hashing-" + dims;
  }

  @Override
  public String provider() {
    return "test";
  }
}
