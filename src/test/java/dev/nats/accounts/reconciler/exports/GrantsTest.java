package dev.nats.accounts.reconciler.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.ObjectRef;
import org.junit.jupiter.api.Test;

/**
 * The grant rules both sides of an export rely on: subject narrowing, Secret names, and who is
 * named.
 */
class GrantsTest {
  private static final String B = "AAM46E3YF5WOZSE5WNYWHN3YYISVZOSI6XHTF2Q64ECPXSFQZROJMP2H";
  private static final String C = "ADETPT36WBIBUKM3IBCVM4A5YUSDXFEJPW4M6GGVBYCBW7RRNFTV5NGE";

  @Test
  void subjectReplacesEveryAccountPlaceholder() {
    assertEquals(
        "private.help." + B,
        Grants.subject(grant(null, null, "private.help.{{account}}"), "private.help.*", B));
    assertEquals(
        "x." + B + ".y." + B,
        Grants.subject(grant(null, null, "x.{{account}}.y.{{account}}"), "x.>", B));
  }

  @Test
  void subjectWithoutPlaceholderIsKept() {
    assertEquals(
        "private.help.fixed",
        Grants.subject(grant(null, null, "private.help.fixed"), "private.help.*", B));
  }

  @Test
  void absentOrEmptyGrantSubjectMeansTheExportSubject() {
    assertEquals("private.help.*", Grants.subject(grant(null, null, null), "private.help.*", B));
    assertEquals("private.help.*", Grants.subject(grant(null, null, ""), "private.help.*", B));
    assertEquals("private.help.*", Grants.subject(null, "private.help.*", B));
  }

  @Test
  void secretNameUsesTheFirstTwelveKeyCharactersInLowerCase() {
    assertEquals("private-help-activation-aam46e3yf5wo", Grants.secretName("private-help", B));
    assertEquals("help-activation-adetpt36wbib", Grants.secretName("help", C));
    assertEquals("x-activation-abc", Grants.secretName("x", "ABC"));
  }

  @Test
  void secretNameIsAValidObjectNameForTheLongestExportName() {
    String longest = "e".repeat(253);

    assertTrue(
        Grants.secretName(longest, B).length() <= 253,
        "length " + Grants.secretName(longest, B).length());
    assertTrue(
        Grants.secretName(longest, B).endsWith("-activation-" + B.substring(0, 12).toLowerCase()));
    assertTrue(
        !Grants.secretName(longest, B).equals(Grants.secretName("f" + longest.substring(1), B)),
        "different long names stay apart");
  }

  @Test
  void namesByPublicKey() {
    Grant g = grant(null, null, null);
    g.setPublicKey(B);
    assertTrue(Grants.names(g, "tenant-a", "tenant-b", "b", B));
    assertFalse(Grants.names(g, "tenant-a", "tenant-b", "b", C));
  }

  @Test
  void namesByReferenceWithNamespace() {
    Grant g = grant("tenant-b", "b", null);
    assertTrue(Grants.names(g, "tenant-a", "tenant-b", "b", B));
    assertFalse(Grants.names(g, "tenant-a", "tenant-c", "b", B), "same name, other namespace");
    assertFalse(Grants.names(g, "tenant-a", "tenant-b", "c", B), "same namespace, other name");
  }

  @Test
  void referenceWithoutNamespaceMeansTheExportNamespace() {
    Grant g = grant(null, "b", null);
    assertTrue(Grants.names(g, "tenant-a", "tenant-a", "b", B));
    assertFalse(Grants.names(g, "tenant-a", "tenant-b", "b", B));
  }

  @Test
  void grantNamingNobodyNamesNobody() {
    assertFalse(Grants.names(new Grant(), "tenant-a", "tenant-a", "b", B));
  }

  private static Grant grant(String ns, String name, String subject) {
    Grant g = new Grant();
    if (name != null) {
      ObjectRef r = new ObjectRef();
      r.setNamespace(ns);
      r.setName(name);
      g.setAccount(r);
    }
    g.setSubject(subject);
    return g;
  }
}
