package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** Observed state of an Account: what the signed JWT holds and where it was pushed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccountStatus extends BaseStatus {
  @JsonPropertyDescription(
      "Revoked user keys and when (unix seconds): the account JWT's revocations.")
  private Map<String, Long> revocations;

  @JsonPropertyDescription("The account ID (A...).")
  private String publicKey;

  @JsonPropertyDescription("Public keys of the account signing keys.")
  private List<SigningKeyStatus> signingKeys;

  @JsonPropertyDescription("The signed account JWT (public information).")
  private String jwt;

  @JsonPropertyDescription("Hash of the claims without iat and jti; decides whether to sign again.")
  private String claimsHash;

  @JsonPropertyDescription("iat of the JWT (RFC 3339).")
  private String issuedAt;

  @JsonPropertyDescription("Exports held in the JWT.")
  private List<ExportSummary> exports;

  @JsonPropertyDescription("Imports held in the JWT.")
  private List<ImportSummary> imports;

  @JsonPropertyDescription("Number of exports in the JWT (printer column).")
  private Integer exportCount;

  @JsonPropertyDescription("Number of imports in the JWT (printer column).")
  private Integer importCount;

  @JsonPropertyDescription("Number of user revocations in the JWT.")
  private Integer revokedUsers;

  @JsonPropertyDescription("Resolvers that acknowledged the current JWT, of how many, e.g. 1/1.")
  private String servers;

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public List<SigningKeyStatus> getSigningKeys() {
    return signingKeys;
  }

  public void setSigningKeys(List<SigningKeyStatus> signingKeys) {
    this.signingKeys = signingKeys;
  }

  public String getJwt() {
    return jwt;
  }

  public void setJwt(String jwt) {
    this.jwt = jwt;
  }

  public String getClaimsHash() {
    return claimsHash;
  }

  public void setClaimsHash(String claimsHash) {
    this.claimsHash = claimsHash;
  }

  public String getIssuedAt() {
    return issuedAt;
  }

  public void setIssuedAt(String issuedAt) {
    this.issuedAt = issuedAt;
  }

  public List<ExportSummary> getExports() {
    return exports;
  }

  public void setExports(List<ExportSummary> exports) {
    this.exports = exports;
  }

  public List<ImportSummary> getImports() {
    return imports;
  }

  public void setImports(List<ImportSummary> imports) {
    this.imports = imports;
  }

  public Integer getExportCount() {
    return exportCount;
  }

  public void setExportCount(Integer exportCount) {
    this.exportCount = exportCount;
  }

  public Integer getImportCount() {
    return importCount;
  }

  public void setImportCount(Integer importCount) {
    this.importCount = importCount;
  }

  public Integer getRevokedUsers() {
    return revokedUsers;
  }

  public void setRevokedUsers(Integer revokedUsers) {
    this.revokedUsers = revokedUsers;
  }

  public String getServers() {
    return servers;
  }

  public void setServers(String servers) {
    this.servers = servers;
  }

  public Map<String, Long> getRevocations() {
    return revocations;
  }

  public void setRevocations(Map<String, Long> revocations) {
    this.revocations = revocations;
  }
}
