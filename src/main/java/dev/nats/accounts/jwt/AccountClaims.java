package dev.nats.accounts.jwt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Account JWT body, signed by an operator key.
 *
 * @param limits null is read as {@link AccountLimits#UNLIMITED} (the JSON always carries explicit
 *     limits)
 * @param revocations user public key (or "*") -> unix seconds; users issued at or before are
 *     revoked
 * @param mappings source subject -> weighted destinations
 * @param expires unix seconds, null = never
 */
public record AccountClaims(
    String name,
    String subject,
    List<Import> imports,
    List<Export> exports,
    AccountLimits limits,
    List<SigningKey> signingKeys,
    Map<String, Long> revocations,
    Permissions defaultPermissions,
    Map<String, List<Mapping>> mappings,
    String description,
    String infoUrl,
    List<String> tags,
    Long expires) {
  public AccountClaims {
    imports = Lists.copy(imports);
    exports = Lists.copy(exports);
    limits = limits == null ? AccountLimits.UNLIMITED : limits;
    signingKeys = Lists.copy(signingKeys);
    revocations = Lists.copy(revocations);
    if (defaultPermissions != null && defaultPermissions.isEmpty()) {
      defaultPermissions = null;
    }
    if (mappings == null || mappings.isEmpty()) {
      mappings = Map.of();
    } else {
      Map<String, List<Mapping>> m = new LinkedHashMap<>();
      mappings.forEach((k, v) -> m.put(k, Lists.copy(v)));
      mappings = Map.copyOf(m);
    }
    description = Lists.blankToNull(description);
    infoUrl = Lists.blankToNull(infoUrl);
    tags = Lists.copy(tags);
  }

  public static Builder builder(String name, String subject) {
    return new Builder(name, subject);
  }

  /** A builder pre-filled with this record's values. */
  public Builder toBuilder() {
    Builder b = new Builder(name, subject);
    b.imports.addAll(imports);
    b.exports.addAll(exports);
    b.limits = limits;
    b.signingKeys.addAll(signingKeys);
    b.revocations.putAll(revocations);
    b.defaultPermissions = defaultPermissions;
    b.mappings.putAll(mappings);
    b.description = description;
    b.infoUrl = infoUrl;
    b.tags.addAll(tags);
    b.expires = expires;
    return b;
  }

  /** Public keys of all signing keys, scoped or not. */
  public List<String> signingKeyIds() {
    List<String> out = new ArrayList<>(signingKeys.size());
    for (SigningKey k : signingKeys) {
      out.add(k.key());
    }
    return out;
  }

  /** The scope of {@code key} if it is a scoped signing key of this account, else null. */
  public SigningKey.Scoped scopeOf(String key) {
    for (SigningKey k : signingKeys) {
      if (k instanceof SigningKey.Scoped s && s.key().equals(key)) {
        return s;
      }
    }
    return null;
  }

  /** Mutable, single-threaded builder; {@link #build()} makes an immutable copy. */
  public static final class Builder {
    private final String name;
    private final String subject;
    private final List<Import> imports = new ArrayList<>();
    private final List<Export> exports = new ArrayList<>();
    private AccountLimits limits = AccountLimits.UNLIMITED;
    private final List<SigningKey> signingKeys = new ArrayList<>();
    private final Map<String, Long> revocations = new LinkedHashMap<>();
    private Permissions defaultPermissions;
    private final Map<String, List<Mapping>> mappings = new LinkedHashMap<>();
    private String description;
    private String infoUrl;
    private final List<String> tags = new ArrayList<>();
    private Long expires;

    private Builder(String name, String subject) {
      this.name = name;
      this.subject = subject;
    }

    public Builder addImport(Import i) {
      imports.add(i);
      return this;
    }

    public Builder imports(List<Import> l) {
      imports.clear();
      imports.addAll(l);
      return this;
    }

    public Builder addExport(Export e) {
      exports.add(e);
      return this;
    }

    public Builder exports(List<Export> l) {
      exports.clear();
      exports.addAll(l);
      return this;
    }

    public Builder limits(AccountLimits l) {
      limits = l;
      return this;
    }

    public Builder addSigningKey(String key) {
      signingKeys.add(new SigningKey.Plain(key));
      return this;
    }

    public Builder addSigningKey(SigningKey key) {
      signingKeys.add(key);
      return this;
    }

    public Builder revoke(String publicKey, long unixSeconds) {
      revocations.put(publicKey, unixSeconds);
      return this;
    }

    public Builder defaultPermissions(Permissions p) {
      defaultPermissions = p;
      return this;
    }

    public Builder addMapping(String from, List<Mapping> to) {
      mappings.put(from, to);
      return this;
    }

    public Builder description(String d) {
      description = d;
      return this;
    }

    public Builder infoUrl(String u) {
      infoUrl = u;
      return this;
    }

    public Builder addTag(String t) {
      tags.add(t);
      return this;
    }

    public Builder expires(Long unixSeconds) {
      expires = unixSeconds;
      return this;
    }

    public AccountClaims build() {
      return new AccountClaims(
          name,
          subject,
          imports,
          exports,
          limits,
          signingKeys,
          revocations,
          defaultPermissions,
          mappings,
          description,
          infoUrl,
          tags,
          expires);
    }
  }
}
