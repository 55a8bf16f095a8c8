package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Allow and deny lists of subjects for one direction (publish or subscribe).
 *
 * <p>Items may carry a queue group after one space ({@code "subject queue"}); that is only
 * meaningful for subscribe, and {@link Permissions} refuses it for publish with a CEL rule.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Permission {

  @JsonPropertyDescription("Subjects allowed; wildcards permitted.")
  @Size(max = 256)
  private List<@Pattern(ApiPatterns.SUBJECT_OR_QUEUE) @Size(max = 256) String> allow;

  @JsonPropertyDescription("Subjects denied; wildcards permitted.")
  @Size(max = 256)
  private List<@Pattern(ApiPatterns.SUBJECT_OR_QUEUE) @Size(max = 256) String> deny;

  public List<String> getAllow() {
    return allow;
  }

  public void setAllow(List<String> allow) {
    this.allow = allow;
  }

  public List<String> getDeny() {
    return deny;
  }

  public void setDeny(List<String> deny) {
    this.deny = deny;
  }
}
