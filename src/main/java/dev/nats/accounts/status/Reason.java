package dev.nats.accounts.status;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every reason a condition or an Event carries: part of the public contract (api.md), so users can
 * alert on them. One enum, so a reason is spelled the same in every kind, Event and test, and a new
 * one is added here (and documented) rather than written as a literal somewhere.
 */
public enum Reason {
  // Positive
  RECONCILED("Reconciled"),
  KEYS_CREATED("KeysCreated"),
  KEYS_ADOPTED("KeysAdopted"),
  KEYS_FOUND("KeysFound"),
  ALL_CONNECTED("AllServersConnected"),
  PUSH_SUCCEEDED("PushSucceeded"),
  ALL_RESOLVED("AllImportsResolved"),
  EXPORT_FOUND("ExportFound"),
  GRANTED("Granted"),
  GRANT_REVOKED("GrantRevoked"),
  /** A key was replaced by a new one (a Normal Event). */
  KEY_ROTATED("KeyRotated"),

  // Negative, shared by every kind
  PENDING("Pending"),
  OPERATOR_NOT_FOUND("OperatorNotFound"),
  /**
   * The referenced Operator exists, in a namespace this process does not reconcile Operators in
   * (OPERATOR_NAMESPACES).
   */
  OPERATOR_NOT_MANAGED("OperatorNotManaged"),
  ACCOUNT_NOT_FOUND("AccountNotFound"),
  NAMESPACE_NOT_ALLOWED("NamespaceNotAllowed"),
  SEED_LOST("SeedLost"),
  INVALID_SEED("InvalidSeed"),
  KEYS_CONFLICT("KeysConflict"),
  SECRET_NOT_FOUND("SecretNotFound"),
  SECRET_CONFLICT("SecretConflict"),
  /** Another Account or Operator already publishes this identity: one identity, one owner. */
  IDENTITY_IN_USE("IdentityInUse"),
  CREDENTIALS_REISSUED("CredentialsReissued"),
  INVALID_SPEC("InvalidSpec"),
  SIGNING_KEY_NOT_FOUND("SigningKeyNotFound"),
  PUSH_FAILED("PushFailed"),
  NOT_CONNECTED("NotConnected"),
  NO_SERVERS("NoServers"),
  /**
   * Being deleted, and waiting for NATS to acknowledge it (the JWT revoking a User, or an Account's
   * removal from the resolvers) before anything is let go.
   */
  DELETE_PENDING("DeletePending"),
  IMPORTS_UNRESOLVED("ImportsUnresolved"),
  /** The API server refused or failed a request; retried with backoff. */
  API_SERVER_ERROR("ApiServerError"),
  /** An unexpected failure inside the operator; retried with backoff. */
  RECONCILE_ERROR("ReconcileError"),

  // Exports
  SUBJECT_OVERLAP("SubjectOverlap"),

  // Imports
  EXPORT_NOT_FOUND("ExportNotFound"),
  NOT_GRANTED("NotGranted"),
  SUBJECT_NOT_IN_EXPORT("SubjectNotInExport"),
  TYPE_MISMATCH("TypeMismatch"),
  SELF_IMPORT("SelfImport"),
  OPERATOR_MISMATCH("OperatorMismatch"),
  LOCAL_SUBJECT_CONFLICT("LocalSubjectConflict"),
  INVALID_TOKEN("InvalidToken"),
  /** spec.from.tokenURL served no token: not found there, unreachable, or not a JWT. */
  TOKEN_FETCH_FAILED("TokenFetchFailed");

  /**
   * Failures that only a change of a spec, a Secret or a grant can resolve; kstatus reports them as
   * Failed (see {@link ConditionType#STALLED}). Not in the set: references that do not resolve yet
   * (OperatorNotFound, AccountNotFound, ExportNotFound, SecretNotFound, SigningKeyNotFound),
   * because a GitOps apply creates related resources in any order and they resolve by themselves;
   * waiting (Pending, NotConnected, NoServers, DeletePending); what is retried (PushFailed,
   * KeysConflict, ApiServerError, ReconcileError); ImportsUnresolved (the import itself carries its
   * reason, the Account works).
   */
  private static final Set<Reason> STALLING =
      EnumSet.of(
          INVALID_SPEC,
          INVALID_SEED,
          SEED_LOST,
          SECRET_CONFLICT,
          IDENTITY_IN_USE,
          NAMESPACE_NOT_ALLOWED,
          OPERATOR_NOT_MANAGED,
          NOT_GRANTED,
          SUBJECT_NOT_IN_EXPORT,
          TYPE_MISMATCH,
          SELF_IMPORT,
          OPERATOR_MISMATCH,
          LOCAL_SUBJECT_CONFLICT,
          SUBJECT_OVERLAP,
          INVALID_TOKEN);

  private final String value;

  Reason(String value) {
    this.value = value;
  }

  /** As written into conditions and Events. */
  public String value() {
    return value;
  }

  /** The reason a condition carries, if it is one of ours. */
  public static Optional<Reason> of(String value) {
    return Arrays.stream(values()).filter(r -> r.value.equals(value)).findFirst();
  }

  /** Whether {@code Ready=False} for this reason waits for a human (kstatus' Stalled). */
  public boolean stalls() {
    return STALLING.contains(this);
  }

  /**
   * A reference to an object that does not exist, or not yet: when many objects are applied at
   * once, the one referenced is often applied a moment later.
   */
  public boolean missingReference() {
    return this == OPERATOR_NOT_FOUND || this == ACCOUNT_NOT_FOUND || this == EXPORT_NOT_FOUND;
  }

  @Override
  public String toString() {
    return value;
  }
}
