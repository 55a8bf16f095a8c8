package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Observed state of a ServiceImport. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceImportStatus extends ImportStatus {}
