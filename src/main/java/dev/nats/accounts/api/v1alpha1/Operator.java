package dev.nats.accounts.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Trust root of one NATS deployment: operator key, signing keys, system account, the servers to
 * push to and the server configuration fragment.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Plural("operators")
@ShortNames({"natsop", "natsoperator"})
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Connected",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Connected\")].status")
@AdditionalPrinterColumn(
    name = "Public Key",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.publicKey")
@AdditionalPrinterColumn(
    name = "Rotation",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.signingKeyRotation.phase")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class Operator extends CustomResource<OperatorSpec, OperatorStatus> implements Namespaced {

  @Override
  protected OperatorSpec initSpec() {
    return new OperatorSpec();
  }
}
