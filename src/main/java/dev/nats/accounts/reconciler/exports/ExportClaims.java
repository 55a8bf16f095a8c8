package dev.nats.accounts.reconciler.exports;

import dev.nats.accounts.api.v1alpha1.ExportSpec;
import dev.nats.accounts.api.v1alpha1.ServiceExportSpec;
import dev.nats.accounts.jwt.ClaimsValidator;
import dev.nats.accounts.jwt.Export;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.ResponseType;
import dev.nats.accounts.jwt.ServiceLatency;
import dev.nats.accounts.jwt.Subjects;
import dev.nats.accounts.reconciler.InvalidSpecException;
import dev.nats.accounts.reconciler.SpecConversions;
import dev.nats.accounts.reconciler.StoredRevocations;
import dev.nats.accounts.status.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Export resources to export claims, and the choice of which exports an account JWT can carry:
 * nats-server refuses an account whose exports of one kind overlap, so a later overlapping export
 * is left out (and reports why) instead of breaking every other export of the account.
 */
public final class ExportClaims {
  private ExportClaims() {}

  /** One export that could not be included, with the reason its resource reports. */
  public record Excluded(ExportView export, Reason reason, String message) {}

  public record Selection(List<ExportView> included, List<Excluded> excluded) {}

  /** The claim with the revocations its own status holds. */
  public static Export toClaim(ExportView v) {
    return toClaim(
        v,
        revocations(
            StoredRevocations.Exports.NONE,
            List.of(v),
            x -> Map.of(),
            java.time.Instant.now().getEpochSecond()));
  }

  /**
   * The claim with every revocation kept for its type and subject: its status may have been wiped,
   * or the export deleted and applied again, while the exporter's key Secret kept them.
   */
  public static Export toClaim(ExportView v, StoredRevocations.Exports kept) {
    ExportSpec s = v.spec();
    Map<String, Long> revocations = new TreeMap<>(kept.of(v.typeName(), s.getSubject()));
    ResponseType responseType = null;
    Duration threshold = null;
    ServiceLatency latency = null;
    if (s instanceof ServiceExportSpec svc) {
      if (svc.getResponseType() != null) {
        responseType = ResponseType.valueOf(svc.getResponseType().name().toUpperCase());
      }
      if (svc.getResponseThreshold() != null) {
        threshold = SpecConversions.duration(svc.getResponseThreshold(), "spec.responseThreshold");
      }
      if (svc.getLatency() != null) {
        latency =
            new ServiceLatency(
                svc.getLatency().getSampling() == null
                    ? "100"
                    : String.valueOf(
                        svc.getLatency().getSampling().getIntVal() != null
                            ? svc.getLatency().getSampling().getIntVal()
                            : svc.getLatency().getSampling().getStrVal()),
                svc.getLatency().getSubject());
      }
    }
    return new Export(
        v.name(),
        s.getSubject(),
        v.type(),
        v.isPrivate(),
        revocations,
        responseType,
        threshold,
        latency,
        v.accountTokenPosition(),
        Boolean.TRUE.equals(s.getAdvertise()),
        s.getDescription(),
        s.getInfoURL());
  }

  /**
   * The stored revocations with those of every export's status (grants removed since) added, each
   * grantee at the later time, and the grants an export being deleted ends: nothing once revoked is
   * dropped, whatever the exports are now.
   *
   * @param issued the grantees an export issued tokens to, with each token's {@code iat} ({@link
   *     IssuedGrants}), asked only of an export being deleted
   */
  public static StoredRevocations.Exports revocations(
      StoredRevocations.Exports stored,
      List<ExportView> exports,
      Function<ExportView, Map<String, Long>> issued,
      long now) {
    StoredRevocations.Exports out = stored;
    for (ExportView v : exports) {
      if (v.spec() == null || v.spec().getSubject() == null) {
        continue;
      }
      if (v.status() != null && v.status().getRevocations() != null) {
        out = out.with(v.typeName(), v.spec().getSubject(), v.status().getRevocations());
      }
      Map<String, Long> ended =
          grantsEndedByDeletion(v, issued, out.of(v.typeName(), v.spec().getSubject()), now);
      if (!ended.isEmpty()) {
        out = out.with(v.typeName(), v.spec().getSubject(), ended);
      }
    }
    return out;
  }

