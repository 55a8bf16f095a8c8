package dev.nats.accounts.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The build's version and git commit, from version.properties (filtered by Maven; the commit comes
 * from git-commit-id-maven-plugin). A build outside a git clone says "unknown" rather than failing.
 */
public record Version(String version, String commit, boolean dirty) {
  public static Version current() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Version(
        value(p, "version"), value(p, "commit"), "true".equals(p.getProperty("dirty")));
  }

  private static String value(Properties p, String key) {
    String v = p.getProperty(key, "");
    return v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }

  /** e.g. "nats-account-operator 0.1.0 (commit 1a2b3c4d5e6f)". */
  public String line() {
    return "nats-account-operator "
        + version
        + " (commit "
        + commit
        + (dirty ? ", with uncommitted changes" : "")
        + ")";
  }
}
