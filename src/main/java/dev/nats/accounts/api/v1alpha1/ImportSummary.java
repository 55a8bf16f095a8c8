package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An import as held in the signed account JWT. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImportSummary {

  @JsonPropertyDescription("Import name in the JWT.")
  private String name;

  @JsonPropertyDescription("Exporter-side subject.")
  private String subject;

  @JsonPropertyDescription("Subject used by this account's clients, if remapped.")
  private String localSubject;

  @JsonPropertyDescription("service or stream.")
  private String type;

  @JsonPropertyDescription("Public key of the exporting account.")
  private String account;

  @JsonPropertyDescription("The import resource this came from, as namespace/name.")
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

  public String getLocalSubject() {
    return localSubject;
  }

  public void setLocalSubject(String localSubject) {
    this.localSubject = localSubject;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getAccount() {
    return account;
  }

  public void setAccount(String account) {
    this.account = account;
  }

  public String getFrom() {
    return from;
  }

  public void setFrom(String from) {
    this.from = from;
  }
}
