package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Desired state of a StreamExport: a stream (publish/subscribe) export of an account. Unlike
 * ServiceExport it has no response or latency fields.
 */
@ValidationRule(
    value = "!has(self.grants) || size(self.grants) == 0 || (has(self.private) && self.private)",
    message = "grants need private: true (a public export needs no activation tokens)")
@ValidationRule(
    value =
        "!has(self.accountTokenPosition) || self.accountTokenPosition == 0 || self.subject.contains('*')",
    message = "accountTokenPosition needs a * token in subject")
@ValidationRule(
    value = "self.accountRef == oldSelf.accountRef",
    message = "accountRef is immutable: create a new export instead")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamExportSpec extends ExportSpec {}
