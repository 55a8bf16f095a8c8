package dev.nats.accounts.inspect;

import java.util.Set;

/**
 * Who may sign a token, where that is known: the issuing entity's identity key and its signing
 * keys, from the issuer's own JWT. A signature alone proves only that the key in {@code iss}
 * signed; this is what ties that key to the operator or account it claims to speak for.
 *
 * @param who e.g. "operator nats/main" or "account tenant-a/a", for the messages
 */
public record Trust(String who, String identity, Set<String> signingKeys) {
  public Trust {
    signingKeys = Set.copyOf(signingKeys);
  }

  /** How {@code issuer} relates to this entity, or null when it is none of its keys. */
  String role(String issuer) {
    if (identity.equals(issuer)) {
      return "identity key of " + who;
    }
    return signingKeys.contains(issuer) ? "signing key of " + who : null;
  }
}
