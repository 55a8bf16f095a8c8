package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When to sign and with which iat. Status iats are placed far in the future so that the next iat is
 * exactly "previous + 1" and can be written down, independent of the wall clock.
 */
class SignedJwtsTest {
  private static final SignedJwts.Subject KEY = new SignedJwts.Subject("uid-1", "account");
  private static final long T = Instant.now().getEpochSecond() + 100_000;

  private SignedJwts jwts;
  private List<Long> signedIats;
  private LongFunction<String> signer;

  @BeforeEach
  void setUp() {
    jwts = new SignedJwts();
    signedIats = new ArrayList<>();
    signer =
        iat -> {
          signedIats.add(iat);
          return "jwt@" + iat;
        };
  }

  @Test
  void firstSignatureUsesTheCurrentTime() {
    long before = Instant.now().getEpochSecond();
    SignedJwts.Signed s = jwts.ensure(KEY, "H1", null, null, 0, signer);
    long after = Instant.now().getEpochSecond();

    assertTrue(s.fresh());
    assertEquals("H1", s.hash());
    assertEquals(List.of(s.iat()), signedIats);
    assertEquals("jwt@" + s.iat(), s.jwt());
    assertTrue(
        s.iat() >= before && s.iat() <= after,
        "iat " + s.iat() + " not in [" + before + ", " + after + "]");
  }

  @Test
  void statusWithTheSameHashIsReusedWithoutSigning() {
    SignedJwts.Signed s = jwts.ensure(KEY, "H1", "H1", "status-jwt", T, signer);

    assertEquals(new SignedJwts.Signed("H1", "status-jwt", T, false), s);
    assertEquals(List.of(), signedIats);
  }

  @Test
  void statusHashWithoutAJwtIsSignedAgain() {
    SignedJwts.Signed s = jwts.ensure(KEY, "H1", "H1", null, T, signer);

    assertTrue(s.fresh());
    assertEquals(T + 1, s.iat());
  }

  @Test
  void staleStatusDoesNotCauseASecondSignature() {
    SignedJwts.Signed first = jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer);
    assertEquals(new SignedJwts.Signed("H2", "jwt@" + (T + 1), T + 1, true), first);

    // the informer still shows the old status: nothing new is signed, the remembered JWT is
    // returned
    SignedJwts.Signed again = jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer);

    assertEquals(new SignedJwts.Signed("H2", "jwt@" + (T + 1), T + 1, false), again);
    assertEquals(List.of(T + 1), signedIats);
  }

  @Test
  void changedHashIsSignedAfterBothStatusAndMemory() {
    jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer); // remembered at T+1, status still at T

    SignedJwts.Signed s = jwts.ensure(KEY, "H3", "H1", "jwt-h1", T, signer);

    assertTrue(s.fresh());
    assertEquals(T + 2, s.iat());
    assertTrue(s.iat() > T && s.iat() > T + 1);
  }

  @Test
  void newerStatusThanMemoryRaisesTheNextIat() {
    jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer); // remembered at T+1

    SignedJwts.Signed s = jwts.ensure(KEY, "H5", "H4", "jwt-h4", T + 50, signer);

    assertEquals(T + 51, s.iat());
  }

  @Test
  void revertingToTheStaleStatusHashSignsAnewInsteadOfReusingTheOlderJwt() {
    // pushing the status JWT (iat T) after the remembered one (iat T+1) would go backwards
    jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer);

    SignedJwts.Signed s = jwts.ensure(KEY, "H1", "H1", "jwt-h1", T, signer);

    assertEquals(new SignedJwts.Signed("H1", "jwt@" + (T + 2), T + 2, true), s);
  }

  @Test
  void statusThatCaughtUpIsUsedAgain() {
    SignedJwts.Signed mem = jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer);

    SignedJwts.Signed s = jwts.ensure(KEY, "H2", "H2", mem.jwt(), mem.iat(), signer);

    assertEquals(new SignedJwts.Signed("H2", mem.jwt(), T + 1, false), s);
    assertEquals(1, signedIats.size());
  }

  @Test
  void forgetDropsTheMemory() {
    jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer);
    jwts.forget(KEY);

    SignedJwts.Signed s = jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer);

    assertTrue(s.fresh(), "without memory the stale status leads to a new signature");
    assertEquals(List.of(T + 1, T + 1), signedIats);
  }

  @Test
  void rememberedJwtOlderThanTheStatusIsNotReturned() {
    // Memory holds H2 at T+1. The status was since written by another writer (a second replica that
    // held the lease meanwhile) with H3 at T+5. The spec goes back to H2: returning the remembered
    // JWT would push iat T+1 over T+5, which the resolver stores and cluster sync then undoes.
    jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer);

    SignedJwts.Signed s = jwts.ensure(KEY, "H2", "H3", "jwt-h3", T + 5, signer);

    assertTrue(
        s.iat() > T + 5, "iat " + s.iat() + " went backwards from the status iat " + (T + 5));
    assertTrue(s.fresh());
  }

  @Test
  void keysAreIndependent() {
    jwts.ensure(KEY, "H2", "H1", "jwt-h1", T, signer);

    SignedJwts.Signed other =
        jwts.ensure(
            new SignedJwts.Subject("uid-2", "account"), "H2", "H2", "jwt-other", T - 5, signer);

    assertFalse(other.fresh());
    assertEquals("jwt-other", other.jwt());
    assertEquals(T - 5, other.iat());
  }

  @Test
  void forgettingAResourceDropsEveryJwtItSignedAndNothingElse() {
    SignedJwts.Subject operator = new SignedJwts.Subject("uid-op", "operator");
    SignedJwts.Subject systemAccount = new SignedJwts.Subject("uid-op", "system-account");
    jwts.ensure(operator, "H1", null, null, 0, signer);
    jwts.ensure(systemAccount, "H1", null, null, 0, signer);
    jwts.ensure(KEY, "H1", null, null, 0, signer);
    assertEquals(java.util.Set.of("uid-op", "uid-1"), jwts.remembered());

    jwts.forget("uid-op");

    assertEquals(java.util.Set.of("uid-1"), jwts.remembered());
  }
}
