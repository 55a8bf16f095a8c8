package dev.nats.accounts.app;

/**
 * A reason not to start that the user can fix: Main prints the message as one line on stderr and
 * exits with the code, without a stack trace (the message says what to do; a trace would bury it).
 */
public final class StartupFailure extends RuntimeException {
  private final ExitCode exitCode;

  public StartupFailure(ExitCode exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
