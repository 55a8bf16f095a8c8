package dev.nats.accounts.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nats.accounts.activation.TokenIndex.Listed;
import dev.nats.accounts.activation.TokenIndex.Stored;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.ActivationHashId;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtEncoder;
import dev.nats.accounts.jwt.KeyPair;
import dev.nats.accounts.jwt.KeyType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenIndexTest {
  static final KeyPair EXPORTER = KeyPair.create(KeyType.ACCOUNT);
  static final KeyPair SIGNER = KeyPair.create(KeyType.ACCOUNT);
  static final String GRANTEE = KeyPair.create(KeyType.ACCOUNT).publicKey();

  static String token(String grantee, String subject, long iat) {
    return JwtEncoder.encode(
        new ActivationClaims(
            subject, grantee, subject, ExportType.SERVICE, EXPORTER.publicKey(), null),
        SIGNER,
        iat);
  }

  static String hash(String token) {
    return ActivationHashId.of(JwtDecoder.decodeIgnoringTime(token));
  }

  @Test
  void aTokenTheStatusNamesIsServedAtItsHashId() {
    String t = token(GRANTEE, "help.>", 100);
    TokenIndex index = new TokenIndex();
    index.rebuild(
        List.of(new Listed("ns", GRANTEE, "help-activation-x")),
        List.of(new Stored("ns", "help-activation-x", t), new Stored("ns", "other", null)));

    assertEquals(Optional.of(t), index.token(hash(t)));
    assertEquals(
        ActivationHashId.of(SIGNER.publicKey(), GRANTEE, "help"),
        hash(t),
        "the hash is the grant's (signer, grantee, subject before the wildcard)");
    assertEquals(Optional.empty(), index.token("NOSUCHHASH"));
  }

  @Test
  void aRenewedTokenKeepsItsUrl() {
    TokenIndex index = new TokenIndex();
    String first = token(GRANTEE, "help", 100);
    String renewed = token(GRANTEE, "help", 200);
    List<Listed> listed = List.of(new Listed("ns", GRANTEE, "s"));
    index.rebuild(listed, List.of(new Stored("ns", "s", first)));
    index.rebuild(listed, List.of(new Stored("ns", "s", renewed)));

    assertEquals(hash(first), hash(renewed));
    assertEquals(Optional.of(renewed), index.token(hash(first)));
  }

  @Test
  void aSecretNoStatusNamesIsNotServed() {
    String t = token(GRANTEE, "help", 100);
    TokenIndex index = new TokenIndex();
    index.rebuild(
        List.of(new Listed("ns", GRANTEE, "listed")),
        List.of(
            new Stored("ns", "look-alike", t),
            new Stored("other-ns", "listed", t),
            new Stored("ns", "listed", null)));

    assertEquals(0, index.size());
  }

  @Test
  void anEndedGrantIsNoLongerServed() {
    String t = token(GRANTEE, "help", 100);
    TokenIndex index = new TokenIndex();
    index.rebuild(List.of(new Listed("ns", GRANTEE, "s")), List.of(new Stored("ns", "s", t)));
    index.rebuild(List.of(), List.of(new Stored("ns", "s", t)));

    assertEquals(Optional.empty(), index.token(hash(t)));
  }

  @Test
  void onlySignedActivationsForTheListedGranteeAreServed() {
    String forSomeoneElse = token(KeyPair.create(KeyType.ACCOUNT).publicKey(), "help", 100);
    String t = token(GRANTEE, "help", 100);
    String tampered = t.substring(0, t.length() - 4) + (t.endsWith("AAAA") ? "BBBB" : "AAAA");
    TokenIndex index = new TokenIndex();
    index.rebuild(
        List.of(
            new Listed("ns", GRANTEE, "a"),
            new Listed("ns", GRANTEE, "b"),
            new Listed("ns", GRANTEE, "c")),
        List.of(
            new Stored("ns", "a", forSomeoneElse),
            new Stored("ns", "b", tampered),
            new Stored("ns", "c", "not a jwt")));

    assertEquals(0, index.size());
  }

  @Test
  void twoGrantsWithOneHashServeTheLaterToken() {
    String older = token(GRANTEE, "help", 100);
    String newer = token(GRANTEE, "help", 200);
    TokenIndex index = new TokenIndex();
    index.rebuild(
        List.of(new Listed("ns", GRANTEE, "a"), new Listed("ns", GRANTEE, "b")),
        List.of(new Stored("ns", "a", newer), new Stored("ns", "b", older)));

    assertEquals(Optional.of(newer), index.token(hash(older)));
  }
}
