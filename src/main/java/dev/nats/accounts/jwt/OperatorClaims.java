package dev.nats.accounts.jwt;

import java.util.List;

/**
 * Operator JWT body. Self-signed: {@code subject} is the operator identity key and also the issuer.
 *
 * @param signingKeys operator public keys allowed to sign account JWTs
 */
public record OperatorClaims(
    String name,
    String subject,
    List<String> signingKeys,
    String systemAccount,
    List<String> operatorServiceUrls,
    String accountServerUrl,
    boolean strictSigningKeyUsage,
    String assertServerVersion,
    List<String> tags) {
  public OperatorClaims {
    signingKeys = Lists.copy(signingKeys);
    operatorServiceUrls = Lists.copy(operatorServiceUrls);
    tags = Lists.copy(tags);
    systemAccount = Lists.blankToNull(systemAccount);
    accountServerUrl = Lists.blankToNull(accountServerUrl);
    assertServerVersion = Lists.blankToNull(assertServerVersion);
  }

  public static OperatorClaims of(String name, String subject) {
    return new OperatorClaims(name, subject, null, null, null, null, false, null, null);
  }

  public OperatorClaims withSigningKeys(List<String> v) {
    return new OperatorClaims(
        name,
        subject,
        v,
        systemAccount,
        operatorServiceUrls,
        accountServerUrl,
        strictSigningKeyUsage,
        assertServerVersion,
        tags);
  }

  public OperatorClaims withSystemAccount(String v) {
    return new OperatorClaims(
        name,
        subject,
        signingKeys,
        v,
        operatorServiceUrls,
        accountServerUrl,
        strictSigningKeyUsage,
        assertServerVersion,
        tags);
  }

  public OperatorClaims withServiceUrls(List<String> operatorServiceUrls, String accountServerUrl) {
    return new OperatorClaims(
        name,
        subject,
        signingKeys,
        systemAccount,
        operatorServiceUrls,
        accountServerUrl,
        strictSigningKeyUsage,
        assertServerVersion,
        tags);
  }

  public OperatorClaims withStrictSigningKeyUsage(boolean v) {
    return new OperatorClaims(
        name,
        subject,
        signingKeys,
        systemAccount,
        operatorServiceUrls,
        accountServerUrl,
        v,
        assertServerVersion,
        tags);
  }

  public OperatorClaims withAssertServerVersion(String v) {
    return new OperatorClaims(
        name,
        subject,
        signingKeys,
        systemAccount,
        operatorServiceUrls,
        accountServerUrl,
        strictSigningKeyUsage,
        v,
        tags);
  }

  public OperatorClaims withTags(List<String> v) {
    return new OperatorClaims(
        name,
        subject,
        signingKeys,
        systemAccount,
        operatorServiceUrls,
        accountServerUrl,
        strictSigningKeyUsage,
        assertServerVersion,
        v);
  }
}
