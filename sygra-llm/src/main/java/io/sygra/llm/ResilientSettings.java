package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.ResilienceEngine;
import io.sygra.llm.internal.client.Schedulers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The builder state and engine wiring {@link ResilientModelClient} and {@link ResilientEmbedder}
 * share. Each builder holds one and keeps its own public setters (and their Javadoc), which
 * delegate here so the checks and messages live once. Not thread-safe.
 */
final class ResilientSettings {
  ResilienceConfig config = ResilienceConfig.defaults();
  BudgetRegistry budgets = BudgetRegistry.shared();
  ScheduledExecutorService scheduler = Schedulers.shared();
  boolean closeEndpoints = true;

  void config(ResilienceConfig config) {
    ConfigurationException.check(config != null, "config", "must not be null");
    this.config = config;
  }

  void budgets(BudgetRegistry budgets) {
    ConfigurationException.check(budgets != null, "budgets", "must not be null");
    this.budgets = budgets;
  }

  void scheduler(ScheduledExecutorService scheduler) {
    ConfigurationException.check(scheduler != null, "scheduler", "must not be null");
    this.scheduler = scheduler;
  }

  /**
   * An engine over {@code endpoints} with these settings; budgets are looked up in the registry
   * only when the config sets a requests or tokens budget.
   */
  <C> ResilienceEngine<C> engine(List<? extends C> endpoints) {
    ResilienceConfig c = config;
    BudgetRegistry registry = budgets;
    ScheduledExecutorService timer = scheduler;
    boolean budgeted = c.requestsPerWindow() > 0 || c.tokensPerWindow() > 0;
    return new ResilienceEngine<>(
        endpointSpecs(endpoints),
        c,
        budgeted
            ? (scope, m) ->
                registry.budget(
                    scope, m, c.requestsPerWindow(), c.tokensPerWindow(), c.budgetWindow(), timer)
            : null,
        timer);
  }

  /**
   * One spec per client: a {@link RemoteEndpoint} is named by provider and base URL and shares its
   * rate-limit scope; any other client is its own scope. Repeated names get {@code #2}, {@code #3}.
   */
  private static <C> List<ResilienceEngine.EndpointSpec<C>> endpointSpecs(
      List<? extends C> clients) {
    List<ResilienceEngine.EndpointSpec<C>> specs = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (C c : clients) {
      String id;
      String scope;
      if (c instanceof RemoteEndpoint re) {
        id = re.provider() + " " + re.baseUrl();
        scope = re.rateLimitScope();
      } else {
        id = c + "";
        scope = "endpoint#" + System.identityHashCode(c);
      }
      String unique = id;
      for (int n = 2; !ids.add(unique); n++) {
        unique = id + " #" + n;
      }
      specs.add(new ResilienceEngine.EndpointSpec<>(unique, c, scope));
    }
    return specs;
  }

  /** A snapshot of each endpoint's circuit state and concurrency. */
  static List<EndpointStatus> status(ResilienceEngine<?> engine) {
    List<EndpointStatus> out = new ArrayList<>();
    for (ResilienceEngine.Endpoint<?> e : engine.endpoints()) {
      out.add(
          new EndpointStatus(
              e.id(), e.circuitState(), e.concurrencyLimit(), e.inFlight(), e.queued()));
    }
    return out;
  }
}
