package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Status fields shared by ServiceImport and StreamImport. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ImportStatus extends BaseStatus {

  @JsonPropertyDescription("Public key of the exporting account.")
  private String exporterPublicKey;

  @JsonPropertyDescription("Exporter-side subject in the JWT import.")
  private String subject;

  @JsonPropertyDescription("Local subject in the JWT import, if any.")
  private String localSubject;

  @JsonPropertyDescription("jti of the activation token placed in the import, if private.")
  private String activationHashId;

  public String getExporterPublicKey() {
    return exporterPublicKey;
  }

  public void setExporterPublicKey(String exporterPublicKey) {
    this.exporterPublicKey = exporterPublicKey;
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

  public String getActivationHashId() {
    return activationHashId;
  }

  public void setActivationHashId(String activationHashId) {
    this.activationHashId = activationHashId;
  }
}
