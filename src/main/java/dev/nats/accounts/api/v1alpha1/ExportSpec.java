package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Fields shared by ServiceExport and StreamExport. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ExportSpec {

  @JsonPropertyDescription("The exporting Account, same namespace; immutable.")
  @Required
  private LocalObjectRef accountRef;

  @JsonPropertyDescription("Exported subject; may hold wildcards.")
  @Required
  @Pattern(ApiPatterns.SUBJECT)
  @Size(max = 256)
  private String subject;

  @JsonPropertyDescription("Importers need an activation token (nsc --private).")
  @JsonProperty("private")
  private Boolean privateExport;

  @JsonPropertyDescription(
      "1-based subject token that must equal the importer account key; 0 or absent for none.")
  @Min(0)
  @Max(128)
  private Integer accountTokenPosition;

  @JsonPropertyDescription("Advertise the export to other accounts.")
  private Boolean advertise;

  @JsonPropertyDescription("Free text description, copied into the JWT.")
  @Size(max = 8192)
  private String description;

  @JsonPropertyDescription("Link to more information, copied into the JWT.")
  @Pattern(ApiPatterns.URL)
  @Size(max = 2048)
  private String infoURL;

  @JsonPropertyDescription("Private exports: who may import; each grant gets an activation token.")
  @Size(max = 512)
  private List<Grant> grants;

  public LocalObjectRef getAccountRef() {
    return accountRef;
  }

  public void setAccountRef(LocalObjectRef accountRef) {
    this.accountRef = accountRef;
  }

  public String getSubject() {
    return subject;
  }

  public void setSubject(String subject) {
    this.subject = subject;
  }

  @JsonProperty("private")
  public Boolean getPrivate() {
    return privateExport;
  }

  @JsonProperty("private")
  public void setPrivate(Boolean privateExport) {
    this.privateExport = privateExport;
  }

  public Integer getAccountTokenPosition() {
    return accountTokenPosition;
  }

  public void setAccountTokenPosition(Integer accountTokenPosition) {
    this.accountTokenPosition = accountTokenPosition;
  }

  public Boolean getAdvertise() {
    return advertise;
  }

  public void setAdvertise(Boolean advertise) {
    this.advertise = advertise;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getInfoURL() {
    return infoURL;
  }

  public void setInfoURL(String infoURL) {
    this.infoURL = infoURL;
  }

  public List<Grant> getGrants() {
    return grants;
  }

  public void setGrants(List<Grant> grants) {
    this.grants = grants;
  }
}
