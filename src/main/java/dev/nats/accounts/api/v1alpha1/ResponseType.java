package dev.nats.accounts.api.v1alpha1;

/** How many replies a service sends per request (the JWT export {@code response_type}). */
public enum ResponseType {
  Singleton,
  Stream,
  Chunked
}
