package dev.nats.accounts.app;

/**
 * The process's exit codes. Each start-up failure has its own, so a script or an alert can tell
 * "fix the kubeconfig" from "install the CRDs" without parsing the message.
 */
public enum ExitCode {
  OK(0, "stopped normally (also after SIGTERM or SIGINT)"),
  FAILED(
      1, "an unexpected error, or the Lease was lost (the pod restarts and rejoins the election)"),
  USAGE(2, "unknown command or flag, or a flag without its value"),
  INVALID_SETTING(
      3, "a setting does not parse (the message names it, its value and an accepted example)"),
  API_SERVER_UNREACHABLE(
      4, "no kubeconfig, the API server does not answer, or it refuses the credentials"),
  CRDS_NOT_INSTALLED(
      5, "a CRD of accounts.nats.dev is missing or differs from the ones in this build"),
  RBAC_INCOMPLETE(
      6, "the operator's identity lacks a permission it needs (each missing one is listed)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
