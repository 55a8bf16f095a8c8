package dev.nats.accounts.reconciler.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.LocalObjectRef;
import dev.nats.accounts.api.v1alpha1.ServiceExportSpec;
import dev.nats.accounts.api.v1alpha1.ServiceExportStatus;
import dev.nats.accounts.api.v1alpha1.StreamExportSpec;
import dev.nats.accounts.api.v1alpha1.StreamExportStatus;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.ResponseType;
import dev.nats.accounts.jwt.ServiceLatency;
import dev.nats.accounts.reconciler.InvalidSpecException;
import dev.nats.accounts.reconciler.StoredRevocations;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Export resources to claims, and which overlapping exports an account JWT may carry. */
class ExportClaimsTest {
  private static final String GRANTEE = "ADETPT36WBIBUKM3IBCVM4A5YUSDXFEJPW4M6GGVBYCBW7RRNFTV5NGE";

  @Test
  void serviceExportMapsEveryField() {
    ServiceExportSpec s = privateHelp();
    s.setResponseType(dev.nats.accounts.api.v1alpha1.ResponseType.Stream);
    s.setResponseThreshold("2s");
    dev.nats.accounts.api.v1alpha1.ServiceLatency lat =
        new dev.nats.accounts.api.v1alpha1.ServiceLatency();
    lat.setSampling(new IntOrString(50));
    lat.setSubject("latency.help");
    s.setLatency(lat);
    s.setAccountTokenPosition(3);
    s.setAdvertise(true);
    s.setDescription("private help");
    s.setInfoURL("https://example.com/help");
    ServiceExportStatus st = new ServiceExportStatus();
    st.setRevocations(Map.of(GRANTEE, 1_700_000_000L));

    Export e =
        ExportClaims.toClaim(
            new ExportView(ExportType.SERVICE, "tenant-a", "private-help", "u1", s, st, null));

    assertEquals(
        new Export(
            "private-help",
            "private.help.*",
            ExportType.SERVICE,
            true,
            Map.of(GRANTEE, 1_700_000_000L),
            ResponseType.STREAM,
            Duration.ofSeconds(2),
            new ServiceLatency("50", "latency.help"),
            3,
            true,
            "private help",
            "https://example.com/help"),
        e);
  }

  @Test
  void publicServiceExportWithNothingOptional() {
    Export e = ExportClaims.toClaim(view(ExportType.SERVICE, "help", "help"));

    assertEquals(
        new Export(
            "help",
            "help",
            ExportType.SERVICE,
            false,
            Map.of(),
            null,
            null,
            null,
            0,
            false,
            null,
            null),
        e);
  }

  @Test
  void eachResponseTypeMapsToItsClaimValue() {
    for (var t : dev.nats.accounts.api.v1alpha1.ResponseType.values()) {
      ServiceExportSpec s = (ServiceExportSpec) view(ExportType.SERVICE, "x", "x").spec();
      s.setResponseType(t);
      Export e =
          ExportClaims.toClaim(new ExportView(ExportType.SERVICE, "ns", "x", "u", s, null, null));
      assertEquals(t.name(), e.responseType().json());
    }
  }

  @Test
  void latencySamplingHeadersAndDefault() {
    ServiceExportSpec s = (ServiceExportSpec) view(ExportType.SERVICE, "x", "x").spec();
    dev.nats.accounts.api.v1alpha1.ServiceLatency lat =
        new dev.nats.accounts.api.v1alpha1.ServiceLatency();
    lat.setSampling(new IntOrString("headers"));
    lat.setSubject("lat");
    s.setLatency(lat);
    assertEquals(
        new ServiceLatency("headers", "lat"),
        ExportClaims.toClaim(new ExportView(ExportType.SERVICE, "ns", "x", "u", s, null, null))
            .latency());

    lat.setSampling(null);
    assertEquals(
        new ServiceLatency("100", "lat"),
        ExportClaims.toClaim(new ExportView(ExportType.SERVICE, "ns", "x", "u", s, null, null))
            .latency());
  }

  @Test
  void privateStreamExportHasNoServiceFieldsButKeepsRevocations() {
    StreamExportSpec s = new StreamExportSpec();
    s.setAccountRef(ref("a"));
    s.setSubject("feed.>");
    s.setPrivate(true);
    s.setAdvertise(false);
    StreamExportStatus st = new StreamExportStatus();
    st.setRevocations(Map.of(GRANTEE, 5L, "*", 7L));

    Export e =
        ExportClaims.toClaim(new ExportView(ExportType.STREAM, "ns", "feed", "u", s, st, null));

    assertEquals(
        new Export(
            "feed",
            "feed.>",
            ExportType.STREAM,
            true,
            Map.of(GRANTEE, 5L, "*", 7L),
            null,
            null,
            null,
            0,
            false,
            null,
            null),
        e);
  }

