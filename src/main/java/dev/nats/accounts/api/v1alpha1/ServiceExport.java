package dev.nats.accounts.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A service export of an Account; private exports hand out activation tokens to their grants. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Plural("serviceexports")
@ShortNames({"natssvcexp", "svcexport"})
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Subject",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.subject")
@AdditionalPrinterColumn(
    name = "Private",
    type = AdditionalPrinterColumn.Type.BOOLEAN,
    jsonPath = ".spec.private")
@AdditionalPrinterColumn(
    name = "Account Key",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.accountPublicKey",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class ServiceExport extends CustomResource<ServiceExportSpec, ServiceExportStatus>
    implements Namespaced {

  @Override
  protected ServiceExportSpec initSpec() {
    return new ServiceExportSpec();
  }
}
