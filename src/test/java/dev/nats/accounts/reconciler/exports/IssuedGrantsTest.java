package dev.nats.accounts.reconciler.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.ActivationStatus;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceExportStatus;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.owned.Owner;
import dev.nats.accounts.owned.Ownership;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IssuedGrantsTest {
  private static final String G1 = "ADETPT36WBIBUKM3IBCVM4A5YUSDXFEJPW4M6GGVBYCBW7RRNFTV5NGE";
  private static final String G2 = "ABJHLOVMPA4CI6R5KLNGOB4GSLNIY7IOUPAJC4YFNDLQVIOBYQGUWVLA";

  private static ServiceExport export(String name) {
    ServiceExport e = new ServiceExport();
    e.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name).withUid("u").build());
    return e;
  }

  /** A token Secret as the export reconciler writes it (labels of Ownership and Grants). */
  private static Secret token(ServiceExport owner, String grantee, String name) {
    return new SecretBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withNamespace("ns")
                .withName(name)
                .withLabels(
                    Ownership.labels(
                        Owner.of(owner),
                        Map.of(
                            Grants.EXPORT_LABEL,
                            owner.getMetadata().getName(),
                            Grants.GRANTEE_LABEL,
                            grantee)))
                .withAnnotations(Ownership.annotations(Owner.of(owner), null))
                .build())
        .build();
  }

  private static ActivationStatus listed(String grantee, String secret) {
    ActivationStatus a = new ActivationStatus();
    a.setPublicKey(grantee);
    a.setSecretName(secret);
    return a;
  }

  @Test
  void theStatusAndTheTokenSecretsBothCount() {
    ServiceExport e = export("help");
    ServiceExportStatus st = new ServiceExportStatus();
    st.setActivations(List.of(listed(G1, Grants.secretName("help", G1))));
    e.setStatus(st);
    ExportView v = ExportView.of(e);

    Map<String, String> issued =
        IssuedGrants.of(v, List.of(token(e, G2, Grants.secretName("help", G2))));

    assertEquals(
        Map.of(G1, Grants.secretName("help", G1), G2, Grants.secretName("help", G2)), issued);
  }

  @Test
  void aHeldFirstStatusLeavesTheSecretsToTell() {
    ServiceExport e = export("help");
    ExportView v = ExportView.of(e);

    assertEquals(
        Map.of(G1, Grants.secretName("help", G1)),
        IssuedGrants.of(v, List.of(token(e, G1, Grants.secretName("help", G1)))));
  }

  @Test
  void secretsOfOtherExportsKindsOrNamesDoNotCount() {
    ServiceExport e = export("help");
    ServiceExport other = export("other");
    StreamExport sameName = new StreamExport();
    sameName.setMetadata(
        new ObjectMetaBuilder().withNamespace("ns").withName("help").withUid("s").build());
    Secret ofStream =
        new SecretBuilder(token(e, G1, Grants.secretName("help", G1)))
            .editMetadata()
            .withLabels(
                Ownership.labels(
                    Owner.of(sameName),
                    Map.of(Grants.EXPORT_LABEL, "help", Grants.GRANTEE_LABEL, G1)))
            .endMetadata()
            .build();
    Secret relabelled = token(e, G2, Grants.secretName("help", G1));
    Secret elsewhere =
        new SecretBuilder(token(e, G1, Grants.secretName("help", G1)))
            .editMetadata()
            .withNamespace("ns2")
            .endMetadata()
            .build();

    assertEquals(
        Map.of(),
        IssuedGrants.of(
            ExportView.of(e),
            List.of(
                token(other, G1, Grants.secretName("other", G1)), ofStream, relabelled, elsewhere)),
        "another export's, a stream export's of the same name, a grantee label naming another"
            + " grant's Secret, another namespace's");
  }

  @Test
  void aListedActivationWithoutSecretNameGetsTheNameItsGrantWouldHave() {
    ServiceExport e = export("help");
    ServiceExportStatus st = new ServiceExportStatus();
    st.setActivations(List.of(listed(G1, null)));
    e.setStatus(st);

    assertEquals(
        Map.of(G1, Grants.secretName("help", G1)), IssuedGrants.of(ExportView.of(e), List.of()));
  }

  @Test
  void aViewWithoutItsResourceHasOnlyItsStatus() {
    ServiceExportStatus st = new ServiceExportStatus();
    st.setActivations(List.of(listed(G1, "s1")));
    ExportView v = new ExportView(ExportType.SERVICE, "ns", "help", "u", null, st, null);

    assertEquals(Map.of(G1, "s1"), IssuedGrants.of(v, List.of()));
  }

  @Test
  void aRevocationCoversATokenIssuedAtOrBeforeItAndAnUnknownOneOnceThereAtAll() {
    Map<String, Long> revoked = Map.of(G1, 100L);
    assertTrue(IssuedGrants.covered(revoked, G1, 100));
    assertTrue(IssuedGrants.covered(revoked, G1, 99));
    assertFalse(IssuedGrants.covered(revoked, G1, 101), "issued after: granted again since");
    assertTrue(IssuedGrants.covered(revoked, G1, 0), "unknown iat: revoked at all");
    assertFalse(IssuedGrants.covered(revoked, G2, 0));
    assertFalse(IssuedGrants.covered(revoked, G2, 50));
  }

  @Test
  void theIatOfEachTokenAsItsSecretHoldsItAndZeroWhenUnreadable() {
    dev.nats.accounts.jwt.KeyPair signer =
        dev.nats.accounts.jwt.KeyPair.create(dev.nats.accounts.jwt.KeyType.ACCOUNT);
    String token =
        dev.nats.accounts.jwt.JwtEncoder.encode(
            new dev.nats.accounts.jwt.ActivationClaims(
                "private.help." + G1,
                G1,
                "private.help." + G1,
                ExportType.SERVICE,
                signer.publicKey(),
                null),
            signer,
            1234);
    Secret withToken =
        new SecretBuilder()
            .withNewMetadata()
            .withName("s1")
            .endMetadata()
            .addToStringData(Grants.TOKEN_KEY, token)
            .build();
    Secret garbled =
        new SecretBuilder()
            .withNewMetadata()
            .withName("s2")
            .endMetadata()
            .addToStringData(Grants.TOKEN_KEY, "not a jwt")
            .build();
    Map<String, Secret> byName = Map.of("s1", withToken, "s2", garbled);

    assertEquals(
        Map.of(G1, 1234L, G2, 0L, "ACCOUNTWITHOUTSECRET", 0L),
        IssuedGrants.issuedAt(
            Map.of(G1, "s1", G2, "s2", "ACCOUNTWITHOUTSECRET", "s3"),
            name -> java.util.Optional.ofNullable(byName.get(name))));
  }
}
