package dev.nats.accounts.jwt;

/** Kind of export/import/activation; JSON {@code "service"} / {@code "stream"}. */
public enum ExportType {
  SERVICE("service"),
  STREAM("stream");

  private final String json;

  ExportType(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }

  /** Parses the JSON form; returns null for anything else. */
  public static ExportType ofJson(String s) {
    for (ExportType t : values()) {
      if (t.json.equals(s)) {
        return t;
      }
    }
    return null;
  }
}
