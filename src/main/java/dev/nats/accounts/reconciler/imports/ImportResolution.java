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
import dev.nats.accounts.tokenurl.TokenFetcher;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides what an import contributes to its account JWT, or why it cannot. The checks mirror what
 * nats-server would otherwise do silently (an unauthorized import is dropped with a debug log line
 * and a 200 reply), so a user sees the reason on the resource instead of "no responders". The same
 * function serves the Account reconciler (claims) and the import reconcilers (status).
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

    /** The activation token a URL serves (spec.from.tokenURL), cached. */
    TokenFetcher.Fetched tokenAt(String url);
  }

  /** Either an import claim (with what status shows) or a failure reason. */
  public record Outcome(
      ImportView source,
      Import claim,
      String exporterKey,
      String hashId,
      Reason reason,
      String message) {
    public boolean ok() {
      return claim != null;
    }

    static Outcome failed(ImportView source, Reason reason, String message) {
      return new Outcome(source, null, null, null, reason, message);
    }
  }

  /**
   * Resolves every import of one account, then rejects local-subject clashes (later names lose).
   */
  public static List<Outcome> resolveAll(
      List<ImportView> imports, Account importer, String importerKey, Lookup lookup) {
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
          o =
              Outcome.failed(
                  v,
                  Reason.LOCAL_SUBJECT_CONFLICT,
                  "local subject '"
                      + localOf(o.claim())
                      + "' overlaps "
                      + clash.source().id()
                      + " ('"
                      + localOf(clash.claim())
                      + "'); set spec.localSubject to a distinct subject");
        } else {
          placed.add(o);
        }
      }
      out.add(o);
    }
    return out;
  }

  /**
   * Whether some imports failed and every failure is one that resolves by itself shortly when
   * tenants are applied together: a wait (the exporter's key, a token Secret not made yet) or a
   * reference not in the cache yet. A refusal (not granted, a bad subject, a clash) is not.
   */
  public static boolean onTheirWay(List<Outcome> outcomes) {
    boolean failed = false;
    for (Outcome o : outcomes) {
      if (!o.ok()) {
        if (o.reason() != Reason.PENDING && !o.reason().missingReference()) {
          return false;
        }
        failed = true;
      }
    }
    return failed;
  }

  static boolean clashes(Outcome a, Outcome b) {
    if (a.claim().type() != b.claim().type()) {
      return false;
    }
    String la = localOf(a.claim());
    String lb = localOf(b.claim());
    // jwt 2.3.0 (server 2.9) refuses overlapping service-import subjects; identical stream targets
    // are refused too.
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
    return from.getExportRef() != null
        ? fromExport(v, importer, importerKey, lookup)
        : external(v, importerKey, lookup);
  }

  /** An import of a known export, and the importing account with its key. */
  private record Match(ImportView v, ExportView export, Account importer, String importerKey) {
    Grant grant() {
      if (export.spec().getGrants() == null) {
        return null;
      }
      return export.spec().getGrants().stream()
          .filter(
              g ->
                  Grants.names(
                      g,
                      export.namespace(),
                      importer.getMetadata().getNamespace(),
                      importer.getMetadata().getName(),
                      importerKey))
          .findFirst()
          .orElse(null);
    }

    /**
     * The subject imported: the spec's, else the grant's, else the export's (with this key at its
     * token position).
     */
    String subject(Grant grant) {
      String wanted = v.spec().getSubject();
      if (wanted != null && !wanted.isEmpty()) {
        return wanted;
      }
      String exportSubject = export.spec().getSubject();
      int atp = export.accountTokenPosition();
      return grant == null && atp > 0 ? withToken(exportSubject, atp, importerKey) : granted(grant);
    }

    String granted(Grant grant) {
      return grant != null
          ? Grants.subject(grant, export.spec().getSubject(), importerKey)
          : export.spec().getSubject();
    }

    String importerRef() {
      return importer.getMetadata().getNamespace() + "/" + importer.getMetadata().getName();
    }
  }

  private static Outcome fromExport(
      ImportView v, Account importer, String importerKey, Lookup lookup) {
    var ref = v.spec().getFrom().getExportRef();
    String ns = ref.getNamespace() == null ? v.namespace() : ref.getNamespace();
    Optional<ExportView> found = lookup.export(v.type(), ns, ref.getName());
    if (found.isEmpty()) {
      return exportNotFound(v, ns, ref.getName(), lookup);
    }
    Match m = new Match(v, found.get(), importer, importerKey);
    Account exporter = lookup.account(ns, m.export().accountName()).orElse(null);
    String exporterKey =
        exporter == null || exporter.getStatus() == null
            ? null
            : exporter.getStatus().getPublicKey();
    Optional<Outcome> refused = exporterRefusal(m, exporter, exporterKey, lookup);
    if (refused.isPresent()) {
      return refused.get();
    }
    Grant grant = m.grant();
    if (m.export().isPrivate() && grant == null && m.export().accountTokenPosition() == 0) {
      return Outcome.failed(
          v,
          Reason.NOT_GRANTED,
          m.export().id()
              + " is private and spec.grants has no grant for Account "
              + m.importerRef());
    }
    String subject = m.subject(grant);
    Optional<Outcome> outside = subjectRefusal(m, grant, subject);
    if (outside.isPresent()) {
      return outside.get();
    }
    return claim(m, grant, subject, exporterKey, lookup);
  }

  /** A ServiceImport names a StreamExport (or the other way round), or nothing at all. */
  private static Outcome exportNotFound(ImportView v, String ns, String name, Lookup lookup) {
    ExportType other = v.type() == ExportType.SERVICE ? ExportType.STREAM : ExportType.SERVICE;
    Optional<ExportView> wrong = lookup.export(other, ns, name);
    String wanted = v.type() == ExportType.SERVICE ? "ServiceExport" : "StreamExport";
    if (wrong.isPresent()) {
      return Outcome.failed(
          v,
          Reason.TYPE_MISMATCH,
          "spec.from.exportRef: "
              + ns
              + "/"
              + name
              + " is a "
              + wrong.get().kind()
              + "; a "
              + v.kind()
              + " needs a "
              + wanted);
    }
    return Outcome.failed(
        v,
        Reason.EXPORT_NOT_FOUND,
        "spec.from.exportRef: " + wanted + " " + ns + "/" + name + " not found");
  }

  /** The exporting account has no key yet, is this account, or belongs to another Operator. */
  private static Optional<Outcome> exporterRefusal(
      Match m, Account exporter, String exporterKey, Lookup lookup) {
    ExportView export = m.export();
    if (exporterKey == null) {
      return Optional.of(
          Outcome.failed(
              m.v(),
              Reason.PENDING,
              "waiting for Account "
                  + export.namespace()
                  + "/"
                  + export.accountName()
                  + " of "
                  + export.id()
                  + " to have a key"));
    }
    if (exporterKey.equals(m.importerKey())) {
      return Optional.of(
          Outcome.failed(
              m.v(),
              Reason.SELF_IMPORT,
              "spec.from.exportRef: "
                  + export.ref()
                  + " belongs to this account; an account cannot import its own export"));
    }
    OperatorId importerOp = lookup.operatorOf(m.importer());
    OperatorId exporterOp = lookup.operatorOf(exporter);
    if (importerOp == null || !importerOp.equals(exporterOp)) {
      return Optional.of(
          Outcome.failed(
              m.v(),
              Reason.OPERATOR_MISMATCH,
              "spec.from.exportRef: "
                  + export.ref()
                  + " is under Operator "
                  + exporterOp
                  + ", this account under "
                  + importerOp
                  + "; imports work within one operator"));
    }
    return Optional.empty();
  }

  /**
   * The subject must lie within the export's, within the grant's, and carry this key at the token
   * position.
   */
  private static Optional<Outcome> subjectRefusal(Match m, Grant grant, String subject) {
    String exportSubject = m.export().spec().getSubject();
    int atp = m.export().accountTokenPosition();
    if (!Subjects.isValid(subject) || !Subjects.contains(exportSubject, subject)) {
      return Optional.of(
          Outcome.failed(
              m.v(),
              Reason.SUBJECT_NOT_IN_EXPORT,
              "spec.subject '"
                  + subject
                  + "' is not within the subject '"
                  + exportSubject
                  + "' of "
                  + m.export().id()));
    }
    if (grant != null && !Subjects.contains(m.granted(grant), subject)) {
      return Optional.of(
          Outcome.failed(
              m.v(),
              Reason.SUBJECT_NOT_IN_EXPORT,
              "spec.subject '"
                  + subject
                  + "' is not within the granted subject '"
                  + m.granted(grant)
                  + "'"));
    }
    if (grant == null && atp > 0 && !m.importerKey().equals(tokenAt(subject, atp))) {
      return Optional.of(
          Outcome.failed(
              m.v(),
              Reason.NOT_GRANTED,
              "token "
                  + atp
                  + " of '"
                  + subject
                  + "' must be this account's key ("
                  + m.export().id()
                  + " uses accountTokenPosition)"));
    }
    return Optional.empty();
  }

  /**
   * The import claim; a private export's needs the activation token its grant produced, covering
   * the subject.
   */
  private static Outcome claim(
      Match m, Grant grant, String subject, String exporterKey, Lookup lookup) {
    ImportView v = m.v();
    String token = null;
    String hashId = null;
    if (m.export().isPrivate() && grant != null) {
      String secretName = Grants.secretName(m.export().name(), m.importerKey());
      token =
          lookup
              .managedSecret(m.export().namespace(), secretName)
              .flatMap(s -> dev.nats.accounts.keys.KeySecrets.read(s, Grants.TOKEN_KEY))
              .orElse(null);
      if (token == null) {
        return Outcome.failed(
            v,
            Reason.PENDING,
            "waiting for the activation token Secret " + m.export().namespace() + "/" + secretName);
      }
      try {
        DecodedJwt act = JwtDecoder.decode(token);
        hashId = act.id();
        if (!Subjects.contains(act.activation().importSubject(), subject)) {
          return Outcome.failed(
              v,
              Reason.PENDING,
              "the activation token does not cover '" + subject + "' yet; waiting for its renewal");
        }
      } catch (JwtException e) {
        return Outcome.failed(
            v,
            Reason.PENDING,
            "the activation token is not valid (" + e.getMessage() + "); waiting for its renewal");
      }
    }
    Import claim =
        new Import(
            v.name(),
            subject,
            exporterKey,
            token,
            blankToNull(v.spec().getLocalSubject()),
            v.type(),
            v.share());
    return new Outcome(v, claim, exporterKey, hashId, null, null);
  }

  /**
   * An import from an account outside the cluster, by key and subject, with an optional token the
   * user provides.
   */
  private static Outcome external(ImportView v, String importerKey, Lookup lookup) {
    ImportSource from = v.spec().getFrom();
    String exporterKey = from.getAccount() == null ? null : from.getAccount().getPublicKey();
    if (exporterKey == null || from.getSubject() == null) {
      return Outcome.failed(
          v, Reason.INVALID_SPEC, "spec.from needs exportRef, or account.publicKey with subject");
    }
    if (exporterKey.equals(importerKey)) {
      return Outcome.failed(
          v, Reason.SELF_IMPORT, "spec.from.account.publicKey is this account's own key");
    }
    String token = null;
    String hashId = null;
    if (from.getTokenURL() != null) {
      TokenFetcher.Fetched fetched = lookup.tokenAt(from.getTokenURL());
      if (fetched.token() == null) {
        return Outcome.failed(
            v,
            Reason.TOKEN_FETCH_FAILED,
            "spec.from.tokenURL: "
                + (fetched.problem() == null
                    ? "the token fetched from " + from.getTokenURL() + " has expired"
                    : fetched.problem()));
      }
      token = fetched.token();
      Either checked =
          checkToken(token, v, importerKey, exporterKey, from.getSubject(), "spec.from.tokenURL");
      if (checked.failure() != null) {
        return checked.failure();
      }
      hashId = checked.hashId();
    } else if (from.getTokenSecretRef() != null) {
      String key =
          from.getTokenSecretRef().getKey() == null
              ? Grants.TOKEN_KEY
              : from.getTokenSecretRef().getKey();
      token =
          lookup
              .userSecret(v.namespace(), from.getTokenSecretRef().getName())
              .flatMap(s -> dev.nats.accounts.keys.KeySecrets.read(s, key))
              .orElse(null);
      if (token == null) {
        return Outcome.failed(
            v,
            Reason.SECRET_NOT_FOUND,
            "spec.from.tokenSecretRef: Secret "
                + v.namespace()
                + "/"
                + from.getTokenSecretRef().getName()
                + " (key '"
                + key
                + "') not found");
      }
      Either checked =
          checkToken(
              token, v, importerKey, exporterKey, from.getSubject(), "spec.from.tokenSecretRef");
      if (checked.failure() != null) {
        return checked.failure();
      }
      hashId = checked.hashId();
    }
    Import claim =
        new Import(
            v.name(),
            from.getSubject(),
            exporterKey,
            token,
            blankToNull(v.spec().getLocalSubject()),
            v.type(),
            v.share());
    return new Outcome(v, claim, exporterKey, hashId, null, null);
  }

  /** A user-provided token's hash ID when it fits the import, else why not. */
  private record Either(String hashId, Outcome failure) {}

  private static Either checkToken(
      String token,
      ImportView v,
      String importerKey,
      String exporterKey,
      String subject,
      String field) {
    try {
      DecodedJwt act = JwtDecoder.decode(token);
      Optional<String> problem = tokenProblem(act, v, importerKey, exporterKey, subject);
      return problem.isEmpty()
          ? new Either(act.id(), null)
          : new Either(
              null,
              Outcome.failed(
                  v,
                  Reason.INVALID_TOKEN,
                  field + ": the activation token does not fit: " + problem.get()));
    } catch (JwtException e) {
      return new Either(
          null, Outcome.failed(v, Reason.INVALID_TOKEN, field + ": " + e.getMessage()));
    }
  }

  /**
   * Why a user-provided activation token does not fit this import (nats-server would drop the
   * import silently).
   */
  private static Optional<String> tokenProblem(
      DecodedJwt act, ImportView v, String importerKey, String exporterKey, String subject) {
    ActivationClaims c = act.activation();
    if (!importerKey.equals(act.subject())) {
      return Optional.of("it was issued to " + act.subject() + ", not to this account");
    }
    if (!exporterKey.equals(act.issuer()) && !exporterKey.equals(c.issuerAccount())) {
      return Optional.of(
          "it was issued by "
              + (c.issuerAccount() == null ? act.issuer() : c.issuerAccount())
              + ", not by "
              + exporterKey);
    }
    if (c.kind() != v.type()) {
      return Optional.of("it is for a " + c.kind().name().toLowerCase() + " import");
    }
    if (!Subjects.contains(c.importSubject(), subject)) {
      return Optional.of("it covers '" + c.importSubject() + "', not '" + subject + "'");
    }
    return Optional.empty();
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
