package dev.nats.accounts.reconciler;

/**
 * The annotations that ask for a key rotation, the same on Users, Accounts and Operators, so one
 * habit ({@code kubectl annotate … accounts.nats.dev/rotate=…}) serves every key.
 */
public final class RotationAnnotations {
  /** Rotate once more: any new value. */
  public static final String REQUEST = "accounts.nats.dev/rotate";

  /** Replace the key at once, the replaced one revoked or dropped at once: any new value. */
  public static final String EMERGENCY = "accounts.nats.dev/rotate-emergency";

  private RotationAnnotations() {}
}
