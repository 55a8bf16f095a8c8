package dev.nats.accounts.reconciler;

import dev.nats.accounts.api.Durations;
import dev.nats.accounts.api.Quantities;
import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.ConnectionType;
import dev.nats.accounts.api.v1alpha1.JetStreamTierLimits;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.SigningKeyTemplate;
import dev.nats.accounts.api.v1alpha1.UserSpec;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.ClaimsValidator;
import dev.nats.accounts.jwt.JetStreamLimits;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.ResponsePermission;
import dev.nats.accounts.jwt.UserLimits;
import dev.nats.accounts.jwt.UserPermissionLimits;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps custom-resource specs to claims. Pure and total: every absent field has the documented
 * default (limits unlimited, JetStream off), because an absent limit in a NATS JWT means zero and
 * locks every client out.
 */
public final class SpecConversions {
  private SpecConversions() {}

  /** An Account's {@code spec.limits}. */
  public static AccountLimits accountLimits(dev.nats.accounts.api.v1alpha1.AccountLimits l) {
    if (l == null) {
      return AccountLimits.UNLIMITED;
    }
    return new AccountLimits(
        orUnlimited(l.getSubscriptions()),
        bytes(l.getData(), "spec.limits.data"),
        bytes(l.getPayload(), "spec.limits.payload"),
        orUnlimited(l.getImports()),
        orUnlimited(l.getExports()),
        l.getWildcardExports() == null || l.getWildcardExports(),
        Boolean.TRUE.equals(l.getDisallowBearer()),
        orUnlimited(l.getConnections()),
        orUnlimited(l.getLeafNodeConnections()),
        jetStream(l.getJetstream()),
        tiers(l.getJetstream()));
  }

  /**
   * JetStream is enabled by the presence of the block; inside it everything defaults to unlimited.
   * With tiers the flat limits are all zero: nats-server refuses a JWT with both.
   */
  static JetStreamLimits jetStream(dev.nats.accounts.api.v1alpha1.JetStreamLimits js) {
    if (js == null) {
      return JetStreamLimits.DISABLED;
    }
    if (js.getTiers() != null) {
      requireNoFlatLimits(js);
      return JetStreamLimits.DISABLED;
    }
    return tier(js, "spec.limits.jetstream");
  }

  /** Tier name to limits, in the order of the spec; empty when there are no tiers. */
  static Map<String, JetStreamLimits> tiers(dev.nats.accounts.api.v1alpha1.JetStreamLimits js) {
    if (js == null || js.getTiers() == null) {
      return Map.of();
    }
    Map<String, JetStreamLimits> out = new LinkedHashMap<>();
    js.getTiers()
        .forEach(
            (name, t) -> {
              String at = "spec.limits.jetstream.tiers." + name;
              if (!TIER_NAME.matcher(name).matches()) {
                throw new InvalidSpecException(
                    "spec.limits.jetstream.tiers", "tier name \"" + name + "\" is not R1 to R5");
              }
              out.put(name, tier(t == null ? new JetStreamTierLimits() : t, at));
            });
    return out;
  }

  private static final Pattern TIER_NAME = Pattern.compile("R[1-5]");

  /**
   * Admission refuses the mix; this catches a spec that did not pass admission (an older CRD), so
   * that the message names the fields rather than the JWT validator's "mutually exclusive".
   */
  private static void requireNoFlatLimits(dev.nats.accounts.api.v1alpha1.JetStreamLimits js) {
    if (js.getMemoryStorage() != null
        || js.getDiskStorage() != null
        || js.getStreams() != null
        || js.getConsumers() != null
        || js.getMaxAckPending() != null) {
      throw new InvalidSpecException(
          "spec.limits.jetstream",
          dev.nats.accounts.api.v1alpha1.JetStreamLimits.NO_FLAT_WITH_TIERS_MESSAGE);
    }
  }

  /**
   * @param at the field path of {@code t}, for messages
   */
  static JetStreamLimits tier(JetStreamTierLimits t, String at) {
    return new JetStreamLimits(
        bytes(t.getMemoryStorage(), at + ".memoryStorage"),
        bytes(t.getDiskStorage(), at + ".diskStorage"),
        orUnlimited(t.getStreams()),
        orUnlimited(t.getConsumers()),
        orUnlimited(t.getMaxAckPending()),
        0,
        0,
        false);
  }

  /**
   * @param at the field path of {@code p}, for messages
   */
  public static Permissions permissions(dev.nats.accounts.api.v1alpha1.Permissions p, String at) {
    if (p == null) {
      return null;
    }
    return new Permissions(
        permission(p.getPublish()),
        permission(p.getSubscribe()),
        responses(p.getResponses(), at + ".responses"));
  }

  static Permission permission(dev.nats.accounts.api.v1alpha1.Permission p) {
    if (p == null) {
      return null;
    }
    return new Permission(nullToEmpty(p.getAllow()), nullToEmpty(p.getDeny()));
  }

  static ResponsePermission responses(
      dev.nats.accounts.api.v1alpha1.ResponsePermission r, String at) {
    if (r == null) {
      return null;
    }
    int max = r.getMax() == null ? 1 : r.getMax();
    Duration ttl = r.getTtl() == null ? Duration.ZERO : duration(r.getTtl(), at + ".ttl");
    return new ResponsePermission(max, ttl);
  }

