package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Desired state of a StreamImport; localSubject maps the stream into this account's subject space.
 */
@ValidationRule(
    value = "self.accountRef == oldSelf.accountRef",
    message = "accountRef is immutable: create a new import instead")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamImportSpec extends ImportSpec {}
