package dev.nats.accounts.reconciler;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nats.accounts.api.v1alpha1.BaseStatus;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a resource's whole status as one JSON-patch {@code add /status} operation.
 *
 * <p>Why not JOSDK's status patch: without server-side apply it sends a JSON patch diffed against
 * the resource as the reconcile received it. When that copy lags behind the API (our own previous
 * write not yet seen by the informer), the diff addresses list indexes that no longer exist: a real
 * API server answers 422, the fabric8 mock never answers at all. Our reconcilers compute the
 * complete status every time, so replacing it whole is both correct and simpler.
 *
 * <p>Since a stale read must not suppress a needed write either, the last status written per
 * resource is remembered: a write is skipped only when the desired status equals what this process
 * last wrote (or, before any write, what it read). A copy read after that write (a newer
 * resourceVersion) shows what changed the status since, such as someone clearing it, and then what
 * it read is compared instead: the status is written again.
 */
public final class StatusWriter implements ResourceMemory {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  private static final String JSON_PATCH = "application/json-patch+json";

  private final KubernetesClient client;
  private final OperatorMetrics metrics;
  private final Map<String, Written> lastWritten = new ConcurrentHashMap<>();

  /**
   * A status this process wrote, and the resourceVersion the API server gave the object for it (-1
   * when it is not a number: then no copy counts as read after it).
   */
  private record Written(String status, long version) {}

  /** The API server's {@code …/apis/} URL, where every kind of ours is served. */
  private final String apis;

  public StatusWriter(KubernetesClient client, OperatorMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
    String master = client.getMasterUrl().toString();
    this.apis = (master.endsWith("/") ? master : master + "/") + "apis/";
  }

