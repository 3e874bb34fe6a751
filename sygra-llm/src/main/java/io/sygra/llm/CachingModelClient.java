package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.CacheKeys;
import io.sygra.llm.internal.client.CallTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A decorator that answers repeated requests from a {@link ResponseCache}. The key is the SHA-256
 * of the request in canonical form (resolved model, messages, parameters, tools, response format,
 * extra body) plus a namespace naming the provider and base URLs; the API key is never part of it.
 * Requests the cache deems ineligible (sampled without a seed) go straight to the delegate.
 *
 * <pre>{@code
 * ResponseCache cache = ResponseCache.persistent(runDir.resolve("cache.mv.db"));
 * ModelClient client = CachingModelClient.wrap(resilientClient, cache);
 * }</pre>
 *
 * <p>Closing this client closes the delegate but not the cache (which may be shared).
 */
public final class CachingModelClient implements ModelClient {
  private final ModelClient delegate;
  private final ResponseCache cache;
  private final String namespace;
  private final String defaultModel;

  private CachingModelClient(
      ModelClient delegate, ResponseCache cache, String namespace, String defaultModel) {
    this.delegate = delegate;
    this.cache = cache;
    this.namespace = namespace;
    this.defaultModel = defaultModel;
  }

  /** Wraps {@code delegate}; the namespace is derived from its provider and base URLs. */
  public static CachingModelClient wrap(ModelClient delegate, ResponseCache cache) {
    ConfigurationException.check(delegate != null, "delegate", "must not be null");
    ConfigurationException.check(cache != null, "cache", "must not be null");
    return new CachingModelClient(delegate, cache, namespaceOf(delegate), defaultModelOf(delegate));
  }

  /**
   * Wraps {@code delegate} under an explicit namespace, e.g. to share entries between two
   * deployments known to serve the same weights.
   */
  public static CachingModelClient wrap(
      ModelClient delegate, ResponseCache cache, String namespace) {
    ConfigurationException.check(delegate != null, "delegate", "must not be null");
    ConfigurationException.check(cache != null, "cache", "must not be null");
    ConfigurationException.check(
        namespace != null && !namespace.isBlank(), "namespace", "must not be blank");
    return new CachingModelClient(delegate, cache, namespace, defaultModelOf(delegate));
  }

  static String namespaceOf(ModelClient c) {
    List<ModelClient> endpoints = new ArrayList<>();
    if (c instanceof ResilientModelClient r) {
      endpoints.addAll(r.endpoints());
    } else {
      endpoints.add(c);
    }
    TreeSet<String> urls = new TreeSet<>();
    for (ModelClient e : endpoints) {
      urls.add(e instanceof RemoteEndpoint re ? re.baseUrl() : e.provider());
    }
    return c.provider() + " " + String.join(",", urls);
  }

  static String defaultModelOf(ModelClient c) {
    if (c instanceof RemoteEndpoint re) {
      return re.defaultModel();
    }
    if (c instanceof ResilientModelClient r) {
      return r.defaultModel();
    }
    return null;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    if (!cache.eligible(request)) {
      cache.bypass();
      return delegate.chat(request);
    }
    String model = request.model() != null ? request.model() : defaultModel;
    String key = CacheKeys.key(namespace, model, request);
    CallTrace trace = CallTrace.of(request);
    return cache.get(
        key,
        () -> delegate.chat(request),
        () -> {
          if (trace != null) {
            trace.cacheHit();
          }
        });
  }

  @Override
  public String provider() {
    return delegate.provider();
  }

  /** The namespace part of this client's cache keys. */
  public String namespace() {
    return namespace;
  }

  /** The wrapped client. */
  public ModelClient delegate() {
    return delegate;
  }

  /** The cache consulted by this client. */
  public ResponseCache cache() {
    return cache;
  }

  /** Closes the delegate; the cache stays open. */
  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "CachingModelClient[" + delegate + "]";
  }
}
