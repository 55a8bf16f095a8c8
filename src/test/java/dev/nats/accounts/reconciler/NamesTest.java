package dev.nats.accounts.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nats.accounts.api.v1alpha1.Account;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

/** The object names api.md promises; users back up and restore Secrets by these names. */
class NamesTest {

  @Test
  void operatorObjects() {
    assertEquals("main-operator-keys", Names.operatorKeys("main"));
    assertEquals("main-system-account-keys", Names.systemAccountKeys("main"));
    assertEquals("main-system-creds", Names.systemCreds("main"));
    assertEquals("main-server-config", Names.serverConfig("main"));
    assertEquals("SYS", Names.SYSTEM_ACCOUNT_NAME);
  }

  @Test
  void accountAndUserObjects() {
    assertEquals("a-account-keys", Names.accountKeys("a"));
    assertEquals("b-creds", Names.userCreds("b"));
    assertEquals("signing-default", Names.signingEntry("default"));
    assertEquals("signing-apps", Names.signingEntry("apps"));
  }

  @Test
  void refIsNamespaceSlashName() {
    assertEquals("tenant-a/a", Names.ref("tenant-a", "a"));
    Account acc = new Account();
    acc.setMetadata(new ObjectMetaBuilder().withNamespace("tenant-b").withName("b").build());
    assertEquals("tenant-b/b", Names.ref(acc));
  }

  /**
   * Two tenant-chosen long names with the same Java string hash ("Aa" and "BB" collide) still get
   * different Secret names: with a 32-bit hash they got the same one.
   */
  @Test
  void longNamesCraftedToCollideOnAStringHashStayApart() {
    String a = "x".repeat(251) + "Aa";
    String b = "x".repeat(251) + "BB";
    org.junit.jupiter.api.Assertions.assertEquals(a.hashCode(), b.hashCode());
    org.junit.jupiter.api.Assertions.assertNotEquals(Names.accountKeys(a), Names.accountKeys(b));
    org.junit.jupiter.api.Assertions.assertNotEquals(Names.userCreds(a), Names.userCreds(b));
  }

  @Test
  void namesThatFitAreKeptAndLongOnesAreBoundedAndDistinct() {
    org.junit.jupiter.api.Assertions.assertEquals("a-account-keys", Names.accountKeys("a"));
    String longest = "x".repeat(253);
    String bounded = Names.accountKeys(longest);
    org.junit.jupiter.api.Assertions.assertTrue(
        bounded.length() <= Names.MAX_NAME, "length " + bounded.length());
    org.junit.jupiter.api.Assertions.assertTrue(bounded.endsWith("-account-keys"));
    org.junit.jupiter.api.Assertions.assertNotEquals(
        bounded, Names.accountKeys("y" + longest.substring(1)));
    org.junit.jupiter.api.Assertions.assertTrue(
        Names.userCreds(longest).length() <= Names.MAX_NAME);
    org.junit.jupiter.api.Assertions.assertTrue(
        Names.operatorKeys(longest).length() <= Names.MAX_NAME);
  }
}
