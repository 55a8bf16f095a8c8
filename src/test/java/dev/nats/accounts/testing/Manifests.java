package dev.nats.accounts.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ApiGroup;
import dev.nats.accounts.api.v1alpha1.Operator;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.ServiceImport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.api.v1alpha1.StreamImport;
import dev.nats.accounts.api.v1alpha1.User;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads multi-document YAML manifests and binds our kinds strictly (an unknown field is an error).
 */
public final class Manifests {
  /** Every kind of the API and its class. */
  public static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS =
      Map.of(
          "Operator", Operator.class,
          "Account", Account.class,
          "User", User.class,
          "ServiceExport", ServiceExport.class,
          "StreamExport", StreamExport.class,
          "ServiceImport", ServiceImport.class,
          "StreamImport", StreamImport.class);

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Manifests() {}

  /** The documents of a YAML file (empty documents skipped). */
  public static List<JsonNode> documents(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return documents(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The documents of a classpath resource next to {@code anchor}. */
  public static List<JsonNode> resource(Class<?> anchor, String name) {
    URL url = anchor.getResource(name);
    if (url == null) {
      throw new IllegalArgumentException("no resource " + name + " next to " + anchor.getName());
    }
    try (InputStream in = url.openStream()) {
      return documents(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    }
  }

  private static List<JsonNode> documents(InputStream in) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    for (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(in); it.hasNext(); ) {
      JsonNode doc = it.next();
      if (doc != null && !doc.isNull() && !doc.isEmpty()) {
        docs.add(doc);
      }
    }
    return docs;
  }

  /** True for documents of our API group. */
  public static boolean ours(JsonNode doc) {
    return doc.path("apiVersion").asText().startsWith(ApiGroup.GROUP + "/");
  }

  /**
   * Binds a document to its class, failing on unknown properties anywhere below spec and status.
   *
   * @throws IOException when a field is unknown or has the wrong shape
   */
  public static CustomResource<?, ?> bind(JsonNode doc) throws IOException {
    Class<? extends CustomResource<?, ?>> type = KINDS.get(doc.path("kind").asText());
    if (type == null) {
      throw new IllegalArgumentException(
          "not a kind of " + ApiGroup.GROUP + ": " + doc.path("kind").asText());
    }
    return STRICT.treeToValue(doc, type);
  }

  /** A resource as a JSON tree, the way the API server would store it. */
  public static JsonNode tree(Object resource) {
    return STRICT.valueToTree(resource);
  }
}
