package io.sygra.llm;

/**
 * A snapshot of one endpoint of a {@link ResilientModelClient} or {@link ResilientEmbedder}.
 *
 * @param id provider and base URL (no credentials)
 * @param circuitState {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ...
 * @param concurrencyLimit the current AIMD limit
 * @param inFlight calls holding a concurrency permit
 * @param queued calls waiting for a permit
 */
public record EndpointStatus(
    String id, String circuitState, int concurrencyLimit, int inFlight, int queued) {}
