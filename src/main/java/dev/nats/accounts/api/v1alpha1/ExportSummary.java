package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An export as held in the signed account JWT. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExportSummary {

  @JsonPropertyDescription("Export name in the JWT.")
  private String name;

  @JsonPropertyDescription("Exported subject.")
  private String subject;

  @JsonPropertyDescription("service or stream.")
  private String type;

  @JsonPropertyDescription("Whether importers need an activation token.")
  @JsonProperty("private")
  private Boolean privateExport;

  @JsonPropertyDescription("The export resource this came from, as namespace/name.")
  private String from;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  @JsonProperty("private")
  public Boolean getPrivate() {
    return privateExport;
  }

  @JsonProperty("private")
  public void setPrivate(Boolean privateExport) {
    this.privateExport = privateExport;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }
}
