package dev.nats.accounts.api.v1alpha1;

/**
 * Coordinates of the API, shared by the resource classes and by code that builds names or
 * selectors.
 *
 * <p>Each kind also names its plural ({@code @Plural}, what fabric8 would derive): without it,
 * fabric8 runs its pluralising rules (regular expressions) every time it builds an object of the
 * kind, which is for every object it decodes.
 */
public final class ApiGroup {
  public static final String GROUP = "accounts.nats.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** {@code kubectl get nats -A} lists every kind. */
  public static final String CATEGORY = "nats";

  private ApiGroup() {}
}
