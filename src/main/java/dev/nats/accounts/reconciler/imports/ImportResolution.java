package dev.nats.accounts.reconciler.imports;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Grant;
import dev.nats.accounts.api.v1alpha1.ImportSource;
import dev.nats.accounts.jwt.ActivationClaims;
import dev.nats.accounts.jwt.DecodedJwt;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.jwt.Import;
import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtException;
import dev.nats.accounts.jwt.Subjects;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import dev.nats.accounts.reconciler.exports.ExportView;
import dev.nats.accounts.reconciler.exports.Grants;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides what an import contributes to its account JWT, or why it cannot. The checks mirror what
 * nats-server would otherwise do silently (an unauthorized import is dropped with a debug log
 * line and a 200 reply), so a user sees the reason on the resource instead of "no responders".
 * The same function serves the Account reconciler (claims) and the import reconcilers (status).
 */
public final class ImportResolution {
  private ImportResolution() {}

  /** What resolution reads; implemented over informer caches. */
  public interface Lookup {
    Optional<ExportView> export(ExportType type, String namespace, String name);

    Optional<Account> account(String namespace, String name);

    /** A Secret the operator manages (activation tokens), from the informer cache. */
    Optional<Secret> managedSecret(String namespace, String name);

    /** A Secret the user provides (tokenSecretRef); not labelled, so not in any cache. */
    Optional<Secret> userSecret(String namespace, String name);

    /** The Operator an Account belongs to, or null when unresolved. */
    OperatorId operatorOf(Account account);
  }

  /** Either an import claim (with what status shows) or a failure reason. */
  public record Outcome(ImportView source, Import claim, String exporterKey, String hashId, Reason reason, String message) {
    public boolean ok() {
      return claim != null;
    }

    static Outcome failed(ImportView source, Reason reason, String message) {
      return new Outcome(source, null, null, null, reason, message);
    }
  }

  /** Resolves every import of one account, then rejects local-subject clashes (later names lose). */
  public static List<Outcome> resolveAll(List<ImportView> imports, Account importer, String importerKey, Lookup lookup) {
    List<ImportView> sorted = new ArrayList<>(imports);
    sorted.sort(Comparator.comparing(ImportView::name).thenComparing(ImportView::type));
    List<Outcome> out = new ArrayList<>();
    List<Outcome> placed = new ArrayList<>();
    for (ImportView v : sorted) {
      Outcome resolved = resolve(v, importer, importerKey, lookup);
      Outcome o = resolved;
      if (o.ok()) {
        Outcome clash = placed.stream().filter(p -> clashes(p, resolved)).findFirst().orElse(null);
        if (clash != null) {
          o = Outcome.failed(v, Reason.LOCAL_SUBJECT_CONFLICT, "local subject '" + localOf(o.claim()) + "' overlaps "
              + clash.source().id() + " ('" + localOf(clash.claim()) + "'); set spec.localSubject to a distinct subject");
        } else {
          placed.add(o);
        }
      }
      out.add(o);
    }
    return out;
  }

  static boolean clashes(Outcome a, Outcome b) {
    if (a.claim().type() != b.claim().type()) {
      return false;
    }
    String la = localOf(a.claim());
    String lb = localOf(b.claim());
    // jwt 2.3.0 (server 2.9) refuses overlapping service-import subjects; identical stream targets are refused too.
    return a.claim().type() == ExportType.SERVICE ? Subjects.overlaps(la, lb) : la.equals(lb);
  }

  static String localOf(Import i) {
    return i.localSubject() == null || i.localSubject().isEmpty() ? i.subject() : i.localSubject();
  }

  public static Outcome resolve(ImportView v, Account importer, String importerKey, Lookup lookup) {
    ImportSource from = v.spec() == null ? null : v.spec().getFrom();
    if (from == null) {
      return Outcome.failed(v, Reason.INVALID_SPEC, "spec.from is required");
    }
    return from.getExportRef() != null ? fromExport(v, importer, importerKey, lookup) : external(v, importerKey, lookup);
  }

