package dev.nats.accounts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Observed state of a ServiceExport. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceExportStatus extends ExportStatus {}
