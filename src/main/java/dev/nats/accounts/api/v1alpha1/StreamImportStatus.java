package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Observed state of a StreamImport. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamImportStatus extends ImportStatus {}
