package dev.nats.accounts.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Removes a controller's finalizer at the end of its cleanup, instead of JOSDK.
 *
 * <p>JOSDK 5.2 removes it with a JSON patch diffed from the cached copy the cleanup started with.
 * That copy is often a moment old (our own status write, not yet seen by the informer), so the
 * patch gets a 409; JOSDK then reads the object again but still diffs from the old copy, and the
 * patch addresses status list entries that are no longer there: a real API server refuses it ten
 * times before JOSDK backs off, the fabric8 mock never answers it at all. Deleting an Account with
 * its export held the Account over a minute in 3 of 40 runs (DurableGrantRevocationsTest). A patch
 * of the finalizer list alone, conditional on the resourceVersion it was computed from, has no
 * stale path to address: after a 409 it is computed again from the object read back.
 */
public final class Finalizers {
  /** Conflicts before the cleanup fails and is tried again (a condition and a Warning Event). */
  static final int ATTEMPTS = 5;

  /** How long a released resource may take to show in the controller's cache without it. */
  static final Duration SEEN_WAIT = Duration.ofSeconds(5);

  private Finalizers() {}

  /**
   * Removes the controller's finalizer from {@code resource}, and returns once the controller's
   * cache no longer shows it. JOSDK marks a resource whose finalizer it removed itself so that it
   * never runs the cleanup again; for ours, an event that arrived meanwhile runs the cleanup once
   * more unless the cache shows the finalizer gone (a Delete-policy Account would be deleted from
   * the resolvers a second time). JOSDK's cache takes the API server's answer at once when it
   * extends the copy the cache holds, as after JOSDK's own removal; after a conflict it does not,
   * and the informer's event is awaited (briefly: a watch event's latency).
   */
  public static <R extends HasMetadata> DeleteControl release(R resource, Context<R> context) {
    String finalizer = context.getControllerConfiguration().getFinalizerName();
    ResourceID id = ResourceID.fromResource(resource);
    remove(context.getClient(), resource, finalizer)
        .ifPresent(
            patched ->
                context
                    .eventSourceRetriever()
                    .getControllerEventSource()
                    .handleRecentResourceUpdate(id, patched, resource));
    awaitGoneFrom(context.getPrimaryCache()::get, id, finalizer, SEEN_WAIT);
    return DeleteControl.noFinalizerRemoval();
  }

  /** Waits at most {@code wait} for {@code cache} to show {@code id} without the finalizer. */
  static <R extends HasMetadata> void awaitGoneFrom(
      Function<ResourceID, Optional<R>> cache, ResourceID id, String finalizer, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (cache.apply(id).map(r -> r.hasFinalizer(finalizer)).orElse(false)
        && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Removes {@code finalizer} from the object {@code resource} was read from; the object as the
   * patch left it, empty when there was nothing to remove (gone, or without the finalizer).
   */
  @SuppressWarnings("unchecked")
  public static <R extends HasMetadata> Optional<R> remove(
      KubernetesClient client, R resource, String finalizer) {
    Resource<R> live =
        client
            .resources((Class<R>) resource.getClass())
            .inNamespace(resource.getMetadata().getNamespace())
            .withName(resource.getMetadata().getName());
    R current = resource;
    for (int attempt = 1; ; attempt++) {
      Optional<String> patch = removal(current, finalizer);
      if (patch.isEmpty()) {
        return Optional.empty();
      }
      try {
        R answer = live.patch(PatchContext.of(PatchType.JSON), patch.get());
        return Optional.of(answer != null ? answer : without(client, current, finalizer));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return Optional.empty();
        }
        if ((e.getCode() != 409 && e.getCode() != 422) || attempt == ATTEMPTS) {
          throw e;
        }
      }
      current = live.get();
      if (current == null) {
        return Optional.empty();
      }
    }
  }

  /**
   * The object as the patch left it, for an API server that answered it with no object (the fabric8
   * mock, when the patch ended the deletion).
   */
  private static <R extends HasMetadata> R without(
      KubernetesClient client, R current, String finalizer) {
    R copy = client.getKubernetesSerialization().clone(current);
    copy.getMetadata().getFinalizers().removeIf(finalizer::equals);
    return copy;
  }

  /**
   * The JSON patch that sets {@code r}'s finalizers without {@code finalizer}, with {@code r}'s
   * resourceVersion as its precondition (a 409 when the object moved on); empty when {@code r} does
   * not carry it. Both operations are {@code add}, which applies to any object: an operation that
   * does not apply is a 422 on a real API server and a request never answered on the fabric8 mock,
   * which also merges the lists of a JSON merge patch instead of replacing them.
   */
  static Optional<String> removal(HasMetadata r, String finalizer) {
    List<String> finalizers = r.getMetadata().getFinalizers();
    if (finalizers == null || !finalizers.contains(finalizer)) {
      return Optional.empty();
    }
    List<String> left = new ArrayList<>(finalizers);
    left.removeIf(finalizer::equals);
    List<Map<String, Object>> ops =
        List.of(
            add("/metadata/resourceVersion", r.getMetadata().getResourceVersion()),
            add("/metadata/finalizers", left));
    try {
      return Optional.of(Serialization.jsonMapper().writeValueAsString(ops));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a list of strings cannot be written as JSON", e);
    }
  }

  private static Map<String, Object> add(String path, Object value) {
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("op", "add");
    op.put("path", path);
    op.put("value", value);
    return op;
  }
}
