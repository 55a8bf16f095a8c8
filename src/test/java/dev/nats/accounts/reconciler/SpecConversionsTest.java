package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.ConnectionType;
import dev.nats.accounts.api.v1alpha1.JetStreamTierLimits;
import dev.nats.accounts.api.v1alpha1.SigningKeyTemplate;
import dev.nats.accounts.api.v1alpha1.UserSpec;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.JetStreamLimits;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.ResponsePermission;
import dev.nats.accounts.jwt.UserLimits;
import dev.nats.accounts.jwt.UserPermissionLimits;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Spec to claims defaults. An absent limit in a NATS JWT means 0 and locks every client out, so the
 * defaults below are the difference between a working account and an unusable one.
 */
class SpecConversionsTest {

  @Test
  void absentLimitsAreUnlimitedWithWildcardsAndNoJetStream() {
    AccountLimits l = SpecConversions.accountLimits(null);

    assertEquals(
        new AccountLimits(
            -1, -1, -1, -1, -1, true, false, -1, -1, JetStreamLimits.DISABLED, Map.of()),
        l);
    assertFalse(l.jetStream().isEnabled());
  }

  @Test
  void emptyLimitsBlockIsTheSameAsNone() {
    assertEquals(
        AccountLimits.UNLIMITED,
        SpecConversions.accountLimits(new dev.nats.accounts.api.v1alpha1.AccountLimits()));
  }

  @Test
  void everyAccountLimitIsMapped() {
    var l = new dev.nats.accounts.api.v1alpha1.AccountLimits();
    l.setConnections(10L);
    l.setLeafNodeConnections(2L);
    l.setSubscriptions(100L);
    l.setData(new Quantity("10Mi"));
    l.setPayload(new Quantity("1Ki"));
    l.setImports(3L);
    l.setExports(4L);
    l.setWildcardExports(false);
    l.setDisallowBearer(true);

    assertEquals(
        new AccountLimits(
            100, 10_485_760, 1024, 3, 4, false, true, 10, 2, JetStreamLimits.DISABLED, Map.of()),
        SpecConversions.accountLimits(l));
  }

  @Test
  void explicitMinusOneQuantityStaysUnlimited() {
    var l = new dev.nats.accounts.api.v1alpha1.AccountLimits();
    l.setData(new Quantity("-1"));
    l.setPayload(new Quantity("1M"));

    AccountLimits out = SpecConversions.accountLimits(l);
    assertEquals(-1, out.data());
    assertEquals(1_000_000, out.payload());
  }

  @Test
  void emptyJetStreamBlockEnablesJetStreamUnlimited() {
    var l = new dev.nats.accounts.api.v1alpha1.AccountLimits();
    l.setJetstream(new dev.nats.accounts.api.v1alpha1.JetStreamLimits());

    JetStreamLimits js = SpecConversions.accountLimits(l).jetStream();

    assertEquals(new JetStreamLimits(-1, -1, -1, -1, -1, 0, 0, false), js);
    assertTrue(js.isEnabled());
  }

  @Test
  void jetStreamValuesAreMapped() {
    var js = new dev.nats.accounts.api.v1alpha1.JetStreamLimits();
    js.setMemoryStorage(new Quantity("1Gi"));
    js.setDiskStorage(new Quantity("10737418240"));
    js.setStreams(5L);
    js.setConsumers(50L);
    js.setMaxAckPending(1000L);

    assertEquals(
        new JetStreamLimits(1_073_741_824L, 10_737_418_240L, 5, 50, 1000, 0, 0, false),
        SpecConversions.jetStream(js));
  }

  @Test
  void malformedQuantityNamesItsField() {
    var l = new dev.nats.accounts.api.v1alpha1.AccountLimits();
    l.setPayload(new Quantity("10", "Xi"));
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> SpecConversions.accountLimits(l));
    assertTrue(e.getMessage().startsWith("spec.limits.payload: "), e.getMessage());

