package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Resolver kind written into the generated nats-server configuration; lower case on the wire, as in
 * nats-server.
 */
public enum ResolverType {
  @JsonProperty("full")
  FULL,
  @JsonProperty("cache")
  CACHE,
  /** JWTs are preloaded into the server config; nothing is pushed at runtime. */
  @JsonProperty("memory")
  MEMORY
}
