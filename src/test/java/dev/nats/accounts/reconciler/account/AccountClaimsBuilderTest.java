package dev.nats.accounts.reconciler.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nats.accounts.api.v1alpha1.AccountSpec;
import dev.nats.accounts.api.v1alpha1.JetStreamTierLimits;
import dev.nats.accounts.api.v1alpha1.SigningKeySpec;
import dev.nats.accounts.api.v1alpha1.SigningKeyTemplate;
import dev.nats.accounts.jwt.AccountClaims;
import dev.nats.accounts.jwt.AccountLimits;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.JetStreamLimits;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import dev.nats.accounts.jwt.Permission;
import dev.nats.accounts.jwt.Permissions;
import dev.nats.accounts.jwt.SigningKey;
import dev.nats.accounts.reconciler.SpecConversions;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The account JWT claims assembled from the spec and the resolved inputs. */
class AccountClaimsBuilderTest {
  private static final KeyPair OPERATOR = KeyPair.create(KeyType.OPERATOR);
  private static final KeyPair ACCOUNT = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair SK_DEFAULT = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair SK_APPS = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair OTHER = KeyPair.create(KeyType.ACCOUNT);
  private static final KeyPair USER = KeyPair.create(KeyType.USER);

  @Test
  void displayNameDefaultsToTheResourceName() {
    AccountClaims c = AccountClaimsBuilder.build(inputs("a", new AccountSpec(), List.of()));

    assertEquals("a", c.name());
    assertEquals(ACCOUNT.publicKey(), c.subject());
    assertEquals(AccountLimits.UNLIMITED, c.limits());
    assertNull(c.defaultPermissions());
    assertNull(c.description());
    assertEquals(List.of(), c.tags());
  }

  @Test
  void nullSpecBehavesLikeAnEmptyOne() {
    assertEquals(
        AccountClaimsBuilder.build(inputs("a", new AccountSpec(), List.of())),
        AccountClaimsBuilder.build(inputs("a", null, List.of())));
  }

  @Test
  void specFieldsAreCopied() {
    AccountSpec spec = new AccountSpec();
    spec.setDisplayName("A");
    spec.setDescription("tenant A");
    spec.setInfoURL("https://example.com/a");
    spec.setTags(List.of("team:a", "env:prod"));
    var limits = new dev.nats.accounts.api.v1alpha1.AccountLimits();
    limits.setConnections(5L);
    limits.setData(new Quantity("10Mi"));
    spec.setLimits(limits);
    var perms = new dev.nats.accounts.api.v1alpha1.Permissions();
    var pub = new dev.nats.accounts.api.v1alpha1.Permission();
    pub.setDeny(List.of("admin.>"));
    perms.setPublish(pub);
    spec.setDefaultPermissions(perms);

    AccountClaims c = AccountClaimsBuilder.build(inputs("a", spec, List.of()));

    assertEquals("A", c.name());
    assertEquals("tenant A", c.description());
    assertEquals("https://example.com/a", c.infoUrl());
    assertEquals(List.of("team:a", "env:prod"), c.tags());
    assertEquals(
        new AccountLimits(
            -1, 10_485_760, -1, -1, -1, true, false, 5, -1, JetStreamLimits.DISABLED, Map.of()),
        c.limits());
    assertEquals(
        new Permissions(new Permission(List.of(), List.of("admin.>")), null, null),
        c.defaultPermissions());
  }

  @Test
  void withoutSigningKeysInTheSpecThereIsOneNamedDefault() {
    List<SigningKeySpec> keys = SpecConversions.signingKeys(new AccountSpec());

    assertEquals(1, keys.size());
    assertEquals("default", keys.get(0).getName());
    assertNull(keys.get(0).getTemplate());
    assertEquals(
        List.of("default"),
        SpecConversions.signingKeys(null).stream().map(SigningKeySpec::getName).toList());
    AccountSpec empty = new AccountSpec();
    empty.setSigningKeys(List.of());
    assertEquals(
        List.of("default"),
        SpecConversions.signingKeys(empty).stream().map(SigningKeySpec::getName).toList());
  }

  @Test
  void signingKeysOfTheSpecAreKeptInOrder() {
    AccountSpec spec = new AccountSpec();
    spec.setSigningKeys(
        List.of(key("apps", null, new SigningKeyTemplate()), key("default", null, null)));

    assertSame(spec.getSigningKeys(), SpecConversions.signingKeys(spec));
  }

  @Test
  void plainAndScopedSigningKeys() {
    SigningKeyTemplate t = new SigningKeyTemplate();
    var pub = new dev.nats.accounts.api.v1alpha1.Permission();
    pub.setAllow(List.of("apps.{{name()}}.>"));
    t.setPublish(pub);
    SigningKeySpec apps = key("apps", "app-role", t);
    apps.setDescription("apps key");
    SigningKeySpec noRole = key("ops", null, new SigningKeyTemplate());
    var in =
        inputs(
            "a",
            new AccountSpec(),
            List.of(
                new AccountClaimsBuilder.ResolvedSigningKey(
                    key("default", null, null), SK_DEFAULT.publicKey()),
                new AccountClaimsBuilder.ResolvedSigningKey(apps, SK_APPS.publicKey()),
                new AccountClaimsBuilder.ResolvedSigningKey(noRole, OTHER.publicKey())));

    AccountClaims c = AccountClaimsBuilder.build(in);

    assertEquals(
        List.of(
            new SigningKey.Plain(SK_DEFAULT.publicKey()),
            new SigningKey.Scoped(
                SK_APPS.publicKey(),
                "app-role",
                SpecConversions.template(t, "spec.signingKeys[1].template"),
                "apps key"),
            new SigningKey.Scoped(
                OTHER.publicKey(),
                "ops",
                SpecConversions.template(new SigningKeyTemplate(), "spec.signingKeys[2].template"),
                null)),
        c.signingKeys());
    assertEquals(
        List.of("apps.{{name()}}.>"),
        c.scopeOf(SK_APPS.publicKey()).template().permissions().pub().allow());
    assertNull(c.scopeOf(SK_DEFAULT.publicKey()));
  }