  /**
   * Writes {@code resource}'s status unless unchanged; returns the JOSDK control to pass on (never
   * a JOSDK status patch).
   */
  public <R extends CustomResource<?, ?>> UpdateControl<R> write(R resource, Object statusAsRead) {
    String uid = resource.getMetadata().getUid();
    String desired = json(resource.getStatus());
    String known = trustedWrite(resource).orElseGet(() -> json(statusAsRead));
    if (!desired.equals(known) && !sameButTransitionTimes(desired, known)) {
      String patch = "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + desired + "}]";
      lastWritten.put(uid, new Written(desired, versionIn(patchStatus(resource, patch))));
      counted(resource);
    }
    return UpdateControl.noUpdate();
  }

  /**
   * The status this process last wrote for resource {@code uid}, read as {@code type}; empty before
   * any write. A reconcile may read a copy older than that write (the informer lags), and what the
   * write recorded (a revocation) must not be lost with the copy.
   */
  public <S> Optional<S> lastWritten(String uid, Class<S> type) {
    Written written = lastWritten.get(uid);
    if (written == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Serialization.jsonMapper().readValue(written.status(), type));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a status written here does not read back", e);
    }
  }

  /**
   * The PATCH itself, through the client's own HTTP client (its TLS, credentials, interceptors and
   * retries), its answer read but not decoded. fabric8's typed patch decodes the whole resource the
   * API server answers with (nothing here reads it), builds its URL through regular expressions,
   * and first copies the object it is given or GETs the one it is not: together about 5% of the
   * operator's CPU (bench/README, the seventh session's profile). A failure is the same {@link
   * KubernetesClientException} fabric8 throws: its code and the API server's {@code Status}.
   */
  private String patchStatus(CustomResource<?, ?> resource, String patch) {
    HttpClient http = client.getHttpClient();
    String url = statusUrl(resource);
    HttpRequest.Builder request =
        http.newHttpRequestBuilder().uri(url).method("PATCH", JSON_PATCH, patch);
    int timeout = client.getConfiguration().getRequestTimeout();
    if (timeout > 0) {
      request.timeout(timeout, TimeUnit.MILLISECONDS);
    }
    HttpResponse<String> response;
    try {
      response = http.sendAsync(request.build(), String.class).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KubernetesClientException.launderThrowable(e);
    } catch (ExecutionException e) {
      throw KubernetesClientException.launderThrowable(e.getCause());
    }
    if (!response.isSuccessful()) {
      Status status = statusOf(response);
      throw new KubernetesClientException(
          "Failure executing: PATCH at: " + url + ". Message: " + status.getMessage(),
          response.code(),
          status);
    }
    return response.body();
  }

  /**
   * The status a write is measured against, when it is what this process last wrote: empty before
   * any write, and when {@code resource} was read after that write (then the status as read is).
   */
  private Optional<String> trustedWrite(CustomResource<?, ?> resource) {
    Written written = lastWritten.get(resource.getMetadata().getUid());
    return written == null || readAfter(resource, written)
        ? Optional.empty()
        : Optional.of(written.status());
  }

  /**
   * Whether {@code resource} is a copy of the object newer than our write. resourceVersions are
   * compared as numbers (etcd's revisions, the fabric8 mock's counter); Kubernetes calls them
   * opaque, so one that is not a number never counts as newer, and the last write is trusted.
   */
  private static boolean readAfter(CustomResource<?, ?> resource, Written written) {
    long read = number(resource.getMetadata().getResourceVersion());
    return read >= 0 && written.version() >= 0 && read > written.version();
  }

  private static long number(String resourceVersion) {
    if (resourceVersion == null) {
      return -1;
    }
    try {
      return Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * {@code metadata.resourceVersion} of the object in an answer, read as far as it and no further
   * (the answer is the whole object; nothing else in it is needed); -1 when absent or not a number.
   */
  static long versionIn(String answer) {
    if (answer == null || answer.isEmpty()) {
      return -1;
    }
    try (JsonParser p = Serialization.jsonMapper().getFactory().createParser(answer)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return -1;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!"metadata".equals(field) || value != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          if ("resourceVersion".equals(name)) {
            return number(p.getValueAsString());
          }
          p.skipChildren();
        }
        return -1;
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The API server's answer to a failed request, as fabric8 reads it. */
  private static Status statusOf(HttpResponse<String> response) {
    String body = response.body();
    try {
      Status status = Serialization.jsonMapper().readValue(body, Status.class);
      if (status.getCode() == null) {
        status.setCode(response.code());
      }
      return status;
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return new StatusBuilder().withCode(response.code()).withMessage(body).build();
    }
  }

  /** {@code …/apis/<group>/<version>/namespaces/<ns>/<plural>/<name>/status}. */
  String statusUrl(CustomResource<?, ?> resource) {
    return apis
        + resource.getGroup()
        + "/"
        + resource.getVersion()
        + "/namespaces/"
        + resource.getMetadata().getNamespace()
        + "/"
        + resource.getPlural()
        + "/"
        + resource.getMetadata().getName()
        + "/status";
  }

  /**
   * Whether writing {@code resource}'s status now would only publish conditions, on a resource that
   * has never shown a Ready condition: nothing another reconciler reads would be new (see {@link
   * PendingHold}).
   */
  public boolean onlyFirstConditionsNew(CustomResource<?, ?> resource, Object statusAsRead) {
    return onlyFirstConditionsNew(resource, statusAsRead, Set.of());
  }

  /**
   * As {@link #onlyFirstConditionsNew(CustomResource, Object)}, the {@code unread} status fields
   * left out as well: no other reconciler reads them.
   */
  public boolean onlyFirstConditionsNew(
      CustomResource<?, ?> resource, Object statusAsRead, Set<String> unread) {
    JsonNode known = known(resource, statusAsRead);
    ObjectNode was = withoutConditions(known);
    ObjectNode now =
        withoutConditions(Serialization.jsonMapper().valueToTree(resource.getStatus()));
    was.remove(unread);
    now.remove(unread);
    return !showsReady(known) && was.equals(now);
  }

  /** Whether the resource has never shown a Ready condition (as written here, else as read). */
  public boolean neverShownReady(CustomResource<?, ?> resource, Object statusAsRead) {
    return !showsReady(known(resource, statusAsRead));
  }

  private JsonNode known(CustomResource<?, ?> resource, Object statusAsRead) {
    return trustedWrite(resource)
        .map(StatusWriter::tree)
        .orElseGet(() -> Serialization.jsonMapper().valueToTree(statusAsRead));
  }

  private static boolean showsReady(JsonNode status) {
    if (status != null && status.path("conditions").isArray()) {
      for (JsonNode c : status.path("conditions")) {
        if (ConditionType.READY.value().equals(c.path("type").asText())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A reconcile that read a copy older than our last write (the informer lags) computes the same
   * conditions again, but with new transition times: that says nothing new, and is not written.
   */
  private static boolean sameButTransitionTimes(String desired, String known) {
    return withoutTransitionTimes(tree(desired)).equals(withoutTransitionTimes(tree(known)));
  }

  private static JsonNode withoutTransitionTimes(JsonNode status) {
    if (status != null && status.path("conditions").isArray()) {
      status.path("conditions").forEach(c -> ((ObjectNode) c).remove("lastTransitionTime"));
    }
    return status;
  }

  /** The status's content besides conditions and observedGeneration, empty values left out. */
  private static ObjectNode withoutConditions(JsonNode status) {
    ObjectNode out = Serialization.jsonMapper().createObjectNode();
    if (status != null && status.isObject()) {
      status
          .fields()
          .forEachRemaining(
              f -> {
                JsonNode v = f.getValue();
                boolean empty = v.isNull() || (v.isContainerNode() && v.isEmpty());
                if (!empty
                    && !f.getKey().equals("conditions")
                    && !f.getKey().equals("observedGeneration")) {
                  out.set(f.getKey(), v);
                }
              });
    }
    return out;
  }

  private static JsonNode tree(String json) {
    try {
      return Serialization.jsonMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a status written cannot be read back", e);
    }
  }

  /**
   * Status writes are most of the operator's API traffic, so they are counted by kind and Ready
   * reason: a reason that is written far more often than its kind has resources shows a status that
   * goes back and forth.
   */
  private void counted(CustomResource<?, ?> resource) {
    Optional<Condition> ready =
        resource.getStatus() instanceof BaseStatus b
            ? Conditions.find(b.getConditions(), ConditionType.READY)
            : Optional.empty();
    metrics.statusWritten(resource.getKind(), ready.map(Condition::getReason).orElse("None"));
    LOG.debug(
        "status of {} {} written: Ready {} {}",
        resource.getKind(),
        Names.ref(resource),
        ready.map(Condition::getReason).orElse("None"),
        ready.map(Condition::getMessage).orElse(""));
  }

  @Override
  public void forget(String uid) {
    lastWritten.remove(uid);
  }

  @Override
  public Set<String> remembered() {
    return Set.copyOf(lastWritten.keySet());
  }

  private static String json(Object o) {
    try {
      return Serialization.jsonMapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("status cannot be serialised", e);
    }
  }
}