  private static Outcome fromExport(ImportView v, Account importer, String importerKey, Lookup lookup) {
    var ref = v.spec().getFrom().getExportRef();
    String ns = ref.getNamespace() == null ? v.namespace() : ref.getNamespace();
    Optional<ExportView> found = lookup.export(v.type(), ns, ref.getName());
    if (found.isEmpty()) {
      ExportType other = v.type() == ExportType.SERVICE ? ExportType.STREAM : ExportType.SERVICE;
      Optional<ExportView> wrong = lookup.export(other, ns, ref.getName());
      if (wrong.isPresent()) {
        return Outcome.failed(v, Reason.TYPE_MISMATCH, "spec.from.exportRef: " + ns + "/" + ref.getName() + " is a "
            + wrong.get().kind() + "; a " + v.kind() + " needs a " + (v.type() == ExportType.SERVICE ? "ServiceExport" : "StreamExport"));
      }
      return Outcome.failed(v, Reason.EXPORT_NOT_FOUND, "spec.from.exportRef: "
          + (v.type() == ExportType.SERVICE ? "ServiceExport " : "StreamExport ") + ns + "/" + ref.getName() + " not found");
    }
    ExportView export = found.get();
    Account exporter = lookup.account(ns, export.accountName()).orElse(null);
    String exporterKey = exporter == null || exporter.getStatus() == null ? null : exporter.getStatus().getPublicKey();
    if (exporterKey == null) {
      return Outcome.failed(v, Reason.PENDING, "waiting for Account " + ns + "/" + export.accountName() + " of "
          + export.id() + " to have a key");
    }
    if (exporterKey.equals(importerKey)) {
      return Outcome.failed(v, Reason.SELF_IMPORT, "spec.from.exportRef: " + export.ref()
          + " belongs to this account; an account cannot import its own export");
    }
    OperatorId importerOp = lookup.operatorOf(importer);
    OperatorId exporterOp = lookup.operatorOf(exporter);
    if (importerOp == null || !importerOp.equals(exporterOp)) {
      return Outcome.failed(v, Reason.OPERATOR_MISMATCH, "spec.from.exportRef: " + export.ref() + " is under Operator "
          + exporterOp + ", this account under " + importerOp + "; imports work within one operator");
    }
    String exportSubject = export.spec().getSubject();
    int atp = export.accountTokenPosition();
    Grant grant = null;
    if (export.spec().getGrants() != null) {
      grant = export.spec().getGrants().stream()
          .filter(g -> Grants.names(g, export.namespace(), importer.getMetadata().getNamespace(), importer.getMetadata().getName(), importerKey))
          .findFirst().orElse(null);
    }
    if (export.isPrivate() && grant == null && atp == 0) {
      return Outcome.failed(v, Reason.NOT_GRANTED, export.id() + " is private and spec.grants has no grant for Account "
          + importer.getMetadata().getNamespace() + "/" + importer.getMetadata().getName());
    }
    String granted = grant != null ? Grants.subject(grant, exportSubject, importerKey) : exportSubject;
    String subject = v.spec().getSubject();
    if (subject == null || subject.isEmpty()) {
      subject = grant == null && atp > 0 ? withToken(exportSubject, atp, importerKey) : granted;
    }
    if (!Subjects.isValid(subject) || !Subjects.contains(exportSubject, subject)) {
      return Outcome.failed(v, Reason.SUBJECT_NOT_IN_EXPORT, "spec.subject '" + subject + "' is not within the subject '"
          + exportSubject + "' of " + export.id());
    }
    if (grant != null && !Subjects.contains(granted, subject)) {
      return Outcome.failed(v, Reason.SUBJECT_NOT_IN_EXPORT, "spec.subject '" + subject + "' is not within the granted subject '" + granted + "'");
    }
    if (grant == null && atp > 0 && !importerKey.equals(tokenAt(subject, atp))) {
      return Outcome.failed(v, Reason.NOT_GRANTED, "token " + atp + " of '" + subject + "' must be this account's key ("
          + export.id() + " uses accountTokenPosition)");
    }
    String token = null;
    String hashId = null;
    if (export.isPrivate() && grant != null) {
      String secretName = Grants.secretName(export.name(), importerKey);
      token = lookup.managedSecret(export.namespace(), secretName)
          .flatMap(s -> dev.nats.accounts.keys.KeySecrets.read(s, Grants.TOKEN_KEY)).orElse(null);
      if (token == null) {
        return Outcome.failed(v, Reason.PENDING, "waiting for the activation token Secret " + export.namespace() + "/" + secretName);
      }
      try {
        DecodedJwt act = JwtDecoder.decode(token);
        hashId = act.id();
        if (!Subjects.contains(act.activation().importSubject(), subject)) {
          return Outcome.failed(v, Reason.PENDING, "the activation token does not cover '" + subject + "' yet; waiting for its renewal");
        }
      } catch (JwtException e) {
        return Outcome.failed(v, Reason.PENDING, "the activation token is not valid (" + e.getMessage() + "); waiting for its renewal");
      }
    }
    Import claim = new Import(v.name(), subject, exporterKey, token, blankToNull(v.spec().getLocalSubject()), v.type(),
        v.share());
    return new Outcome(v, claim, exporterKey, hashId, null, null);
  }

