package dev.nats.accounts.informers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserSequence;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Kubernetes client's serialization, with watch events read in one pass. Every write anyone
 * makes to a watched object reaches the operator as a watch event, and fabric8 decodes each in
 * three steps: the whole event into a tree of nodes (to find the object's kind), the tree into a
 * {@code GenericKubernetesResource} for a kind it does not know (ours: nothing registers custom
 * resource classes), and that into our class. It also builds {@code metadata.managedFields}, about
 * a third of an object's JSON, which the caches drop at once ({@link CachedCopies}). bench/scale
 * measured watch decoding at a tenth to an eighth of the operator's sampled CPU; one pass takes 0.4
 * to 0.5 of fabric8's CPU per event (bench/run-watch-decoding.sh).
 *
 * <p>Here the event is read straight into its class: the API server writes an object's {@code
 * apiVersion} and {@code kind} before its other fields (Go's encoder puts a typed object's type
 * first and sorts an unstructured object's keys), so two fields name the class and the rest is read
 * in the same pass, the managed fields skipped. Anything else (another order, a kind with no
 * registered class, an unexpected field) is handed to fabric8's own path, which decodes every shape
 * it did before. Our kinds are also registered with fabric8's deserializer, so that path and every
 * other read of a mixed list produce our classes directly.
 */
public final class WatchEventSerialization extends KubernetesSerialization {
  private final ObjectMapper watchMapper;
  private final Map<Class<?>, ObjectReader> readers = new ConcurrentHashMap<>();
  private final LongAdder inOnePass = new LongAdder();
  private final LongAdder handedOn = new LongAdder();

  /** Ignores {@code metadata.managedFields} on reading: only the watch's own mapper mixes it in. */
  @JsonIgnoreProperties(value = "managedFields", allowGetters = true)
  private interface WithoutManagedFields {}

  public WatchEventSerialization(List<Class<? extends HasMetadata>> kinds) {
    this(new ObjectMapper(), kinds);
  }

  private WatchEventSerialization(ObjectMapper mapper, List<Class<? extends HasMetadata>> kinds) {
    super(mapper, true);
    // A copy after the client's configuration (its modules, fabric8's handler instantiator), with
    // the one difference.
    this.watchMapper = mapper.copy().addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    kinds.forEach(this::registerKubernetesResource);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T unmarshal(String str, Class<T> type) {
    if (type == WatchEvent.class) {
      WatchEvent event = readWatchEvent(str);
      if (event != null) {
        inOnePass.increment();
        return (T) event;
      }
      handedOn.increment();
    }
    return super.unmarshal(str, type);
  }

  /**
   * The event read in one pass, or null when it is not the shape the API server writes ({@code
   * type} and an {@code object} led by its {@code apiVersion} and {@code kind}), for fabric8's path
   * to read it instead.
   */
  WatchEvent readWatchEvent(String json) {
    try (JsonParser p = watchMapper.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String type = null;
      KubernetesResource object = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
          type = p.getText();
        } else if ("object".equals(field) && value == JsonToken.START_OBJECT) {
          object = readObject(p);
          if (object == null) {
            return null;
          }
        } else {
          return null;
        }
      }
      if (type == null || object == null || p.currentToken() != JsonToken.END_OBJECT) {
        return null;
      }
      return new WatchEvent(object, type);
    } catch (IOException | RuntimeException e) {
      // fabric8's path reads it again and reports what is wrong with it, as it always has.
      return null;
    }
  }

  /** From the object's START_OBJECT to its END_OBJECT; null if it does not lead with its type. */
  private KubernetesResource readObject(JsonParser p) throws IOException {
    String apiVersion = null;
    String kind = null;
    for (int i = 0; i < 2; i++) {
      if (p.nextToken() != JsonToken.FIELD_NAME) {
        return null;
      }
      String field = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_STRING) {
        return null;
      }
      if ("apiVersion".equals(field) && apiVersion == null) {
        apiVersion = p.getText();
      } else if ("kind".equals(field) && kind == null) {
        kind = p.getText();
      } else {
        return null;
      }
    }
    Class<? extends KubernetesResource> type = getRegisteredKubernetesResource(apiVersion, kind);
    if (type == null) {
      return null;
    }
    TokenBuffer head = new TokenBuffer(p, null);
    head.writeStartObject();
    head.writeStringField("apiVersion", apiVersion);
    head.writeStringField("kind", kind);
    // The two fields already read, then the rest of the object from the event's own parser; reading
    // ends on the object's END_OBJECT, where the event's loop goes on.
    JsonParser object = JsonParserSequence.createFlattened(false, head.asParser(p), p);
    return reader(type).readValue(object);
  }

  /** Watch events read in one pass (a real API server's test checks that all of them are). */
  public long watchEventsReadInOnePass() {
    return inOnePass.sum();
  }

  /** Watch events handed to fabric8's own path. */
  public long watchEventsHandedOn() {
    return handedOn.sum();
  }

  private ObjectReader reader(Class<?> type) {
    return readers.computeIfAbsent(type, watchMapper::readerFor);
  }
}
