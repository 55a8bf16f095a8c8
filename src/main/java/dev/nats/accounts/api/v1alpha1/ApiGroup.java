package dev.nats.accounts.api.v1alpha1;

/**
 * Coordinates of the API, shared by the resource classes and by code that builds names or
 * selectors.
 */
public final class ApiGroup {
  public static final String GROUP = "accounts.nats.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** {@code kubectl get nats -A} lists every kind. */
  public static final String CATEGORY = "nats";

  private ApiGroup() {}
}