  /**
   * A scoped signing key's template ({@code at}, e.g. spec.signingKeys[1].template): what every
   * user it signs gets.
   */
  public static UserPermissionLimits template(SigningKeyTemplate t, String at) {
    UserPermissionLimits base = UserPermissionLimits.UNLIMITED;
    if (t == null) {
      return base;
    }
    return base.withPermissions(
            new Permissions(
                permission(t.getPublish()),
                permission(t.getSubscribe()),
                responses(t.getResponses(), at + ".responses")))
        .withLimits(userLimits(t.getLimits(), at + ".limits"))
        .withSourceNetworks(networks(t.getSourceNetworks(), at + ".sourceNetworks"))
        .withBearerToken(Boolean.TRUE.equals(t.getBearerToken()))
        .withAllowedConnectionTypes(connectionTypes(t.getConnectionTypes()));
  }

  /** A user signed by a plain key carries its own permissions and limits. */
  public static UserPermissionLimits user(UserSpec s) {
    return UserPermissionLimits.UNLIMITED
        .withPermissions(permissions(s.getPermissions(), "spec.permissions"))
        .withLimits(userLimits(s.getLimits(), "spec.limits"))
        .withSourceNetworks(networks(s.getSourceNetworks(), "spec.sourceNetworks"))
        .withBearerToken(Boolean.TRUE.equals(s.getBearerToken()))
        .withAllowedConnectionTypes(connectionTypes(s.getConnectionTypes()));
  }

  /** True when the user spec sets anything a scoped key's template would have to override. */
  public static boolean setsPermissionsOrLimits(UserSpec s) {
    return s.getPermissions() != null
        || s.getLimits() != null
        || (s.getSourceNetworks() != null && !s.getSourceNetworks().isEmpty())
        || (s.getConnectionTypes() != null && !s.getConnectionTypes().isEmpty())
        || Boolean.TRUE.equals(s.getBearerToken());
  }

  static UserLimits userLimits(dev.nats.accounts.api.v1alpha1.UserLimits l, String at) {
    if (l == null) {
      return UserLimits.UNLIMITED;
    }
    return new UserLimits(
        orUnlimited(l.getSubscriptions()),
        bytes(l.getData(), at + ".data"),
        bytes(l.getPayload(), at + ".payload"));
  }

  /**
   * Source networks, each a CIDR. The schema checks only their shape ({@code 10.0.0.0/99} passes
   * it); checked here, the message names the spec's field rather than the claims' one.
   */
  static List<String> networks(List<String> cidrs, String field) {
    List<String> out = nullToEmpty(cidrs);
    for (int i = 0; i < out.size(); i++) {
      if (!ClaimsValidator.isCidr(out.get(i))) {
        throw new InvalidSpecException(
            field + "[" + i + "]",
            "\"" + out.get(i) + "\" is not a CIDR; write e.g. 10.0.0.0/8 or 192.168.1.5/32");
      }
    }
    return out;
  }

  static List<String> connectionTypes(List<ConnectionType> types) {
    return types == null ? List.of() : types.stream().map(Enum::name).toList();
  }

  static long orUnlimited(Long v) {
    return v == null ? -1 : v;
  }

  static long bytes(Quantity q, String field) {
    try {
      return Quantities.bytes(q, -1);
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException(field, e.getMessage());
    }
  }

  /** The signing keys an Account has: those of its spec, or one named "default". */
  public static List<SigningKeySpec> signingKeys(AccountSpec spec) {
    if (spec == null || spec.getSigningKeys() == null || spec.getSigningKeys().isEmpty()) {
      SigningKeySpec d = new SigningKeySpec();
      d.setName("default");
      return List.of(d);
    }
    return spec.getSigningKeys();
  }

  /** A Go-style duration; a malformed one is reported with the field it came from. */
  public static Duration duration(String text, String field) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidSpecException(field, e.getMessage());
    }
  }

  /**
   * A credential lifetime (a User's or a grant's {@code expiresAfter}). JWT expiry counts whole
   * seconds, so a shorter one expires as it is issued: every reconcile would find it due for
   * renewal and sign again, for ever.
   */
  public static Duration lifetime(String text, String field) {
    Duration d = duration(text, field);
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new InvalidSpecException(
          field,
          "\""
              + text
              + "\" is too short: a lifetime is at least 1s (JWT expiry counts whole seconds)");
    }
    return d;
  }

  /**
   * How long before expiry to renew: it must leave part of the lifetime, or the credential is due
   * for renewal as soon as it is signed and every reconcile signs it again.
   *
   * @param lifetimeField the field {@code lifetime} came from, for the message
   */
  public static Duration renewBefore(
      String text, String field, Duration lifetime, String lifetimeField) {
    Duration d = duration(text, field);
    if (d.compareTo(lifetime) >= 0) {
      throw new InvalidSpecException(
          field,
          "\""
              + text
              + "\" must be shorter than "
              + lifetimeField
              + ": renewing that early would sign new credentials on every reconcile");
    }
    return d;
  }

  static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }
}