    var js = new dev.nats.accounts.api.v1alpha1.JetStreamLimits();
    js.setDiskStorage(new Quantity("-5", null));
    l.setPayload(null);
    l.setJetstream(js);
    e = assertThrows(InvalidSpecException.class, () -> SpecConversions.accountLimits(l));
    assertTrue(e.getMessage().startsWith("spec.limits.jetstream.diskStorage: "), e.getMessage());
  }

  @Test
  void anEmptyTierIsJetStreamUnlimitedInThatTier() {
    var js = new dev.nats.accounts.api.v1alpha1.JetStreamLimits();
    js.setTiers(Map.of("R1", new JetStreamTierLimits()));

    assertEquals(JetStreamLimits.DISABLED, SpecConversions.jetStream(js));
    assertEquals(Map.of("R1", JetStreamLimits.UNLIMITED), SpecConversions.tiers(js));
  }

  /** Admission refuses these; a spec stored before the CRD had the rules still gets a field. */
  @Test
  void flatLimitsBesideTiersAndBadTierNamesNameTheirField() {
    var js = new dev.nats.accounts.api.v1alpha1.JetStreamLimits();
    js.setTiers(Map.of("R1", new JetStreamTierLimits()));
    js.setStreams(3L);
    var l = new dev.nats.accounts.api.v1alpha1.AccountLimits();
    l.setJetstream(js);
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> SpecConversions.accountLimits(l));
    assertEquals("spec.limits.jetstream", e.field());
    assertTrue(e.getMessage().contains("tiers cannot be combined"), e.getMessage());

    js.setStreams(null);
    js.setTiers(Map.of("R0", new JetStreamTierLimits()));
    e = assertThrows(InvalidSpecException.class, () -> SpecConversions.accountLimits(l));
    assertEquals("spec.limits.jetstream.tiers", e.field());

    var bad = new JetStreamTierLimits();
    bad.setDiskStorage(new Quantity("-5", null));
    js.setTiers(Map.of("R3", bad));
    e = assertThrows(InvalidSpecException.class, () -> SpecConversions.accountLimits(l));
    assertEquals("spec.limits.jetstream.tiers.R3.diskStorage", e.field());
  }

  @Test
  void permissionsAreMappedWithEmptyListsForAbsentOnes() {
    var p = new dev.nats.accounts.api.v1alpha1.Permissions();
    p.setPublish(perm(List.of("help", "private.help"), null));
    p.setSubscribe(perm(null, List.of("secret.>")));

    assertEquals(
        new Permissions(
            new Permission(List.of("help", "private.help"), List.of()),
            new Permission(List.of(), List.of("secret.>")),
            null),
        SpecConversions.permissions(p, "spec.defaultPermissions"));
    assertNull(SpecConversions.permissions(null, "spec.defaultPermissions"));
  }

  @Test
  void responsesDefaultToOneReplyWithoutTtl() {
    var r = new dev.nats.accounts.api.v1alpha1.ResponsePermission();
    assertEquals(
        new ResponsePermission(1, Duration.ZERO),
        SpecConversions.responses(r, "spec.permissions.responses"));

    r.setMax(3);
    r.setTtl("5s");
    assertEquals(
        new ResponsePermission(3, Duration.ofSeconds(5)),
        SpecConversions.responses(r, "spec.permissions.responses"));

    r.setTtl("1m30s");
    assertEquals(
        Duration.ofSeconds(90), SpecConversions.responses(r, "spec.permissions.responses").ttl());
  }

  @Test
  void malformedResponseTtlNamesItsField() {
    var r = new dev.nats.accounts.api.v1alpha1.ResponsePermission();
    r.setTtl("5 seconds");

    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class,
            () -> SpecConversions.responses(r, "spec.permissions.responses"));
    assertTrue(e.getMessage().startsWith("spec.permissions.responses.ttl: "), e.getMessage());
    assertTrue(e.getMessage().contains("5 seconds"), e.getMessage());
  }

  @Test
  void durationNamesTheFieldGivenByTheCaller() {
    assertEquals(Duration.ofHours(720), SpecConversions.duration("720h", "spec.expiresAfter"));
    InvalidSpecException e =
        assertThrows(
            InvalidSpecException.class, () -> SpecConversions.duration("-1h", "spec.expiresAfter"));
    assertTrue(e.getMessage().startsWith("spec.expiresAfter: "), e.getMessage());
  }

  @Test
  void aLifetimeUnderOneSecondNamesItsField() {
    assertEquals(Duration.ofHours(24), SpecConversions.lifetime("24h", "spec.expiresAfter"));
    assertEquals(Duration.ofSeconds(1), SpecConversions.lifetime("1s", "spec.expiresAfter"));
    for (String tooShort : List.of("0", "0s", "999ms")) {
      InvalidSpecException e =
          assertThrows(
              InvalidSpecException.class,
              () -> SpecConversions.lifetime(tooShort, "spec.grants[0].expiresAfter"));
      assertEquals("spec.grants[0].expiresAfter", e.field());
      assertTrue(e.getMessage().contains("at least 1s"), e.getMessage());
    }
  }

  @Test
  void renewBeforeMustLeavePartOfTheLifetime() {
    Duration day = Duration.ofHours(24);
    assertEquals(
        Duration.ofHours(8),
        SpecConversions.renewBefore("8h", "spec.renewBefore", day, "spec.expiresAfter"));
    assertEquals(
        Duration.ZERO,
        SpecConversions.renewBefore("0", "spec.renewBefore", day, "spec.expiresAfter"));
    for (String tooEarly : List.of("24h", "1440m", "48h")) {
      InvalidSpecException e =
          assertThrows(
              InvalidSpecException.class,
              () ->
                  SpecConversions.renewBefore(
                      tooEarly, "spec.renewBefore", day, "spec.expiresAfter"));
      assertEquals("spec.renewBefore", e.field());
      assertTrue(e.getMessage().contains("shorter than spec.expiresAfter"), e.getMessage());
    }
  }

  @Test
  void aSourceNetworkThatIsNoCidrNamesTheSpecField() {
    UserSpec user = new UserSpec();
    user.setSourceNetworks(List.of("10.0.0.0/8", "10.0.0.0/99"));
    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> SpecConversions.user(user));
    assertEquals("spec.sourceNetworks[1]", e.field());
    assertTrue(e.getMessage().contains("\"10.0.0.0/99\" is not a CIDR"), e.getMessage());

    SigningKeyTemplate t = new SigningKeyTemplate();
    t.setSourceNetworks(List.of("2001:db8::/129"));
    e =
        assertThrows(
            InvalidSpecException.class,
            () -> SpecConversions.template(t, "spec.signingKeys[2].template"));
    assertEquals("spec.signingKeys[2].template.sourceNetworks[0]", e.field());

    user.setSourceNetworks(List.of("10.0.0.0/8", "2001:db8::/32"));
    assertEquals(
        List.of("10.0.0.0/8", "2001:db8::/32"), SpecConversions.user(user).sourceNetworks());
  }

  @Test
  void absentTemplateIsUnlimited() {
    assertEquals(
        UserPermissionLimits.UNLIMITED,
        SpecConversions.template(null, "spec.signingKeys[0].template"));
    assertEquals(
        UserPermissionLimits.UNLIMITED,
        SpecConversions.template(new SigningKeyTemplate(), "spec.signingKeys[0].template"));
  }

  @Test
  void templateCarriesEverything() {
    SigningKeyTemplate t = new SigningKeyTemplate();
    t.setPublish(perm(List.of("apps.{{name()}}.>"), null));
    t.setSubscribe(perm(List.of("_INBOX.>"), null));
    var resp = new dev.nats.accounts.api.v1alpha1.ResponsePermission();
    resp.setMax(2);
    t.setResponses(resp);
    var lim = new dev.nats.accounts.api.v1alpha1.UserLimits();
    lim.setSubscriptions(10L);
    lim.setPayload(new Quantity("64Ki"));
    t.setLimits(lim);
    t.setSourceNetworks(List.of("10.0.0.0/8"));
    t.setBearerToken(true);
    t.setConnectionTypes(List.of(ConnectionType.STANDARD, ConnectionType.LEAFNODE_WS));

    UserPermissionLimits expected =
        new UserPermissionLimits(
            new Permissions(
                new Permission(List.of("apps.{{name()}}.>"), List.of()),
                new Permission(List.of("_INBOX.>"), List.of()),
                new ResponsePermission(2, Duration.ZERO)),
            List.of("10.0.0.0/8"),
            List.of(),
            null,
            new UserLimits(10, -1, 65_536),
            true,
            List.of("STANDARD", "LEAFNODE_WS"));
    assertEquals(expected, SpecConversions.template(t, "spec.signingKeys[0].template"));
  }

  @Test
  void bareUserIsUnlimitedWithoutPermissions() {
    UserPermissionLimits u = SpecConversions.user(new UserSpec());

    assertEquals(UserPermissionLimits.UNLIMITED, u);
    assertNull(u.permissions());
    assertEquals(new UserLimits(-1, -1, -1), u.limits());
  }

  @Test
  void userCarriesItsPermissionsAndLimits() {
    UserSpec s = new UserSpec();
    var p = new dev.nats.accounts.api.v1alpha1.Permissions();
    p.setPublish(perm(List.of("help"), null));
    s.setPermissions(p);
    var lim = new dev.nats.accounts.api.v1alpha1.UserLimits();
    lim.setData(new Quantity("1Mi"));
    s.setLimits(lim);
    s.setConnectionTypes(List.of(ConnectionType.WEBSOCKET));
    s.setSourceNetworks(List.of("192.168.0.0/16"));

    UserPermissionLimits u = SpecConversions.user(s);

    assertEquals(
        new Permissions(new Permission(List.of("help"), List.of()), null, null), u.permissions());
    assertEquals(new UserLimits(-1, 1_048_576, -1), u.limits());
    assertEquals(List.of("WEBSOCKET"), u.allowedConnectionTypes());
    assertEquals(List.of("192.168.0.0/16"), u.sourceNetworks());
    assertFalse(u.bearerToken());
  }

  @Test
  void malformedUserLimitNamesItsField() {
    UserSpec s = new UserSpec();
    var lim = new dev.nats.accounts.api.v1alpha1.UserLimits();
    lim.setData(new Quantity("lots", null));
    s.setLimits(lim);

    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> SpecConversions.user(s));
    assertTrue(e.getMessage().startsWith("spec.limits.data: "), e.getMessage());
  }

  @Test
  void setsPermissionsOrLimitsOnlyForMeaningfulFields() {
    assertFalse(SpecConversions.setsPermissionsOrLimits(new UserSpec()));
    assertFalse(
        SpecConversions.setsPermissionsOrLimits(
            user(
                s -> {
                  s.setSourceNetworks(List.of());
                  s.setConnectionTypes(List.of());
                  s.setBearerToken(false);
                  s.setDisplayName("x");
                  s.setExpiresAfter("1h");
                })),
        "empty lists, false and non-permission fields do not count");

    assertTrue(
        SpecConversions.setsPermissionsOrLimits(
            user(s -> s.setPermissions(new dev.nats.accounts.api.v1alpha1.Permissions()))));
    assertTrue(
        SpecConversions.setsPermissionsOrLimits(
            user(s -> s.setLimits(new dev.nats.accounts.api.v1alpha1.UserLimits()))));
    assertTrue(
        SpecConversions.setsPermissionsOrLimits(
            user(s -> s.setSourceNetworks(List.of("10.0.0.0/8")))));
    assertTrue(
        SpecConversions.setsPermissionsOrLimits(
            user(s -> s.setConnectionTypes(List.of(ConnectionType.MQTT)))));
    assertTrue(SpecConversions.setsPermissionsOrLimits(user(s -> s.setBearerToken(true))));
  }

  private static UserSpec user(Consumer<UserSpec> c) {
    UserSpec s = new UserSpec();
    c.accept(s);
    return s;
  }

  private static dev.nats.accounts.api.v1alpha1.Permission perm(
      List<String> allow, List<String> deny) {
    var p = new dev.nats.accounts.api.v1alpha1.Permission();
    p.setAllow(allow);
    p.setDeny(deny);
    return p;
  }
}
