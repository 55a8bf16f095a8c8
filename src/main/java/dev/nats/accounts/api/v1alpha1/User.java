package dev.nats.accounts.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A NATS user of an Account: user key, JWT and a creds Secret. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Plural("users")
@ShortNames({"natsuser"})
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Account",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.accountRef.name")
@AdditionalPrinterColumn(
    name = "Public Key",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.publicKey")
@AdditionalPrinterColumn(
    name = "Expires",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".status.expiresAt",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class User extends CustomResource<UserSpec, UserStatus> implements Namespaced {

  @Override
  protected UserSpec initSpec() {
    return new UserSpec();
  }
}
