package dev.nats.accounts.reconciler.exports;

import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.owned.Ownership;
import dev.nats.accounts.reconciler.Indexes;
import dev.nats.accounts.reconciler.Indexes.ExportId;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The grantees an export has issued activation tokens to, each with the Secret that holds its
 * token: those its status lists, and those its token Secrets show.
 *
 * <p>Why both: the Secret is written before the status, and a new export's first status may be held
 * back while it waits for its Account's push ({@code PendingHold}), so for a while only the Secret
 * knows of a token; a status can also be wiped. A grant removed, or the export deleted, in that
 * window must still end in a revocation, and a signing key still signing such a token must stay in
 * the account JWT. The grantee is read from the label we wrote, and only from a Secret named for
 * that grantee, so a label edited by hand names no other grant's Secret.
 */
public final class IssuedGrants {
  private IssuedGrants() {}

  /**
   * Grantee key to token Secret name, for {@code v}, from its status and from {@code secrets}, the
   * Secrets the operator wrote for an export of its name ({@link
   * dev.nats.accounts.reconciler.Indexes#OBJECTS_BY_EXPORT}); only its status without its resource.
   */
  public static Map<String, String> of(ExportView v, Collection<Secret> secrets) {
    Map<String, String> out = new TreeMap<>();
    if (v.status() != null && v.status().getActivations() != null) {
      for (ActivationStatus a : v.status().getActivations()) {
        if (a.getPublicKey() != null) {
          out.put(
              a.getPublicKey(),
              a.getSecretName() != null
                  ? a.getSecretName()
                  : Grants.secretName(v.name(), a.getPublicKey()));
        }
      }
    }
    if (v.resource() == null) {
      return out;
    }
    Owner owner = Owner.of(v.resource());
    for (Secret s : secrets) {
      Map<String, String> labels = s.getMetadata().getLabels();
      String grantee = labels == null ? null : labels.get(Grants.GRANTEE_LABEL);
      if (grantee != null
          && v.namespace().equals(s.getMetadata().getNamespace())
          && Ownership.isOurs(s, owner)
          && Grants.secretName(v.name(), grantee).equals(s.getMetadata().getName())) {
        out.putIfAbsent(grantee, s.getMetadata().getName());
      }
    }
    return out;
  }

  /**
   * As {@link #of(ExportView, Collection)}, with the Secrets {@code cache} files under the export
   * ({@link Indexes#OBJECTS_BY_EXPORT}, which the cache must carry).
   */
  public static Map<String, String> of(ExportView v, IndexerResourceCache<Secret> cache) {
    return of(
        v,
        v.resource() == null
            ? List.of()
            : Indexes.OBJECTS_BY_EXPORT.lookup(cache, ExportId.of(v.resource())));
  }

  /** The {@code iat} of each token {@link #of(ExportView, IndexerResourceCache)} finds. */
  public static Map<String, Long> issuedAt(ExportView v, IndexerResourceCache<Secret> cache) {
    return issuedAt(v, of(v, cache), cache);
  }

  /** The {@code iat} of each token in {@code issued} (found already), read from {@code cache}. */
  public static Map<String, Long> issuedAt(
      ExportView v, Map<String, String> issued, IndexerResourceCache<Secret> cache) {
    return issuedAt(issued, name -> cache.get(new ResourceID(name, v.namespace())));
  }

  /**
   * The {@code iat} of each grantee's token as its Secret holds it (0 when the Secret or its token
   * cannot be read): what a revocation must reach to end that token.
   */
  public static Map<String, Long> issuedAt(
      Map<String, String> issued, Function<String, Optional<Secret>> secretNamed) {
    Map<String, Long> out = new TreeMap<>();
    issued.forEach(
        (grantee, secretName) ->
            out.put(
                grantee,
                secretNamed
                    .apply(secretName)
                    .flatMap(s -> KeySecrets.read(s, Grants.TOKEN_KEY))
                    .map(IssuedGrants::iat)
                    .orElse(0L)));
    return out;
  }

  private static long iat(String token) {
    try {
      return JwtDecoder.decodeIgnoringTime(token).issuedAt();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Whether {@code revoked} already ends the grantee's token issued at {@code iat}; a token of
   * unknown {@code iat} (0) counts as ended once the grantee is revoked at all.
   */
  public static boolean covered(Map<String, Long> revoked, String grantee, long iat) {
    return iat > 0 ? revoked.getOrDefault(grantee, -1L) >= iat : revoked.containsKey(grantee);
  }
}
