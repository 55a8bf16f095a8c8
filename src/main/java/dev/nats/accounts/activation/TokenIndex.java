package dev.nats.accounts.activation;

import dev.nats.accounts.jwt.ActivationHashId;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The activation tokens this process serves, by hash ID, rebuilt from what the informers hold.
 *
 * <p>A token is served only when an export's status names its Secret for that grantee and the
 * Secret holds a signed activation JWT issued to that grantee. Status is written by the operator
 * alone, so a Secret someone else labels like ours is never served; a grant that ends leaves the
 * status (and its Secret goes), so its URL answers 404 at once. The hash ID comes from the token
 * itself, and the hash covers the signer: no one can make a URL answer with a token they could not
 * sign. Only the token leaves, never another key of the Secret.
 */
public final class TokenIndex {
  /** An export's status: the namespace and, per grant, its grantee and token Secret. */
  public record Listed(String namespace, String grantee, String secretName) {}

  /** A Secret's namespace, name and the token it holds (null when it holds none). */
  public record Stored(String namespace, String name, String token) {}

  private volatile Map<String, String> byHash = Map.of();

  /**
   * Replaces the index with the tokens {@code listed} names in {@code stored}. Two grants with one
   * hash ID (a ServiceExport and a StreamExport of the same subject to the same grantee) serve the
   * token issued last.
   */
  public void rebuild(List<Listed> listed, List<Stored> stored) {
    Map<String, String> secrets = new HashMap<>();
    for (Stored s : stored) {
      if (s.token() != null) {
        secrets.put(s.namespace() + "/" + s.name(), s.token());
      }
    }
    Map<String, DecodedJwt> out = new HashMap<>();
    for (Listed l : listed) {
      String token = secrets.get(l.namespace() + "/" + l.secretName());
      decodeFor(token, l.grantee())
          .ifPresent(
              d ->
                  out.merge(
                      ActivationHashId.of(d), d, (a, b) -> a.issuedAt() >= b.issuedAt() ? a : b));
    }
    Map<String, String> next = new HashMap<>();
    out.forEach((hash, d) -> next.put(hash, d.token()));
    byHash = Map.copyOf(next);
  }

  /** The token served at this hash ID, if any. */
  public Optional<String> token(String hashId) {
    return Optional.ofNullable(byHash.get(hashId));
  }

  public int size() {
    return byHash.size();
  }

  private static Optional<DecodedJwt> decodeFor(String token, String grantee) {
    if (token == null || grantee == null) {
      return Optional.empty();
    }
    try {
      DecodedJwt d = JwtDecoder.decodeIgnoringTime(token);
      if (!"activation".equals(d.type()) || !grantee.equals(d.subject())) {
        return Optional.empty();
      }
      d.activation();
      return Optional.of(d);
    } catch (JwtException | IllegalArgumentException | IllegalStateException e) {
      return Optional.empty();
    }
  }
}
