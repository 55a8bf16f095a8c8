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
 * A NATS account: its key, signing keys and the one JWT that gathers limits, exports, imports and
 * revocations.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Plural("accounts")
@ShortNames({"natsacct", "natsaccount"})
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Public Key",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.publicKey")
@AdditionalPrinterColumn(
    name = "Exports",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.exportCount")
@AdditionalPrinterColumn(
    name = "Imports",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.importCount")
@AdditionalPrinterColumn(
    name = "Servers",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.servers")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class Account extends CustomResource<AccountSpec, AccountStatus> implements Namespaced {

  @Override
  protected AccountSpec initSpec() {
    return new AccountSpec();
  }
}
