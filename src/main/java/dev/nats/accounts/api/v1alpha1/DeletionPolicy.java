package dev.nats.accounts.api.v1alpha1;

/** What happens to an account's keys and its resolver copy when the Account resource is deleted. */
public enum DeletionPolicy {
  /** Keep keys and the pushed JWT: recreating the Account restores the same identity. */
  Retain,
  /** Delete the keys Secret and send an operator-signed delete to the resolvers. */
  Delete
}
