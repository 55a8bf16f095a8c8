package dev.nats.accounts.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A service import of an Account from an export in this cluster or elsewhere. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Plural("serviceimports")
@ShortNames({"natssvcimp", "svcimport"})
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Subject",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.subject")
@AdditionalPrinterColumn(
    name = "Exporter Key",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.exporterPublicKey")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class ServiceImport extends CustomResource<ServiceImportSpec, ServiceImportStatus>
    implements Namespaced {

  @Override
  protected ServiceImportSpec initSpec() {
    return new ServiceImportSpec();
  }
}