  @Test
  void exportsImportsAndRevocationsAreIncludedAndSignable() {
    Export help = Export.service("help", "help");
    Import imp =
        Import.service("other", "other.help", OTHER.publicKey()).withLocalSubject("o.help");
    var in =
        new AccountClaimsBuilder.Inputs(
            "a",
            new AccountSpec(),
            ACCOUNT.publicKey(),
            List.of(
                new AccountClaimsBuilder.ResolvedSigningKey(
                    key("default", null, null), SK_DEFAULT.publicKey())),
            List.of(help),
            List.of(imp),
            Map.of(USER.publicKey(), 1_700_000_000L));

    AccountClaims c = AccountClaimsBuilder.build(in);

    assertEquals(List.of(help), c.exports());
    assertEquals(List.of(imp), c.imports());
    assertEquals(Map.of(USER.publicKey(), 1_700_000_000L), c.revocations());

    // what is built passes the encoder's validation and reads back the same
    DecodedJwt d = JwtDecoder.decode(JwtEncoder.encode(c, OPERATOR, 1_700_000_100L));
    AccountClaims back = d.account();
    assertEquals(c.exports(), back.exports());
    assertEquals(c.imports(), back.imports());
    assertEquals(c.revocations(), back.revocations());
    assertEquals(c.signingKeys(), back.signingKeys());
  }

  /**
   * The shape nats-server reads: {@code limits.tiered_limits.R1} with the per-tier fields, and the
   * flat JetStream fields all zero beside it (anything else is "mutually exclusive" to the server).
   */
  @Test
  void jetStreamTiersBecomeTieredLimitsWithTheFlatOnesZero() throws Exception {
    var r1 = new JetStreamTierLimits();
    r1.setDiskStorage(new Quantity("1Mi"));
    r1.setStreams(2L);
    var r3 = new JetStreamTierLimits();
    r3.setMemoryStorage(new Quantity("64Mi"));
    r3.setConsumers(10L);
    r3.setMaxAckPending(100L);
    var js = new dev.nats.accounts.api.v1alpha1.JetStreamLimits();
    js.setTiers(Map.of("R1", r1, "R3", r3));
    var limits = new dev.nats.accounts.api.v1alpha1.AccountLimits();
    limits.setJetstream(js);
    AccountSpec spec = new AccountSpec();
    spec.setLimits(limits);

    AccountClaims c = AccountClaimsBuilder.build(inputs("a", spec, List.of()));

    assertEquals(JetStreamLimits.DISABLED, c.limits().jetStream());
    assertEquals(
        Map.of(
            "R1", new JetStreamLimits(-1, 1_048_576, 2, -1, -1, 0, 0, false),
            "R3", new JetStreamLimits(67_108_864, -1, -1, 10, 100, 0, 0, false)),
        c.limits().tiered());
    JsonNode l =
        JwtDecoder.decode(JwtEncoder.encode(c, OPERATOR, 1_700_000_100L))
            .payload()
            .path("nats")
            .path("limits");
    assertEquals(
        new ObjectMapper()
            .readTree(
                """
                {"R1":{"mem_storage":-1,"disk_storage":1048576,"streams":2,"consumer":-1,
                       "max_ack_pending":-1,"mem_max_stream_bytes":0,"disk_max_stream_bytes":0,
                       "max_bytes_required":false},
                 "R3":{"mem_storage":67108864,"disk_storage":-1,"streams":-1,"consumer":10,
                       "max_ack_pending":100,"mem_max_stream_bytes":0,"disk_max_stream_bytes":0,
                       "max_bytes_required":false}}
                """),
        l.path("tiered_limits"));
    for (String flat :
        List.of(
            "mem_storage",
            "disk_storage",
            "streams",
            "consumer",
            "max_ack_pending",
            "mem_max_stream_bytes",
            "disk_max_stream_bytes")) {
      assertEquals(0, l.path(flat).asLong(-99), flat);
    }
  }

  @Test
  void flatJetStreamLimitsCarryNoTiers() {
    var js = new dev.nats.accounts.api.v1alpha1.JetStreamLimits();
    js.setDiskStorage(new Quantity("1Gi"));
    var limits = new dev.nats.accounts.api.v1alpha1.AccountLimits();
    limits.setJetstream(js);
    AccountSpec spec = new AccountSpec();
    spec.setLimits(limits);

    AccountClaims c = AccountClaimsBuilder.build(inputs("a", spec, List.of()));

    assertEquals(
        new JetStreamLimits(-1, 1_073_741_824L, -1, -1, -1, 0, 0, false), c.limits().jetStream());
    assertEquals(Map.of(), c.limits().tiered());
  }

  private static AccountClaimsBuilder.Inputs inputs(
      String name, AccountSpec spec, List<AccountClaimsBuilder.ResolvedSigningKey> keys) {
    return new AccountClaimsBuilder.Inputs(
        name, spec, ACCOUNT.publicKey(), keys, List.of(), List.of(), Map.of());
  }

  private static SigningKeySpec key(String name, String role, SigningKeyTemplate t) {
    SigningKeySpec k = new SigningKeySpec();
    k.setName(name);
    k.setRole(role);
    k.setTemplate(t);
    return k;
  }
}
