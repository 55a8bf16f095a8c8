package dev.nats.accounts.jwt;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks claims against the rules that make nats-server 2.9 (jwt v2.3.0 {@code Validate}, blocking
 * issues) reject a JWT, plus a few rules the operator adds so that what it signs is usable (valid
 * NATS subjects, valid keys, no self-import, no scoped user with own permissions). Every problem is
 * reported, each with a field path, so a status can show them all at once.
 */
public final class ClaimsValidator {
  static final int MAX_INFO_LENGTH = 8 * 1024;

  /** Connection types jwt v2.3.0 / server 2.9 know. */
  public static final Set<String> CONNECTION_TYPES =
      Set.of("STANDARD", "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS", "MQTT", "MQTT_WS");

  private ClaimsValidator() {}

  // ---------------------------------------------------------------- operator

  public static List<Violation> validate(OperatorClaims c) {
    List<Violation> v = new ArrayList<>();
    requireKey(v, "subject", c.subject(), KeyType.OPERATOR);
    for (int i = 0; i < c.signingKeys().size(); i++) {
      requireKey(v, "signingKeys[" + i + "]", c.signingKeys().get(i), KeyType.OPERATOR);
    }
    if (c.systemAccount() != null) {
      requireKey(v, "systemAccount", c.systemAccount(), KeyType.ACCOUNT);
    }
    if (c.accountServerUrl() != null) {
      URI u = parseUri(c.accountServerUrl());
      if (u == null || u.getScheme() == null || u.getHost() == null) {
        v.add(
            new Violation(
                "accountServerUrl",
                "\""
                    + c.accountServerUrl()
                    + "\" needs a scheme and a host, e.g. nats://host:4222"));
      }
    }
    for (int i = 0; i < c.operatorServiceUrls().size(); i++) {
      String s = c.operatorServiceUrls().get(i);
      String f = "operatorServiceUrls[" + i + "]";
      URI u = parseUri(s);
      if (u == null || u.getScheme() == null) {
        v.add(
            new Violation(
                f, "\"" + s + "\" is not a URL; use nats://host:port or tls://host:port"));
      } else if (!u.getScheme().equalsIgnoreCase("nats")
          && !u.getScheme().equalsIgnoreCase("tls")) {
        v.add(new Violation(f, "\"" + s + "\" must use scheme nats or tls"));
      } else if (u.getRawUserInfo() != null) {
        v.add(new Violation(f, "\"" + s + "\" must not contain credentials"));
      } else if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
        v.add(new Violation(f, "\"" + s + "\" must not contain a path"));
      }
    }
    if (c.assertServerVersion() != null && !c.assertServerVersion().matches("\\d+\\.\\d+\\.\\d+")) {
      v.add(
          new Violation(
              "assertServerVersion",
              "\""
                  + c.assertServerVersion()
                  + "\" must have the form <major>.<minor>.<patch>, e.g. 2.9.0"));
    }
    return v;
  }

  // ---------------------------------------------------------------- account

  public static List<Violation> validate(AccountClaims c) {
    List<Violation> v = new ArrayList<>();
    // imports usually share a few exporter keys: decode each distinct key once per call
    Map<String, KeyType> keys = new HashMap<>();
    requireKey(v, keys, "subject", c.subject(), KeyType.ACCOUNT);
    validateImports(v, keys, c);
    validateExports(v, c);
    AccountLimits l = c.limits();
    if (l.imports() >= 0 && c.imports().size() > l.imports()) {
      v.add(
          new Violation(
              "imports",
              "the account has "
                  + c.imports().size()
                  + " imports but limits.imports allows "
                  + l.imports()));
    }
    if (l.exports() >= 0 && c.exports().size() > l.exports()) {
      v.add(
          new Violation(
              "exports",
              "the account has "
                  + c.exports().size()
                  + " exports but limits.exports allows "
                  + l.exports()));
    }
    if (l.exports() != -1 && !l.wildcards()) {
      for (int i = 0; i < c.exports().size(); i++) {
        String s = c.exports().get(i).subject();
        if (s != null && Subjects.hasWildcard(s)) {
          v.add(
              new Violation(
                  "exports[" + i + "].subject",
                  "wildcard export \""
                      + s
                      + "\" is not allowed because limits.wildcards is false"));
        }
      }
    }
    if (!l.tiered().isEmpty()) {
      if (!l.jetStream().isZero()) {
        v.add(
            new Violation(
                "limits.jetStream",
                "flat JetStream limits and tiered limits are mutually "
                    + "exclusive; use JetStreamLimits.DISABLED when tiers are set"));
      }
      if (l.tiered().containsKey("")) {
        v.add(new Violation("limits.tiered", "tier name must not be empty (use R1, R3, ...)"));
      }
    }
    for (int i = 0; i < c.signingKeys().size(); i++) {
      SigningKey k = c.signingKeys().get(i);
      String f = "signingKeys[" + i + "]";
      if (k == null) {
        v.add(new Violation(f, "must not be null"));
        continue;
      }
      requireKey(v, keys, f + ".key", k.key(), KeyType.ACCOUNT);
      if (k instanceof SigningKey.Scoped s) {
        validatePermissionLimits(v, f + ".template", s.template());
      }
    }
    if (c.defaultPermissions() != null) {
      validatePermissions(v, "defaultPermissions", c.defaultPermissions());
    }
    for (Map.Entry<String, List<Mapping>> e : c.mappings().entrySet()) {
      String f = "mappings[" + e.getKey() + "]";
      if (!Subjects.isValid(e.getKey())) {
        v.add(new Violation(f, "mapping source \"" + e.getKey() + "\" is not a valid subject"));
      }
      int total = 0;
      for (int i = 0; i < e.getValue().size(); i++) {
        Mapping m = e.getValue().get(i);
        String mf = f + "[" + i + "]";
        if (!Subjects.isValid(m.subject())) {
          v.add(new Violation(mf + ".subject", "\"" + m.subject() + "\" is not a valid subject"));
        } else if (Subjects.hasWildcard(m.subject())) {
          v.add(
              new Violation(
                  mf + ".subject",
                  "destination \""
                      + m.subject()
                      + "\" must not contain wildcards (nats-server 2.9 rejects them)"));
        }
        if (m.weight() < 0 || m.weight() > 100) {
          v.add(
              new Violation(
                  mf + ".weight", "must be between 1 and 100 (0 means 100), got " + m.weight()));
        }
        total += m.effectiveWeight();
      }
      if (total > 100) {
        v.add(new Violation(f, "weights add up to " + total + "%, must be at most 100%"));
      }
    }
    validateInfo(v, "", c.description(), c.infoUrl());
    return v;
  }

  private static void validateImports(
      List<Violation> v, Map<String, KeyType> keys, AccountClaims c) {
    List<String> serviceLocals = new ArrayList<>();
    List<String[]> serviceTokens = new ArrayList<>();
    List<Integer> serviceIdx = new ArrayList<>();
    for (int i = 0; i < c.imports().size(); i++) {
      Import im = c.imports().get(i);
      String f = "imports[" + i + "]";
      if (im == null) {
        v.add(new Violation(f, "must not be null"));
        continue;
      }
      if (im.type() == null) {
        v.add(new Violation(f + ".type", "is required (service or stream)"));
      }
      if (im.account() == null || im.account().isEmpty()) {
        v.add(new Violation(f + ".account", "account to import from is required"));
      } else {
        requireKey(v, keys, f + ".account", im.account(), KeyType.ACCOUNT);
        if (im.account().equals(c.subject())) {
          v.add(
              new Violation(
                  f + ".account",
                  "an account cannot import from itself; " + "use the subject directly instead"));
        }
      }
      boolean subjectOk = requireSubject(v, f + ".subject", im.subject());
      if (im.localSubject() != null && subjectOk) {
        validateLocalSubject(v, f + ".localSubject", im.localSubject(), im.subject());
      }
      if (im.share() && im.type() != ExportType.SERVICE) {
        v.add(
            new Violation(
                f + ".share", "sharing latency information is only valid for service imports"));
      }
      if (im.token() != null && !im.token().isEmpty()) {
        validateToken(v, f + ".token", im, c.subject());
      }
      if (im.type() == ExportType.SERVICE && subjectOk) {
        String local =
            im.localSubject() == null ? im.subject() : renamedToWildcards(im.localSubject());
        String[] localTokens = Subjects.tokens(local);
        for (int j = 0; j < serviceLocals.size(); j++) {
          String other = serviceLocals.get(j);
          String[] otherTokens = serviceTokens.get(j);
          if (local.equals(other)
              || Subjects.goContainedIn(localTokens, otherTokens)
              || Subjects.goContainedIn(otherTokens, localTokens)) {
            v.add(
                new Violation(
                    f,
                    "service import local subject \""
                        + local
                        + "\" overlaps \""
                        + other
                        + "\" of imports["
                        + serviceIdx.get(j)
                        + "]; give one of them a distinct localSubject"));
          }
        }
        serviceLocals.add(local);
        serviceTokens.add(localTokens);
        serviceIdx.add(i);
      }
    }
  }

  /** The importer-side rules of jwt's RenamingSubject. */
  private static void validateLocalSubject(List<Violation> v, String f, String local, String from) {
    if (!Subjects.isValid(local)) {
      v.add(new Violation(f, "\"" + local + "\" is not a valid subject"));
      return;
    }
    if (Subjects.endsWithFullWildcard(local) != Subjects.endsWithFullWildcard(from)) {
      v.add(
          new Violation(
              f,
              "\""
                  + local
                  + "\" and subject \""
                  + from
                  + "\" must both end in > or both not end in >"));
    }
    int fromStars = Subjects.countStars(from);
    int refs = 0;
    // walks the tokens by index: this runs for every import of every account JWT signed
    int start = 0;
    for (int i = 0; i <= local.length(); i++) {
      if (i < local.length() && local.charAt(i) != '.') {
        continue;
      }
      if (i - start == 1 && local.charAt(start) == '*') {
        refs++;
      } else if (isReference(local, start, i)) {
        int n = Integer.parseInt(local, start + 1, i, 10);
        if (n > fromStars) {
          v.add(
              new Violation(
                  f,
                  "reference "
                      + local.substring(start, i)
                      + " in \""
                      + local
                      + "\" points to a * that \""
                      + from
                      + "\" does not have (it has "
                      + fromStars
                      + ")"));
        } else {
          refs++;
        }
      }
      start = i + 1;
    }
    if (refs != fromStars) {
      v.add(
          new Violation(
              f,
              "\""
                  + local
                  + "\" must use each of the "
                  + fromStars
                  + " * wildcards of \""
                  + from
                  + "\" exactly once, as * or $1..$"
                  + Math.max(fromStars, 1)));
    }
  }

  private static boolean isReference(String t) {
    return isReference(t, 0, t.length());
  }

  /** {@code $1}..{@code $99999999}: the token {@code s[start, end)} is a wildcard reference. */
  private static boolean isReference(String s, int start, int end) {
    int len = end - start;
    if (len < 2 || len >= 10 || s.charAt(start) != '$') {
      return false;
    }
    for (int i = start + 1; i < end; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String renamedToWildcards(String local) {
    if (local.indexOf('$') < 0) {
      return local;
    }
    String[] t = Subjects.tokens(local);
    for (int i = 0; i < t.length; i++) {
      if (isReference(t[i])) {
        t[i] = "*";
      }
    }
    return String.join(".", t);
  }

  private static void validateToken(List<Violation> v, String f, Import im, String importer) {
    DecodedJwt d;
    try {
      d = JwtDecoder.decodeIgnoringTime(im.token());
    } catch (JwtException e) {
      v.add(new Violation(f, "activation token does not decode: " + e.getMessage()));
      return;
    }
    if (!"activation".equals(d.type())) {
      v.add(new Violation(f, "token is a " + d.type() + " JWT, not an activation"));
      return;
    }
    ActivationClaims a;
    try {
      a = d.activation();
    } catch (JwtException e) {
      v.add(new Violation(f, "activation token is malformed: " + e.getMessage()));
      return;
    }
    if (!(d.issuer().equals(im.account())
        || im.account() != null && im.account().equals(a.issuerAccount()))) {
      v.add(
          new Violation(
              f,
              "activation token was issued by "
                  + (a.issuerAccount() != null ? a.issuerAccount() : d.issuer())
                  + ", not by the exporting account "
                  + im.account()));
    }
    if (!d.subject().equals(importer)) {
      v.add(
          new Violation(
              f,
              "activation token was issued for account "
                  + d.subject()
                  + ", not for this account "
                  + importer));
    }
    if (a.kind() != im.type()) {
      v.add(
          new Violation(
              f,
              "activation token kind "
                  + (a.kind() == null ? "null" : a.kind().json())
                  + " does not match import type "
                  + (im.type() == null ? "null" : im.type().json())));
    }
    for (Violation av : validate(a)) {
      if (!av.field().equals("subject")) {
        v.add(new Violation(f + "." + av.field(), av.message()));
      }
    }
    if (im.subject() != null
        && a.importSubject() != null
        && Subjects.isValid(im.subject())
        && Subjects.isValid(a.importSubject())
        && !Subjects.contains(a.importSubject(), im.subject())) {
      v.add(
          new Violation(
              f,
              "activation token grants \""
                  + a.importSubject()
                  + "\" which does not contain import subject \""
                  + im.subject()
                  + "\""));
    }
  }

  /** Returns whether the subject is valid (the overlap check needs its tokens). */
  private static boolean validateExport(List<Violation> v, String f, Export e) {
    boolean service = e.type() == ExportType.SERVICE;
    if (e.type() == null) {
      v.add(new Violation(f + ".type", "is required (service or stream)"));
    }
    boolean subjectOk = requireSubject(v, f + ".subject", e.subject());
    if (e.responseType() != null && !service) {
      v.add(new Violation(f + ".responseType", "only services have a response type"));
    }
    if (e.responseThreshold() != null) {
      if (e.responseThreshold().isNegative()) {
        v.add(new Violation(f + ".responseThreshold", "must not be negative"));
      } else if (!e.responseThreshold().isZero() && !service) {
        v.add(new Violation(f + ".responseThreshold", "only services have a response threshold"));
      }
    }
    if (e.latency() != null) {
      if (!service) {
        v.add(new Violation(f + ".latency", "latency tracking is only possible for services"));
      }
      String s = e.latency().sampling();
      if (s != null && !s.equalsIgnoreCase("headers")) {
        int p = ClaimsJson.parseIntOr(s, -1);
        if (p < 1 || p > 100) {
          v.add(
              new Violation(
                  f + ".latency.sampling",
                  "must be a percentage 1..100 or \"headers\", got \"" + s + "\""));
        }
      }
      String r = e.latency().results();
      if (!Subjects.isValid(r)) {
        v.add(new Violation(f + ".latency.results", "\"" + r + "\" is not a valid subject"));
      } else if (Subjects.hasWildcard(r)) {
        v.add(new Violation(f + ".latency.results", "\"" + r + "\" must not contain wildcards"));
      }
    }
    int pos = e.accountTokenPosition();
    if (pos < 0) {
      v.add(
          new Violation(
              f + ".accountTokenPosition", "must be 0 (unused) or a 1-based token position"));
    } else if (pos > 0 && subjectOk) {
      String[] t = Subjects.tokens(e.subject());
      if (!Subjects.hasWildcard(e.subject())) {
        v.add(
            new Violation(
                f + ".accountTokenPosition",
                "needs a wildcard subject; \"" + e.subject() + "\" has none"));
      } else if (pos > t.length) {
        v.add(
            new Violation(
                f + ".accountTokenPosition",
                "position "
                    + pos
                    + " exceeds the "
                    + t.length
                    + " tokens of \""
                    + e.subject()
                    + "\""));
      } else if (!t[pos - 1].equals("*")) {
        v.add(
            new Violation(
                f + ".accountTokenPosition",
                "token "
                    + pos
                    + " of \""
                    + e.subject()
                    + "\" is \""
                    + t[pos - 1]
                    + "\" but must be *"));
      }
    }
    validateInfo(v, f + ".", e.description(), e.infoUrl());
    return subjectOk;
  }

  /**
   * One export on its own, everything but the overlap with its siblings, with fields relative to
   * the export ({@code accountTokenPosition}, {@code latency.sampling}, ...): so that a caller can
   * leave out the one export that would make a whole account JWT invalid.
   */
  public static List<Violation> validate(Export e) {
    List<Violation> v = new ArrayList<>();
    validateExport(v, "", e);
    return v.stream()
        .map(x -> new Violation(x.field().replaceFirst("^\\.", ""), x.message()))
        .toList();
  }

  private static void validateExports(List<Violation> v, AccountClaims c) {
    // tokenised once: the pairwise overlap check below is O(n²)
    String[][] tokens = new String[c.exports().size()][];
    for (int i = 0; i < c.exports().size(); i++) {
      Export e = c.exports().get(i);
      String f = "exports[" + i + "]";
      if (e == null) {
        v.add(new Violation(f, "must not be null"));
        continue;
      }
      boolean subjectOk = validateExport(v, f, e);
      if (subjectOk && e.type() != null) {
        tokens[i] = Subjects.tokens(e.subject());
        for (int j = 0; j < i; j++) {
          Export o = c.exports().get(j);
          if (o == null || o.type() != e.type() || tokens[j] == null) {
            continue;
          }
          if (Subjects.goContainedIn(tokens[i], tokens[j])
              || Subjects.goContainedIn(tokens[j], tokens[i])) {
            v.add(
                new Violation(
                    f + ".subject",
                    e.type().json()
                        + " export \""
                        + e.subject()
                        + "\" overlaps \""
                        + o.subject()
                        + "\" of exports["
                        + j
                        + "]; exports of the same kind must not overlap"));
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- user

  public static List<Violation> validate(UserClaims c) {
    List<Violation> v = new ArrayList<>();
    requireKey(v, "subject", c.subject(), KeyType.USER);
    if (c.issuerAccount() != null) {
      requireKey(v, "issuerAccount", c.issuerAccount(), KeyType.ACCOUNT);
    }
    validatePermissionLimits(v, "perms", c.perms());
    return v;
  }

  /**
   * Rules that need the issuing account: the signer belongs to it, {@code issuer_account} is set
   * for a signing key, and a scoped signer's users carry nothing of their own.
   */
  public static List<Violation> validateUserSigner(
      UserClaims c, String signerKey, AccountClaims account) {
    List<Violation> v = new ArrayList<>();
    if (account == null) {
      return v;
    }
    String acct = c.issuerAccount() != null ? c.issuerAccount() : signerKey;
    if (!account.subject().equals(acct)) {
      v.add(
          new Violation(
              "issuerAccount",
              "user is issued for account "
                  + acct
                  + " but the given account is "
                  + account.subject()));
      return v;
    }
    boolean identity = signerKey.equals(account.subject());
    if (!identity && !account.signingKeyIds().contains(signerKey)) {
      v.add(
          new Violation(
              "signer",
              signerKey + " is neither the account identity key nor one of its signing keys"));
    }
    if (!identity && c.issuerAccount() == null) {
      v.add(
          new Violation(
              "issuerAccount",
              "is required when a signing key signs; set it to " + account.subject()));
    }
    if (account.scopeOf(signerKey) != null && !c.perms().isEmpty()) {
      v.add(
          new Violation(
              "perms",
              "users signed by scoped signing key "
                  + signerKey
                  + " must carry no permissions or limits (use UserPermissionLimits.EMPTY); the scope template applies"));
    }
    if (c.perms().bearerToken() && account.limits().disallowBearer()) {
      v.add(
          new Violation(
              "perms.bearerToken", "the account disallows bearer tokens (limits.disallowBearer)"));
    }
    return v;
  }

  private static void validatePermissionLimits(
      List<Violation> v, String f, UserPermissionLimits u) {
    if (u == null) {
      return;
    }
    if (u.permissions() != null) {
      validatePermissions(v, f + ".permissions", u.permissions());
    }
    for (int i = 0; i < u.sourceNetworks().size(); i++) {
      String cidr = u.sourceNetworks().get(i);
      if (!isCidr(cidr)) {
        v.add(
            new Violation(
                f + ".sourceNetworks[" + i + "]",
                "\"" + cidr + "\" is not a CIDR; write e.g. 10.0.0.0/8 or 192.168.1.5/32"));
      }
    }
    for (int i = 0; i < u.times().size(); i++) {
      TimeRange t = u.times().get(i);
      if (t == null) {
        v.add(new Violation(f + ".times[" + i + "]", "must not be null"));
        continue;
      }
      if (!isTime(t.start())) {
        v.add(
            new Violation(
                f + ".times[" + i + "].start", "\"" + t.start() + "\" must be HH:MM:SS (24h)"));
      }
      if (!isTime(t.end())) {
        v.add(
            new Violation(
                f + ".times[" + i + "].end", "\"" + t.end() + "\" must be HH:MM:SS (24h)"));
      }
    }
    if (u.locale() != null) {
      try {
        ZoneId.of(u.locale());
      } catch (DateTimeException e) {
        v.add(
            new Violation(
                f + ".locale",
                "\"" + u.locale() + "\" is not an IANA time zone, e.g. Europe/Berlin"));
      }
    }
    for (int i = 0; i < u.allowedConnectionTypes().size(); i++) {
      String t = u.allowedConnectionTypes().get(i);
      if (!CONNECTION_TYPES.contains(t)) {
        v.add(
            new Violation(
                f + ".allowedConnectionTypes[" + i + "]",
                "\""
                    + t
                    + "\" is not one of "
                    + "STANDARD, WEBSOCKET, LEAFNODE, LEAFNODE_WS, MQTT, MQTT_WS"));
      }
    }
  }

  private static void validatePermissions(List<Violation> v, String f, Permissions p) {
    validatePermission(v, f + ".pub", p.pub(), false);
    validatePermission(v, f + ".sub", p.sub(), true);
    if (p.resp() != null) {
      if (p.resp().max() < 0 && p.resp().max() != -1) {
        v.add(new Violation(f + ".resp.max", "must be -1 (unlimited) or >= 0"));
      }
      if (p.resp().ttl() != null && p.resp().ttl().isNegative()) {
        v.add(new Violation(f + ".resp.ttl", "must not be negative"));
      }
    }
  }

  private static void validatePermission(
      List<Violation> v, String f, Permission p, boolean queueAllowed) {
    checkPermissionSubjects(v, f + ".allow", p.allow(), queueAllowed);
    checkPermissionSubjects(v, f + ".deny", p.deny(), queueAllowed);
  }

  private static void checkPermissionSubjects(
      List<Violation> v, String f, List<String> l, boolean queueAllowed) {
    for (int i = 0; i < l.size(); i++) {
      String s = l.get(i);
      String ff = f + "[" + i + "]";
      if (s == null) {
        v.add(new Violation(ff, "must not be null"));
        continue;
      }
      String[] parts = s.split(" ", -1);
      if (parts.length > 2) {
        v.add(
            new Violation(
                ff, "\"" + s + "\" has too many spaces; use \"subject\" or \"subject queue\""));
      } else if (parts.length == 2 && !queueAllowed) {
        v.add(
            new Violation(
                ff, "\"" + s + "\" must not contain a queue (only subscribe permissions may)"));
      } else {
        for (String part : parts) {
          if (!Subjects.isValid(part)) {
            v.add(new Violation(ff, "\"" + s + "\" is not a valid subject"));
            break;
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- activation, delete

  public static List<Violation> validate(ActivationClaims c) {
    List<Violation> v = new ArrayList<>();
    requireKey(v, "subject", c.subject(), KeyType.ACCOUNT);
    if (c.kind() == null) {
      v.add(new Violation("kind", "is required (service or stream)"));
    }
    requireSubject(v, "importSubject", c.importSubject());
    if (c.issuerAccount() != null) {
      requireKey(v, "issuerAccount", c.issuerAccount(), KeyType.ACCOUNT);
    }
    return v;
  }

  public static List<Violation> validate(DeleteRequest r) {
    List<Violation> v = new ArrayList<>();
    requireKey(v, "operator", r.operator(), KeyType.OPERATOR);
    if (r.accounts().isEmpty()) {
      v.add(new Violation("accounts", "name at least one account to delete"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < r.accounts().size(); i++) {
      requireKey(v, "accounts[" + i + "]", r.accounts().get(i), KeyType.ACCOUNT);
      if (!seen.add(r.accounts().get(i))) {
        v.add(new Violation("accounts[" + i + "]", "duplicate account " + r.accounts().get(i)));
      }
    }
    return v;
  }

  // ---------------------------------------------------------------- helpers

  /** Throws {@link InvalidClaimsException} if there is any violation. */
  public static void requireValid(String what, List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw new InvalidClaimsException(what, violations);
    }
  }

  private static void requireKey(List<Violation> v, String field, String key, KeyType type) {
    requireKey(v, null, field, key, type);
  }

  /**
   * {@code decoded} remembers the keys already found valid in this call (key to type), so a key
   * named many times (the exporter of several imports) is base32-decoded and checksummed once. May
   * be null.
   */
  private static void requireKey(
      List<Violation> v, Map<String, KeyType> decoded, String field, String key, KeyType type) {
    if (decoded != null && key != null && decoded.get(key) == type) {
      return;
    }
    if (key == null || key.isEmpty()) {
      v.add(new Violation(field, "is required: set it to " + type.describe() + " public key"));
      return;
    }
    try {
      KeyType actual = KeyType.ofPublicKey(key);
      if (decoded != null) {
        decoded.put(key, actual);
      }
      if (actual != type) {
        v.add(
            new Violation(
                field,
                "must be "
                    + type.describe()
                    + " public key (starts with '"
                    + type.prefixChar()
                    + "'), got "
                    + actual.describe()
                    + " key "
                    + key));
      }
    } catch (InvalidKeyException e) {
      v.add(new Violation(field, "is not " + type.describe() + " public key: " + e.getMessage()));
    }
  }

  private static boolean requireSubject(List<Violation> v, String field, String s) {
    if (s == null || s.isEmpty()) {
      v.add(new Violation(field, "is required"));
      return false;
    }
    if (!Subjects.isValid(s)) {
      v.add(
          new Violation(
              field,
              "\"" + s + "\" is not a valid subject (no spaces, no empty tokens, > only last)"));
      return false;
    }
    return true;
  }

  private static void validateInfo(
      List<Violation> v, String prefix, String description, String infoUrl) {
    if (description != null && description.length() > MAX_INFO_LENGTH) {
      v.add(
          new Violation(
              prefix + "description",
              "is "
                  + description.length()
                  + " characters, at most "
                  + MAX_INFO_LENGTH
                  + " allowed"));
    }
    if (infoUrl != null) {
      URI u = parseUri(infoUrl);
      if (infoUrl.length() > MAX_INFO_LENGTH
          || u == null
          || u.getScheme() == null
          || u.getHost() == null) {
        v.add(
            new Violation(
                prefix + "infoUrl",
                "\""
                    + abbreviate(infoUrl)
                    + "\" must be a URL with scheme and host, e.g. https://example.com/docs"));
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static URI parseUri(String s) {
    try {
      return new URI(s);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  static boolean isTime(String s) {
    if (s == null || !s.matches("\\d\\d:\\d\\d:\\d\\d")) {
      return false;
    }
    int h = Integer.parseInt(s.substring(0, 2));
    int m = Integer.parseInt(s.substring(3, 5));
    int sec = Integer.parseInt(s.substring(6, 8));
    return h < 24 && m < 60 && sec < 60;
  }

  /** An IPv4 or IPv6 network in CIDR notation with a prefix length the address can have. */
  public static boolean isCidr(String s) {
    if (s == null) {
      return false;
    }
    int slash = s.indexOf('/');
    if (slash < 0 || slash != s.lastIndexOf('/')) {
      return false;
    }
    String ip = s.substring(0, slash);
    String mask = s.substring(slash + 1);
    if (!mask.matches("\\d{1,3}")) {
      return false;
    }
    int bits = Integer.parseInt(mask);
    if (ip.contains(":")) {
      return bits <= 128 && isIpv6(ip);
    }
    return bits <= 32 && isIpv4(ip);
  }

  private static boolean isIpv4(String ip) {
    String[] p = ip.split("\\.", -1);
    if (p.length != 4) {
      return false;
    }
    for (String o : p) {
      if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6(String ip) {
    if (!ip.matches("[0-9a-fA-F:.]+")) {
      return false;
    }
    try {
      // a literal with ':' is parsed, never resolved
      return java.net.InetAddress.getByName(ip) instanceof java.net.Inet6Address
          || ip.startsWith("::ffff:");
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
