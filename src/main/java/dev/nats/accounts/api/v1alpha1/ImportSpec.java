package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Fields shared by ServiceImport and StreamImport. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ImportSpec {

  @JsonPropertyDescription("The importing Account, same namespace; immutable.")
  @Required
  private LocalObjectRef accountRef;

  @JsonPropertyDescription("The export to import.")
  @Required
  private ImportSource from;

  @JsonPropertyDescription(
      "Exporter-side subject to import; default the grant subject (private) or the export subject (public).")
  @Pattern(ApiPatterns.SUBJECT)
  @Size(max = 256)
  private String subject;

  @JsonPropertyDescription(
      "Subject this account's clients use (nsc --local-subject); may use $1..$n.")
  @Pattern(ApiPatterns.SUBJECT)
  @Size(max = 256)
  private String localSubject;

  public LocalObjectRef getAccountRef() {
    return accountRef;
  }

  public void setAccountRef(LocalObjectRef accountRef) {
    this.accountRef = accountRef;
  }

  public ImportSource getFrom() {
    return from;
  }

  public void setFrom(ImportSource from) {
    this.from = from;
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
}
