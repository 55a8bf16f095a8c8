package dev.nats.accounts.inspect;

import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtException;
import java.util.HashSet;
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

  /** The signer's own JWT says which keys speak for it; an unreadable one trusts nobody. */
  public static Trust of(String who, String issuerJwt) {
    if (issuerJwt == null) {
      return null;
    }
    DecodedJwt d;
    try {
      d = JwtDecoder.decodeIgnoringTime(issuerJwt);
    } catch (JwtException e) {
      return new Trust(who + " (its JWT does not verify)", "", Set.of());
    }
    Set<String> keys = new HashSet<>();
    for (var k : d.payload().path("nats").path("signing_keys")) {
      keys.add(k.isTextual() ? k.asText() : k.path("key").asText());
    }
    return new Trust(who, d.subject(), keys);
  }

  /** How {@code issuer} relates to this entity, or null when it is none of its keys. */
  String role(String issuer) {
    if (identity.equals(issuer)) {
      return "identity key of " + who;
    }
    return signingKeys.contains(issuer) ? "signing key of " + who : null;
  }
}
