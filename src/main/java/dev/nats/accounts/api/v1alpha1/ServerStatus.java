package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One resolver endpoint of an Operator, as last seen by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerStatus {

  @JsonPropertyDescription("Server URL from spec.servers.")
  private String url;

  @JsonPropertyDescription("Whether the system user connection to this server is up.")
  private Boolean connected;

  @JsonPropertyDescription("Server ID (N...) reported by the server.")
  private String serverId;

  @JsonPropertyDescription("nats-server version reported by the server.")
  private String version;

  @JsonPropertyDescription("Time of the last acknowledged push (RFC 3339).")
  private String lastPush;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public Boolean getConnected() {
    return connected;
  }

  public void setConnected(Boolean connected) {
    this.connected = connected;
  }

  public String getServerId() {
    return serverId;
  }

  public void setServerId(String serverId) {
    this.serverId = serverId;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }

  public String getLastPush() {
    return lastPush;
  }

  public void setLastPush(String lastPush) {
    this.lastPush = lastPush;
  }
}
