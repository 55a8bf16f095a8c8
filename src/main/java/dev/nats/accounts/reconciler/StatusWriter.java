package dev.nats.accounts.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.nats.accounts.api.v1alpha1.BaseStatus;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * last wrote (or, before any write, what it read).
 */
public final class StatusWriter implements ResourceMemory {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

  private final KubernetesClient client;
  private final OperatorMetrics metrics;
  private final Map<String, String> lastWritten = new ConcurrentHashMap<>();

  public StatusWriter(KubernetesClient client, OperatorMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  /**
   * Writes {@code resource}'s status unless unchanged; returns the JOSDK control to pass on (never
   * a JOSDK status patch).
   */
  public <R extends CustomResource<?, ?>> UpdateControl<R> write(R resource, Object statusAsRead) {
    String uid = resource.getMetadata().getUid();
    String desired = json(resource.getStatus());
    String known = lastWritten.getOrDefault(uid, json(statusAsRead));
    if (!desired.equals(known)) {
      String patch =
          json(List.of(Map.of("op", "add", "path", "/status", "value", resource.getStatus())));
      // Addressed through the resource itself: fabric8 reads a resource addressed by name from
      // the server before patching it (one GET per write, for nothing a JSON patch needs).
      client.resource(resource).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
      lastWritten.put(uid, desired);
      counted(resource);
    }
    return UpdateControl.noUpdate();
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
