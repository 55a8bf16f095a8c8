package dev.nats.accounts.status;

/**
 * Condition types and reasons: part of the public contract (api.md), so users can alert on them.
 * Kept in one place so a reason is spelled the same in every kind, Event and test.
 */
public final class Reasons {
  private Reasons() {}

  // Condition types
  public static final String READY = "Ready";
  public static final String KEYS_READY = "KeysReady";
  public static final String CONNECTED = "Connected";
  public static final String PUSHED = "Pushed";
  public static final String IMPORTS_RESOLVED = "ImportsResolved";
  public static final String EXPORT_FOUND = "ExportFound";
  public static final String AUTHORIZED = "Authorized";
  /**
   * kstatus' condition for "will not make progress without a change by someone": True only beside {@code Ready=False}
   * with one of {@link #STALLED_REASONS}, absent otherwise. Flux, kpt and {@code kstatus} report such a resource as
   * Failed instead of InProgress, so a pipeline stops waiting at once; written by {@link Conditions#set}.
   */
  public static final String STALLED = "Stalled";

  // Positive reasons
  public static final String RECONCILED = "Reconciled";
  public static final String KEYS_CREATED = "KeysCreated";
  public static final String KEYS_ADOPTED = "KeysAdopted";
  public static final String KEYS_FOUND = "KeysFound";
  public static final String ALL_CONNECTED = "AllServersConnected";
  public static final String PUSH_SUCCEEDED = "PushSucceeded";
  public static final String ALL_RESOLVED = "AllImportsResolved";
  public static final String FOUND = "ExportFound";
  public static final String GRANTED = "Granted";

  // Negative reasons shared by every kind
  public static final String PENDING = "Pending";
  public static final String OPERATOR_NOT_FOUND = "OperatorNotFound";
  public static final String ACCOUNT_NOT_FOUND = "AccountNotFound";
  public static final String NAMESPACE_NOT_ALLOWED = "NamespaceNotAllowed";
  public static final String SEED_LOST = "SeedLost";
  public static final String INVALID_SEED = "InvalidSeed";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String SIGNING_KEY_NOT_FOUND = "SigningKeyNotFound";
  public static final String PUSH_FAILED = "PushFailed";
  public static final String NOT_CONNECTED = "NotConnected";
  public static final String NO_SERVERS = "NoServers";
  public static final String IMPORTS_UNRESOLVED = "ImportsUnresolved";

  // Import reasons
  public static final String EXPORT_NOT_FOUND = "ExportNotFound";
  public static final String NOT_GRANTED = "NotGranted";
  public static final String SUBJECT_NOT_IN_EXPORT = "SubjectNotInExport";
  public static final String TYPE_MISMATCH = "TypeMismatch";
  public static final String SELF_IMPORT = "SelfImport";
  public static final String OPERATOR_MISMATCH = "OperatorMismatch";
  public static final String LOCAL_SUBJECT_CONFLICT = "LocalSubjectConflict";
  public static final String INVALID_TOKEN = "InvalidToken";
  public static final String SUBJECT_OVERLAP = "SubjectOverlap";

  /**
   * Failures that only a change of a spec, a Secret or a grant can resolve. Not in the set: references that do not
   * resolve yet (OperatorNotFound, AccountNotFound, ExportNotFound, SecretNotFound, SigningKeyNotFound), because a
   * GitOps apply creates related resources in any order and they resolve by themselves; waiting (Pending,
   * NotConnected); what is retried (PushFailed, KeysConflict); ImportsUnresolved (the import itself carries its
   * reason, the Account works).
   */
  public static final java.util.Set<String> STALLED_REASONS = java.util.Set.of(INVALID_SPEC, INVALID_SEED, SEED_LOST,
      NAMESPACE_NOT_ALLOWED, NOT_GRANTED, SUBJECT_NOT_IN_EXPORT, TYPE_MISMATCH, SELF_IMPORT, OPERATOR_MISMATCH,
      LOCAL_SUBJECT_CONFLICT, SUBJECT_OVERLAP, INVALID_TOKEN);
}