  @Test
  void malformedResponseThresholdNamesTheField() {
    ServiceExportSpec s = (ServiceExportSpec) view(ExportType.SERVICE, "x", "x").spec();
    s.setResponseThreshold("2 seconds");

    InvalidSpecException ex =
        assertThrows(
            InvalidSpecException.class,
            () ->
                ExportClaims.toClaim(
                    new ExportView(ExportType.SERVICE, "ns", "x", "u", s, null, null)));
    assertTrue(ex.getMessage().startsWith("spec.responseThreshold: "), ex.getMessage());
  }

  @Test
  void anExportNoJwtCanHoldIsLeftOutAloneNamingItsField() {
    ExportView good = view(ExportType.SERVICE, "a-good", "good.>");
    ExportView slow = view(ExportType.SERVICE, "b-slow", "slow.>");
    ((ServiceExportSpec) slow.spec()).setResponseThreshold("3000000h");
    ExportView token = view(ExportType.STREAM, "c-token", "at.*");
    token.spec().setAccountTokenPosition(1);

    ExportClaims.Selection sel = ExportClaims.select(List.of(token, slow, good));

    assertEquals(List.of(good), sel.included());
    assertEquals(2, sel.excluded().size());
    ExportClaims.Excluded tooLong = sel.excluded().get(0);
    assertEquals(slow, tooLong.export());
    assertEquals(Reason.INVALID_SPEC, tooLong.reason());
    assertTrue(tooLong.message().startsWith("spec.responseThreshold: "), tooLong.message());
    ExportClaims.Excluded notStar = sel.excluded().get(1);
    assertEquals(token, notStar.export());
    assertEquals(Reason.INVALID_SPEC, notStar.reason());
    assertTrue(
        notStar.message().startsWith("spec.accountTokenPosition: token 1 of \"at.*\""),
        notStar.message());
  }

  @Test
  void overlappingExportsOfOneKindKeepTheEarlierName() {
    ExportView a = view(ExportType.SERVICE, "a-help", "help.>");
    ExportView b = view(ExportType.SERVICE, "b-help", "help.x");

    ExportClaims.Selection sel = ExportClaims.select(List.of(b, a));

    assertEquals(List.of(a), sel.included());
    assertEquals(1, sel.excluded().size());
    ExportClaims.Excluded ex = sel.excluded().get(0);
    assertEquals(b, ex.export());
    assertEquals(Reason.SUBJECT_OVERLAP, ex.reason());
    assertEquals(
        "spec.subject 'help.x' overlaps ServiceExport ns/a-help ('help.>'); an account cannot export overlapping services",
        ex.message());
  }

  @Test
  void streamsThatOnlyIntersectAreBothKeptAndContainedOnesClash() {
    // The server's rule (jwt 2.3.0, nats-jwt.md section 9): only containment clashes. feed.*.x and
    // feed.a.* intersect (feed.a.x) but neither contains the other.
    ExportClaims.Selection both =
        ExportClaims.select(
            List.of(
                view(ExportType.STREAM, "y", "feed.*.x"),
                view(ExportType.STREAM, "x", "feed.a.*")));
    assertEquals(List.of("x", "y"), both.included().stream().map(ExportView::name).toList());
    assertTrue(both.excluded().isEmpty());

    ExportClaims.Selection contained =
        ExportClaims.select(
            List.of(
                view(ExportType.STREAM, "y", "feed.a.x"),
                view(ExportType.STREAM, "x", "feed.a.*")));
    assertEquals(List.of("x"), contained.included().stream().map(ExportView::name).toList());
    assertTrue(
        contained.excluded().get(0).message().endsWith("overlapping streams"),
        contained.excluded().get(0).message());
  }

  @Test
  void differentKindsNeverClash() {
    ExportView svc = view(ExportType.SERVICE, "help", "help");
    ExportView stream = view(ExportType.STREAM, "help", "help");
    ExportView streamWide = view(ExportType.STREAM, "all", ">");

    ExportClaims.Selection sel = ExportClaims.select(List.of(stream, svc, streamWide));

    assertEquals(List.of(streamWide, svc), sel.included().subList(0, 2));
    assertEquals(2, sel.included().size());
    // the stream "help" overlaps the stream ">" but not the service
    assertEquals(
        List.of(stream), sel.excluded().stream().map(ExportClaims.Excluded::export).toList());
  }