  private static Outcome external(ImportView v, String importerKey, Lookup lookup) {
    ImportSource from = v.spec().getFrom();
    String exporterKey = from.getAccount() == null ? null : from.getAccount().getPublicKey();
    if (exporterKey == null || from.getSubject() == null) {
      return Outcome.failed(v, Reason.INVALID_SPEC, "spec.from needs exportRef, or account.publicKey with subject");
    }
    if (exporterKey.equals(importerKey)) {
      return Outcome.failed(v, Reason.SELF_IMPORT, "spec.from.account.publicKey is this account's own key");
    }
    String subject = from.getSubject();
    String token = null;
    String hashId = null;
    if (from.getTokenSecretRef() != null) {
      String key = from.getTokenSecretRef().getKey() == null ? Grants.TOKEN_KEY : from.getTokenSecretRef().getKey();
      token = lookup.userSecret(v.namespace(), from.getTokenSecretRef().getName())
          .flatMap(s -> dev.nats.accounts.keys.KeySecrets.read(s, key)).orElse(null);
      if (token == null) {
        return Outcome.failed(v, Reason.SECRET_NOT_FOUND, "spec.from.tokenSecretRef: Secret " + v.namespace() + "/"
            + from.getTokenSecretRef().getName() + " (key '" + key + "') not found");
      }
      try {
        DecodedJwt act = JwtDecoder.decode(token);
        ActivationClaims c = act.activation();
        hashId = act.id();
        String problem = null;
        if (!importerKey.equals(act.subject())) {
          problem = "it was issued to " + act.subject() + ", not to this account";
        } else if (!exporterKey.equals(act.issuer()) && !exporterKey.equals(c.issuerAccount())) {
          problem = "it was issued by " + (c.issuerAccount() == null ? act.issuer() : c.issuerAccount()) + ", not by " + exporterKey;
        } else if (c.kind() != v.type()) {
          problem = "it is for a " + c.kind().name().toLowerCase() + " import";
        } else if (!Subjects.contains(c.importSubject(), subject)) {
          problem = "it covers '" + c.importSubject() + "', not '" + subject + "'";
        }
        if (problem != null) {
          return Outcome.failed(v, Reason.INVALID_TOKEN, "spec.from.tokenSecretRef: the activation token does not fit: " + problem);
        }
      } catch (JwtException e) {
        return Outcome.failed(v, Reason.INVALID_TOKEN, "spec.from.tokenSecretRef: " + e.getMessage());
      }
    }
    Import claim = new Import(v.name(), subject, exporterKey, token, blankToNull(v.spec().getLocalSubject()), v.type(), v.share());
    return new Outcome(v, claim, exporterKey, hashId, null, null);
  }

  static String withToken(String subject, int position, String key) {
    String[] t = subject.split("\\.", -1);
    if (position >= 1 && position <= t.length) {
      t[position - 1] = key;
    }
    return String.join(".", t);
  }

  static String tokenAt(String subject, int position) {
    String[] t = subject.split("\\.", -1);
    return position >= 1 && position <= t.length ? t[position - 1] : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
