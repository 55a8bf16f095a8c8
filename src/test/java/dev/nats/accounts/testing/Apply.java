package dev.nats.accounts.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nats.accounts.demo.Demo;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the custom resources of a multi-document YAML text, as {@code kubectl create -f} would: a
 * test reads like the manifests a user writes, and the objects go through the API untyped, so every
 * field is judged by the CRD.
 */
public final class Apply {
  private Apply() {}

  public static List<GenericKubernetesResource> yaml(KubernetesClient client, String yaml) {
    List<GenericKubernetesResource> created = new ArrayList<>();
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("not valid YAML", e);
    }
    for (JsonNode doc : docs) {
      GenericKubernetesResource r =
          Serialization.jsonMapper().convertValue(doc, GenericKubernetesResource.class);
      created.add(
          client
              .genericKubernetesResources(Demo.context(r.getKind()))
              .inNamespace(r.getMetadata().getNamespace())
              .resource(r)
              .create());
    }
    return created;
  }
}
