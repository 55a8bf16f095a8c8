package dev.nats.accounts.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events. Repeats of the same (object, type, reason, message) bump the count of one
 * Event instead of creating a new one each resync, as kubectl users expect from mature controllers.
 * Event failures are logged, never thrown: an Event is a courtesy, not part of reconciliation.
 */
public final class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;
  private final ConcurrentHashMap<String, String> lastByObject = new ConcurrentHashMap<>();

  public EventRecorder(KubernetesClient client, String component, Clock clock) {
    this.client = client;
    this.component = component;
    this.clock = clock;
  }

  public void normal(HasMetadata obj, Reason reason, String message) {
    record(obj, NORMAL, reason, message);
  }

  public void warning(HasMetadata obj, Reason reason, String message) {
    record(obj, WARNING, reason, message);
  }

  /**
   * Records an event only when it differs from the last one recorded for the object, so a resource
   * stuck in one state produces one Event (with a growing count) rather than one per reconcile.
   */
  public void recordOnChange(HasMetadata obj, String type, Reason reason, String message) {
    String key = objectKey(obj);
    String fingerprint = type + "|" + reason + "|" + message;
    if (fingerprint.equals(lastByObject.put(key, fingerprint))) {
      return;
    }
    record(obj, type, reason, message);
  }

  public void record(HasMetadata obj, String type, Reason reason, String message) {
    try {
      String ns = obj.getMetadata().getNamespace();
      String name =
          (obj.getMetadata().getName()
                  + "."
                  + Integer.toHexString(
                      (obj.getKind() + type + reason.value() + message).hashCode()))
              .toLowerCase(Locale.ROOT);
      String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
      Event event =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(ns)
              .endMetadata()
              .withInvolvedObject(
                  new ObjectReferenceBuilder()
                      .withApiVersion(obj.getApiVersion())
                      .withKind(obj.getKind())
                      .withName(obj.getMetadata().getName())
                      .withNamespace(ns)
                      .withUid(obj.getMetadata().getUid())
                      .withResourceVersion(obj.getMetadata().getResourceVersion())
                      .build())
              .withType(type)
              .withReason(reason.value())
              .withMessage(message)
              .withCount(1)
              .withFirstTimestamp(now)
              .withLastTimestamp(now)
              .withNewSource()
              .withComponent(component)
              .endSource()
              .withReportingComponent(component)
              .build();
      try {
        client.v1().events().inNamespace(ns).resource(event).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // A repeat: most Events are new, so the create comes first and only a repeat reads.
        Event existing = client.v1().events().inNamespace(ns).withName(name).get();
        if (existing == null) {
          throw e;
        }
        existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
        existing.setLastTimestamp(now);
        client.v1().events().inNamespace(ns).resource(existing).update();
      }
    } catch (RuntimeException e) {
      LOG.debug("could not record event {} on {}: {}", reason, objectKey(obj), e.getMessage());
    }
  }

  /** Forgets the last event of a deleted object (by uid) so the map does not grow without bound. */
  public void forget(String uid) {
    lastByObject.remove(uid);
  }

  /** The uids of the objects whose last Event is remembered. */
  public Set<String> remembered() {
    return Set.copyOf(lastByObject.keySet());
  }

  private static String objectKey(HasMetadata obj) {
    String uid = obj.getMetadata().getUid();
    return uid != null
        ? uid
        : obj.getKind()
            + "/"
            + obj.getMetadata().getNamespace()
            + "/"
            + obj.getMetadata().getName();
  }
}