  /**
   * An export being deleted ends every grant it issued a token for (its status may not list them
   * yet): a kept copy of one of its tokens must not work again if the export is applied again
   * (without that grant, or with it re-issued). Each is revoked at its token's {@code iat}, so a
   * token given again after an earlier revocation is ended too, and at that same time on every
   * reconcile while the export goes; a grantee {@code known} to be revoked that late already is
   * left alone (a token of unknown {@code iat}: once revoked at all, at the first time).
   */
  static Map<String, Long> grantsEndedByDeletion(
      ExportView v,
      Function<ExportView, Map<String, Long>> issued,
      Map<String, Long> known,
      long now) {
    if (v.resource() == null || v.resource().getMetadata().getDeletionTimestamp() == null) {
      return Map.of();
    }
    Map<String, Long> ended = new TreeMap<>();
    issued
        .apply(v)
        .forEach(
            (grantee, iat) -> {
              if (!IssuedGrants.covered(known, grantee, iat)) {
                ended.put(grantee, iat > 0 ? iat : now);
              }
            });
    return ended;
  }

  /**
   * The server's rule (jwt 2.3.0, also what our validator enforces): two exports of one kind clash
   * when one subject contains the other. Subjects that merely intersect are allowed.
   */
  static boolean conflict(String a, String b) {
    return Subjects.goContainedIn(a, b) || Subjects.goContainedIn(b, a);
  }

  /**
   * Why this export cannot be signed whatever its siblings are (a duration no JWT holds, an account
   * token position on a token that is not {@code *}), as "field: problem" naming the export's
   * field; empty when it can. Such an export is left out like an overlapping one, so that it fails
   * alone instead of keeping its whole account from being signed.
   */
  static Optional<String> invalidOnItsOwn(ExportView e) {
    Export claim;
    try {
      claim = toClaim(e);
    } catch (InvalidSpecException ex) {
      return Optional.of(ex.getMessage());
    }
    return ClaimsValidator.validate(claim).stream()
        .findFirst()
        .map(v -> "spec." + specField(v.field()) + ": " + v.message());
  }

  /** The export claim's field as the export resource spells it. */
  private static String specField(String claimField) {
    return switch (claimField) {
      case "infoUrl" -> "infoURL";
      case "latency.results" -> "latency.subject";
      default -> claimField;
    };
  }

  /** Deterministic: exports are considered in name order, so the survivor never flips. */
  public static Selection select(List<ExportView> exports) {
    List<ExportView> sorted = new ArrayList<>(exports);
    sorted.sort(Comparator.comparing(ExportView::name).thenComparing(ExportView::type));
    List<ExportView> included = new ArrayList<>();
    List<Excluded> excluded = new ArrayList<>();
    for (ExportView e : sorted) {
      if (e.spec() == null || e.spec().getSubject() == null) {
        excluded.add(new Excluded(e, Reason.INVALID_SPEC, "spec.subject is missing"));
        continue;
      }
      Optional<String> invalid = invalidOnItsOwn(e);
      if (invalid.isPresent()) {
        excluded.add(new Excluded(e, Reason.INVALID_SPEC, invalid.get()));
        continue;
      }
      ExportView clash =
          included.stream()
              .filter(
                  o ->
                      o.type() == e.type()
                          && conflict(o.spec().getSubject(), e.spec().getSubject()))
              .findFirst()
              .orElse(null);
      if (clash != null) {
        excluded.add(
            new Excluded(
                e,
                Reason.SUBJECT_OVERLAP,
                "spec.subject '"
                    + e.spec().getSubject()
                    + "' overlaps "
                    + clash.id()
                    + " ('"
                    + clash.spec().getSubject()
                    + "'); an account cannot export overlapping "
                    + (e.type() == ExportType.SERVICE ? "services" : "streams")));
        continue;
      }
      included.add(e);
    }
    return new Selection(included, excluded);
  }
}
