package dev.nats.accounts.reconciler;

import dev.nats.accounts.api.v1alpha1.BaseStatus;
import dev.nats.accounts.metrics.OperatorMetrics;
import dev.nats.accounts.status.ConditionType;
import dev.nats.accounts.status.Conditions;
import dev.nats.accounts.status.EventRecorder;
import dev.nats.accounts.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a reconcile ends, for every kind: Ready and observedGeneration set, a Warning Event
 * when Ready is False, the status written once if it changed. A returned failure (a reference that
 * does not resolve) and a thrown one ({@link #error}, JOSDK's error status handling) look the same
 * to the user, so there is no failure that only shows up as a log line and a retry loop.
 */
public final class StatusReporter implements ResourceMemory {
  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

  private final Conditions conditions;
  private final EventRecorder events;
  private final StatusWriter statuses;
  private final OperatorMetrics metrics;
  private final Duration resync;
  private final PendingHold hold;

  public StatusReporter(
      Conditions conditions,
      EventRecorder events,
      StatusWriter statuses,
      OperatorMetrics metrics,
      Duration resync,
      PendingHold hold) {
    this.conditions = conditions;
    this.events = events;
    this.statuses = statuses;
    this.metrics = metrics;
    this.resync = resync;
    this.hold = hold;
  }

  public EventRecorder events() {
    return events;
  }

  /** The status last written for the resource by this process (see {@link StatusWriter}). */
  public <S extends BaseStatus> Optional<S> lastWritten(HasMetadata r, Class<S> type) {
    return statuses.lastWritten(r.getMetadata().getUid(), type);
  }

  /** Sets condition {@code type} on the resource's status for its current generation. */
  public void set(
      CustomResource<?, ? extends BaseStatus> r,
      ConditionType type,
      String status,
      Reason reason,
      String message) {
    BaseStatus st = r.getStatus();
    st.setConditions(
        conditions.set(st.getConditions(), type, status, reason, message, generation(r)));
  }

  /** Ready=True: the resource is what its spec asks for; checked again after {@code next}. */
  public <R extends CustomResource<?, ? extends BaseStatus>> UpdateControl<R> ready(
      R r, Object before, Duration next) {
    return finish(r, before, Conditions.TRUE, Reason.RECONCILED, "", next);
  }

  /**
   * Ready=Unknown, reason Pending: waiting on something else that is on its way; no Event. The
   * first such status of a new resource is held back a little when its only news is conditions
   * ({@link PendingHold}): the wait usually ends before, and then one write says Ready instead of
   * two.
   */
  public <R extends CustomResource<?, ? extends BaseStatus>> UpdateControl<R> pending(
      R r, Object before, String message, Duration retry) {
    return pending(r, before, message, retry, Set.of());
  }

  /**
   * As {@link #pending(CustomResource, Object, String, Duration)}, the first status held also when
   * it adds {@code unread} status fields, which no other reconciler reads (an export's {@code
   * accountPublicKey}, shown for people).
   */
  public <R extends CustomResource<?, ? extends BaseStatus>> UpdateControl<R> pending(
      R r, Object before, String message, Duration retry, Set<String> unread) {
    readyAs(r, Conditions.UNKNOWN, Reason.PENDING, message);
    return heldBack(r, retry, statuses.onlyFirstConditionsNew(r, before, unread))
        .orElseGet(() -> done(r, before, retry));
  }

  /**
   * As {@link #pending(CustomResource, Object, String, Duration)}, for a status whose news besides
   * its conditions no other reconciler reads (an import's resolution: its Account resolves its
   * imports itself; a User's issued creds: its cleanup publishes the key before the Account needs
   * it), so its first one may be held back as well.
   */
  public <R extends CustomResource<?, ? extends BaseStatus>> UpdateControl<R> pendingUnread(
      R r, Object before, String message, Duration retry) {
    readyAs(r, Conditions.UNKNOWN, Reason.PENDING, message);
    return heldBack(r, retry, statuses.neverShownReady(r, before))
        .orElseGet(() -> done(r, before, retry));
  }

  /**
   * Ready=False with a Warning Event (one per distinct message, not one per reconcile). A new
   * resource's first status that only says a reference is missing is held back like a wait ({@link
   * PendingHold}), its Event too: in a batch apply the object referenced usually comes a moment
   * later. One that stays missing is reported when the hold ends.
   */
  public <R extends CustomResource<?, ? extends BaseStatus>> UpdateControl<R> failed(
      R r, Object before, Reason reason, String message, Duration retry) {
    if (reason.missingReference()) {
      readyAs(r, Conditions.FALSE, reason, message);
      Optional<UpdateControl<R>> held =
          heldBack(r, retry, statuses.onlyFirstConditionsNew(r, before));
      if (held.isPresent()) {
        return held.get();
      }
    }
    return finish(r, before, Conditions.FALSE, reason, message, retry);
  }

  /** Ready as given, for the resource's generation, before deciding whether to write it. */
  private void readyAs(
      CustomResource<?, ? extends BaseStatus> r, String ready, Reason reason, String message) {
    set(r, ConditionType.READY, ready, reason, message);
    r.getStatus().setObservedGeneration(generation(r));
  }

  /**
   * No write, and a look again within the hold, when the status may be held and its hold has time
   * left; empty: write it.
   */
  private <R extends CustomResource<?, ? extends BaseStatus>> Optional<UpdateControl<R>> heldBack(
      R r, Duration retry, boolean holdable) {
    if (!holdable) {
      return Optional.empty();
    }
    Optional<Condition> ready = Conditions.find(r.getStatus().getConditions(), ConditionType.READY);
    return hold.remaining(
            r.getMetadata().getUid(),
            ready.map(c -> c.getReason() + ": " + c.getMessage()).orElse(""))
        .map(
            left ->
                UpdateControl.<R>noUpdate()
                    .rescheduleAfter(left.compareTo(retry) < 0 ? left : retry));
  }

  /**
   * As {@link #failed(CustomResource, Object, Reason, String, Duration)}, and condition {@code
   * also} False too.
   */
  public <R extends CustomResource<?, ? extends BaseStatus>> UpdateControl<R> failed(
      R r, Object before, ConditionType also, Reason reason, String message, Duration retry) {
    set(r, also, Conditions.FALSE, reason, message);
    return failed(r, before, reason, message, retry);
  }

  /**
   * Ready as given; a False one also becomes a Warning Event. The status is written only when it
   * differs from what was read (or last written), so a resync that finds nothing new writes
   * nothing.
   */
  public <R extends CustomResource<?, ? extends BaseStatus>> UpdateControl<R> finish(
      R r, Object before, String ready, Reason reason, String message, Duration next) {
    set(r, ConditionType.READY, ready, reason, message);
    if (Conditions.FALSE.equals(ready)) {
      events.recordOnChange(r, EventRecorder.WARNING, reason, message);
    }
    return done(r, before, next);
  }

  /**
   * Writes the status as the caller set it (Ready included), for this generation.
   *
   * @param next when to look again; null: only on the next event
   */
  public <R extends CustomResource<?, ? extends BaseStatus>> UpdateControl<R> done(
      R r, Object before, Duration next) {
    r.getStatus().setObservedGeneration(generation(r));
    UpdateControl<R> control = statuses.write(r, before);
    hold.released(r.getMetadata().getUid());
    return next == null ? control : control.rescheduleAfter(next);
  }

  /**
   * The resource's status, made first if it has none yet (a new resource), so every step can fill
   * it in.
   */
  public <S extends BaseStatus, R extends CustomResource<?, S>> S statusOf(R r, Supplier<S> fresh) {
    if (r.getStatus() == null) {
      r.setStatus(fresh.get());
    }
    return r.getStatus();
  }

  /**
   * As {@link #error(CustomResource, Context, Exception)}, for a resource whose status may not
   * exist yet.
   */
  public <S extends BaseStatus, R extends CustomResource<?, S>> ErrorStatusUpdateControl<R> error(
      R r, Supplier<S> fresh, Context<R> context, Exception e) {
    statusOf(r, fresh);
    return error(r, context, e);
  }

  /**
   * JOSDK's error status handling: the exception becomes Ready=False with its reason and a Warning
   * Event, and the rest of the status (an Account's last good JWT, keys already published) stays as
   * it was. A permanent failure is not retried: it waits for a change, or the resync. A transient
   * one (the API server, a bug) gets JOSDK's bounded retries with backoff, then the resync.
   *
   * @param r the resource as the failed reconcile left it, with a status
   */
  public <R extends CustomResource<?, ? extends BaseStatus>> ErrorStatusUpdateControl<R> error(
      R r, Context<R> context, Exception e) {
    Failure f = report(r, e, "");
    // No retry info is the first attempt: JOSDK retries it when a retry is configured (it is, by
    // default).
    boolean lastAttempt = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(false);
    if (f.permanent() || lastAttempt) {
      return ErrorStatusUpdateControl.<R>noStatusUpdate().withNoRetry().rescheduleAfter(resync);
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * A cleanup (finalizer) that failed, e.g. a 409 deleting a Secret: reported like a failed
   * reconcile (JOSDK has no error status hook for cleanups, it would only log it), the finalizer
   * kept, and the cleanup tried again.
   */
  public <S extends BaseStatus, R extends CustomResource<?, S>>
      io.javaoperatorsdk.operator.api.reconciler.DeleteControl cleanupFailed(
          R r, Supplier<S> fresh, Exception e) {
    statusOf(r, fresh);
    return cleanupFailed(r, e);
  }

  /** As {@link #cleanupFailed(CustomResource, Supplier, Exception)}, the status already there. */
  public <R extends CustomResource<?, ? extends BaseStatus>>
      io.javaoperatorsdk.operator.api.reconciler.DeleteControl cleanupFailed(R r, Exception e) {
    Failure f = report(r, e, "while deleting: ");
    return io.javaoperatorsdk.operator.api.reconciler.DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(f.permanent() ? resync : CLEANUP_RETRY);
  }

  /** How soon a failed cleanup is tried again. */
  static final java.time.Duration CLEANUP_RETRY = java.time.Duration.ofSeconds(2);

  /** Ready=False with the failure's reason, a Warning Event, the error counted; never throws. */
  private <R extends CustomResource<?, ? extends BaseStatus>> Failure report(
      R r, Exception e, String during) {
    Failure f = Failure.of(e);
    String message = during + f.message();
    metrics.reconcileFailed(r.getKind(), f.reason().value(), e);
    LOG.warn("{} {}: {} ({})", r.getKind(), Names.ref(r), message, f.reason());
    try {
      set(r, ConditionType.READY, Conditions.FALSE, f.reason(), message);
      r.getStatus().setObservedGeneration(generation(r));
      events.recordOnChange(r, EventRecorder.WARNING, f.reason(), message);
      statuses.write(r, null);
    } catch (RuntimeException ex) {
      LOG.warn(
          "{} {}: could not report {}: {}", r.getKind(), Names.ref(r), f.reason(), ex.getMessage());
    }
    return f;
  }

  /** Drops what is remembered about a deleted resource's status and Events. */
  @Override
  public void forget(String uid) {
    events.forget(uid);
    statuses.forget(uid);
    hold.forget(uid);
  }

  @Override
  public Set<String> remembered() {
    Set<String> out = new HashSet<>(events.remembered());
    out.addAll(statuses.remembered());
    out.addAll(hold.remembered());
    return out;
  }

  public static long generation(HasMetadata r) {
    return r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
  }
}
