package dev.nats.accounts.jwt;

/** Service response type; JSON {@code "Singleton"} / {@code "Stream"} / {@code "Chunked"}. */
public enum ResponseType {
  SINGLETON("Singleton"),
  STREAM("Stream"),
  CHUNKED("Chunked");

  private final String json;

  ResponseType(String json) {
    this.json = json;
  }

  public String json() {
    return json;
  }

  public static ResponseType ofJson(String s) {
    for (ResponseType t : values()) {
      if (t.json.equals(s)) {
        return t;
      }
    }
    return null;
  }
}