  @Test
  void disjointSubjectsAreAllIncluded() {
    List<ExportView> in =
        List.of(
            view(ExportType.SERVICE, "a", "help.a"),
            view(ExportType.SERVICE, "b", "help.b"),
            view(ExportType.SERVICE, "c", "help.a.more"));

    ExportClaims.Selection sel = ExportClaims.select(in);

    assertEquals(in, sel.included());
    assertEquals(List.of(), sel.excluded());
  }

  @Test
  void missingSubjectIsExcludedAndDoesNotBlockOthers() {
    ExportView broken = view(ExportType.SERVICE, "a", null);
    ExportView ok = view(ExportType.SERVICE, "b", "help");

    ExportClaims.Selection sel = ExportClaims.select(List.of(ok, broken));

    assertEquals(List.of(ok), sel.included());
    assertEquals(Reason.INVALID_SPEC, sel.excluded().get(0).reason());
    assertEquals("spec.subject is missing", sel.excluded().get(0).message());
  }

  @Test
  void selectionDoesNotDependOnInputOrder() {
    List<ExportView> all =
        new ArrayList<>(
            List.of(
                view(ExportType.SERVICE, "e1", "orders.*"),
                view(ExportType.SERVICE, "e2", "orders.eu"),
                view(ExportType.SERVICE, "e3", "billing.>"),
                view(ExportType.SERVICE, "e4", "billing.x.y"),
                view(ExportType.STREAM, "e2", "orders.eu"),
                view(ExportType.STREAM, "e5", "orders.>"),
                view(ExportType.SERVICE, "e6", "misc")));
    ExportClaims.Selection first = ExportClaims.select(all);
    assertEquals(
        List.of("SERVICE e1", "STREAM e2", "SERVICE e3", "SERVICE e6"),
        first.included().stream().map(v -> v.type() + " " + v.name()).toList());
    assertEquals(
        List.of("SERVICE e2", "SERVICE e4", "STREAM e5"),
        first.excluded().stream().map(x -> x.export().type() + " " + x.export().name()).toList());

    Random rnd = new Random(42);
    for (int i = 0; i < 50; i++) {
      Collections.shuffle(all, rnd);
      ExportClaims.Selection again = ExportClaims.select(all);
      assertEquals(first.included(), again.included());
      assertEquals(first.excluded(), again.excluded());
    }
  }

  private static ExportView view(ExportType type, String name, String subject) {
    ExportSpec s = type == ExportType.SERVICE ? new ServiceExportSpec() : new StreamExportSpec();
    s.setAccountRef(ref("a"));
    s.setSubject(subject);
    return new ExportView(type, "ns", name, "uid-" + name, s, null, null);
  }

  private static LocalObjectRef ref(String name) {
    LocalObjectRef r = new LocalObjectRef();
    r.setName(name);
    return r;
  }

  @Test
  void theClaimCarriesTheKeptRevocationsOfItsTypeAndSubjectWithItsStatus() {
    ServiceExportSpec s = privateHelp();
    ServiceExportStatus st = new ServiceExportStatus();
    st.setRevocations(Map.of(GRANTEE, 20L, "AOTHER", 3L));
    ExportView withStatus = new ExportView(ExportType.SERVICE, "ns", "x", "u", s, st, null);
    ExportView wiped = new ExportView(ExportType.SERVICE, "ns", "x", "u2", s, null, null);
    StoredRevocations.Exports stored =
        StoredRevocations.Exports.NONE
            .with("service", "private.help.*", Map.of(GRANTEE, 10L))
            .with("stream", "private.help.*", Map.of("ASTREAM", 99L));

    StoredRevocations.Exports merged =
        ExportClaims.revocations(stored, List.of(withStatus), NONE_ISSUED, 0);

    assertEquals(
        Map.of(GRANTEE, 20L, "AOTHER", 3L),
        ExportClaims.toClaim(withStatus, merged).revocations(),
        "the status adds, the later time wins, the stream's are not this service's");
    assertEquals(
        Map.of(GRANTEE, 20L, "AOTHER", 3L),
        ExportClaims.toClaim(wiped, merged).revocations(),
        "a wiped status (or the export applied again) keeps every revocation");
    assertEquals(
        stored,
        ExportClaims.revocations(stored, List.of(wiped), NONE_ISSUED, 0),
        "nothing is dropped");
  }

