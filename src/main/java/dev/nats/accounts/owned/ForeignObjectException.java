package dev.nats.accounts.owned;

/**
 * An object the operator must write already exists and is not ours. It is left untouched:
 * overwriting it could destroy someone's Secret, and taking it over silently would hand its
 * contents to a resource that never owned them. Someone renames one of the two.
 */
public final class ForeignObjectException extends RuntimeException {
  private final String objectKind;
  private final String objectName;

  public ForeignObjectException(
      String objectKind, String namespace, String objectName, Owner wantedBy) {
    super(
        objectKind
            + " "
            + namespace
            + "/"
            + objectName
            + " already exists and is not managed for "
            + wantedBy
            + "; it was left untouched: delete or rename it, or choose another name");
    this.objectKind = objectKind;
    this.objectName = objectName;
  }

  private ForeignObjectException(String message, String objectKind, String objectName) {
    super(message);
    this.objectKind = objectKind;
    this.objectName = objectName;
  }

  /**
   * The same conflict, led by the spec field that chose the name ({@code spec.credsSecretName}):
   * the user fixes a field, so the message says which.
   */
  public ForeignObjectException chosenBy(String field) {
    return new ForeignObjectException(field + ": " + getMessage(), objectKind, objectName);
  }

  /** Secret or ConfigMap. */
  public String objectKind() {
    return objectKind;
  }

  public String objectName() {
    return objectName;
  }
}
