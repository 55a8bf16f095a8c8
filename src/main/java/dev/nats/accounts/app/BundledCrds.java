package dev.nats.accounts.app;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CRDs this build was made with: the committed crds/ (generated, plus CrdFinish's bounds),
 * copied into the jar by the build. They are what the start-up check compares the served CRDs with
 * and what {@code crds} prints, so a user installs exactly the schema this jar's reconcilers
 * expect.
 */
public final class BundledCrds {
  static final String DIRECTORY = "/META-INF/nats-account-operator/crds/";

  /** The kinds the operator reconciles (one CRD each). */
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(
          Operator.class,
          Account.class,
          User.class,
          ServiceExport.class,
          ServiceImport.class,
          StreamExport.class,
          StreamImport.class);

  private BundledCrds() {}

  /** {@code <plural>.<group>}, the CRD's name, e.g. accounts.accounts.nats.dev. */
  public static List<String> names() {
    return KINDS.stream().map(HasMetadata::getFullResourceName).toList();
  }

  /** The CRD's YAML as it is in crds/. */
  public static String yaml(String name) {
    try (InputStream in = BundledCrds.class.getResourceAsStream(DIRECTORY + name + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException(
            "the jar holds no CRD "
                + name
                + " under "
                + DIRECTORY
                + " (built without the crds/ resources?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every bundled CRD as one multi-document YAML stream, ready for {@code kubectl apply -f -}. */
  public static String allYaml() {
    StringBuilder out = new StringBuilder();
    for (String name : names()) {
      String yaml = yaml(name);
      if (!yaml.startsWith("---")) {
        out.append("---\n");
      }
      out.append(yaml);
      if (!yaml.endsWith("\n")) {
        out.append('\n');
      }
    }
    return out.toString();
  }
}
