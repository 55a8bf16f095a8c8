package dev.nats.accounts.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed CRDs (crds/*.yaml) for tests. Tests register these rather than the freshly
 * generated ones so that they exercise exactly what users install; CrdDriftTest keeps the two
 * identical.
 */
public final class Crds {
  private Crds() {}

  /**
   * Creates every CRD from crds/ on the given (mock) client. Register before creating custom
   * resources: the CRUD mock only gives {@code /status} its subresource semantics (status-only
   * writes, generation bumps on spec changes) for resources whose CRD it knows.
   */
  public static void register(KubernetesClient client) {
    for (CustomResourceDefinition crd : load()) {
      var existing =
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName());
      if (existing.get()
          == null) { // a real API server has them already (ApiServerExtension installs them)
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
  }

  /** Every CRD in crds/, sorted by file name. */
  public static List<CustomResourceDefinition> load() {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (Path file : files()) {
      try (InputStream in = Files.newInputStream(file)) {
        crds.add(serialization.unmarshal(in, CustomResourceDefinition.class));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return crds;
  }

  /** The crds/*.yaml files, sorted by name. */
  public static List<Path> files() {
    try (Stream<Path> list = Files.list(directory())) {
      List<Path> files =
          list.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalStateException("no CRDs in " + directory() + "; run scripts/update-crds");
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * crds/ of the project, found from the working directory upwards (tests may run from a
   * sub-module).
   */
  public static Path directory() {
    return projectRoot().resolve("crds");
  }

  /** The directory holding pom.xml and crds/. */
  public static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("crds")) && Files.isRegularFile(d.resolve("pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no crds/ directory next to a pom.xml above " + dir);
  }
}