  @Test
  void anExportBeingDeletedRevokesEveryGranteeOnceAndKeepsTheFirstTime() {
    ServiceExportSpec s = privateHelp();
    ServiceExportStatus st = new ServiceExportStatus();
    dev.nats.accounts.api.v1alpha1.ActivationStatus granted =
        new dev.nats.accounts.api.v1alpha1.ActivationStatus();
    granted.setPublicKey(GRANTEE);
    st.setActivations(List.of(granted));
    dev.nats.accounts.api.v1alpha1.ServiceExport live =
        new dev.nats.accounts.api.v1alpha1.ServiceExport();
    live.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    ExportView kept = new ExportView(ExportType.SERVICE, "ns", "x", "u", s, st, live);
    ExportView deleted = new ExportView(ExportType.SERVICE, "ns", "x", "u", s, st, beingDeleted());

    assertEquals(
        StoredRevocations.Exports.NONE,
        ExportClaims.revocations(StoredRevocations.Exports.NONE, List.of(kept), BY_STATUS, 100),
        "a live grant is not revoked");
    StoredRevocations.Exports first =
        ExportClaims.revocations(StoredRevocations.Exports.NONE, List.of(deleted), BY_STATUS, 100);
    assertEquals(Map.of(GRANTEE, 100L), first.of("service", "private.help.*"));
    assertEquals(
        first,
        ExportClaims.revocations(first, List.of(deleted), BY_STATUS, 200),
        "reconciled again while it goes: the first time stays, nothing to write");
  }

  /** An export's first status may still be held when it is deleted: its token Secret counts. */
  @Test
  void anExportDeletedBeforeItsStatusListsItsGrantsRevokesThoseItsSecretsShow() {
    ExportView deleted = deletedWithoutStatus();

    StoredRevocations.Exports out =
        ExportClaims.revocations(
            StoredRevocations.Exports.NONE, List.of(deleted), v -> Map.of(GRANTEE, 0L), 100);

    assertEquals(Map.of(GRANTEE, 100L), out.of("service", "private.help.*"));
  }

  /**
   * A grantee revoked at 100 and granted again holds a token issued at 150: deleting the export
   * revokes it at 150 (not left at 100), and again at 150 on every reconcile while it goes.
   */
  @Test
  void anExportBeingDeletedRevokesATokenIssuedAfterAnEarlierRevocationAtItsIat() {
    ExportView deleted = deletedWithoutStatus();
    StoredRevocations.Exports revokedBefore =
        StoredRevocations.Exports.NONE.with("service", "private.help.*", Map.of(GRANTEE, 100L));

    StoredRevocations.Exports out =
        ExportClaims.revocations(revokedBefore, List.of(deleted), v -> Map.of(GRANTEE, 150L), 900);

    assertEquals(Map.of(GRANTEE, 150L), out.of("service", "private.help.*"));
    assertEquals(
        out,
        ExportClaims.revocations(out, List.of(deleted), v -> Map.of(GRANTEE, 150L), 1000),
        "the same time on the next reconcile: nothing to write");
    StoredRevocations.Exports later =
        StoredRevocations.Exports.NONE.with("service", "private.help.*", Map.of(GRANTEE, 200L));
    assertEquals(
        later,
        ExportClaims.revocations(later, List.of(deleted), v -> Map.of(GRANTEE, 150L), 1000),
        "a later revocation already ends it");
  }

  /** A private ServiceExport spec of private.help.* from Account a. */
  private static ServiceExportSpec privateHelp() {
    ServiceExportSpec s = new ServiceExportSpec();
    s.setAccountRef(ref("a"));
    s.setSubject("private.help.*");
    s.setPrivate(true);
    return s;
  }

  /** Export x of {@link #privateHelp()} being deleted, its status never written (held). */
  private static ExportView deletedWithoutStatus() {
    return new ExportView(ExportType.SERVICE, "ns", "x", "u", privateHelp(), null, beingDeleted());
  }

  /** A ServiceExport with a deletion timestamp: being deleted. */
  private static dev.nats.accounts.api.v1alpha1.ServiceExport beingDeleted() {
    dev.nats.accounts.api.v1alpha1.ServiceExport going =
        new dev.nats.accounts.api.v1alpha1.ServiceExport();
    going.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withDeletionTimestamp("2026-11-30T12:00:00Z")
            .build());
    return going;
  }

  private static final java.util.function.Function<ExportView, Map<String, Long>> NONE_ISSUED =
      v -> Map.of();

  /** The status's grantees, their tokens' iat unknown. */
  private static final java.util.function.Function<ExportView, Map<String, Long>> BY_STATUS =
      v -> {
        Map<String, Long> out = new java.util.TreeMap<>();
        IssuedGrants.of(v, List.of()).keySet().forEach(g -> out.put(g, 0L));
        return out;
      };
}
