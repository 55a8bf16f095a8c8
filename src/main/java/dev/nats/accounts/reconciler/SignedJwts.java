package dev.nats.accounts.reconciler;

import dev.nats.accounts.jwt.IssuedAt;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * Decides whether to sign, and with which iat. The status in an informer cache can lag behind the
 * status this process just wrote (a reconcile triggered by our own Secret write sees the old
 * resource), so the last JWT signed per resource is also kept here: a stale read neither re-signs
 * identical claims nor lets iat go backwards, which the resolver would not catch (it stores an
 * older JWT without complaint).
 */
public final class SignedJwts implements ResourceMemory {
  /** A JWT with the claims hash it was signed for; {@code fresh} when signed by this call. */
  public record Signed(String hash, String jwt, long iat, boolean fresh) {}

  /**
   * What is signed: one resource (its uid) may sign several JWTs (an Operator its own and its
   * system account's; an export one activation per grantee), each under its own purpose.
   */
  public record Subject(String owner, String purpose) {}

  private final Map<String, Map<String, Signed>> last = new ConcurrentHashMap<>();

  /**
   * @param subject the resource and purpose the JWT is signed for
   * @param hash the hash of the desired claims and signer
   * @param statusHash, statusJwt, statusIat what the resource's status (as read) says was signed
   * @param sign signs the desired claims with the given iat
   */
  public Signed ensure(
      Subject subject,
      String hash,
      String statusHash,
      String statusJwt,
      long statusIat,
      LongFunction<String> sign) {
    Map<String, Signed> ofOwner =
        last.computeIfAbsent(subject.owner(), k -> new ConcurrentHashMap<>());
    Signed mem = ofOwner.get(subject.purpose());
    long memIat = mem == null ? 0 : mem.iat();
    if (hash.equals(statusHash) && statusJwt != null && memIat <= statusIat) {
      Signed s = new Signed(hash, statusJwt, statusIat, false);
      ofOwner.put(subject.purpose(), s);
      return s;
    }
    if (mem != null && mem.hash().equals(hash) && memIat >= statusIat) {
      return new Signed(mem.hash(), mem.jwt(), mem.iat(), false);
    }
    long iat = IssuedAt.next(Math.max(statusIat, memIat));
    Signed s = new Signed(hash, sign.apply(iat), iat, true);
    ofOwner.put(subject.purpose(), s);
    return s;
  }

  /** Whether this process has signed (or taken from a status) a JWT for the subject. */
  public boolean known(Subject subject) {
    Map<String, Signed> ofOwner = last.get(subject.owner());
    return ofOwner != null && ofOwner.containsKey(subject.purpose());
  }

  /**
   * Forgets one JWT, e.g. one due for renewal (its claims are unchanged, but it must be signed
   * again).
   */
  public void forget(Subject subject) {
    Map<String, Signed> ofOwner = last.get(subject.owner());
    if (ofOwner != null) {
      ofOwner.remove(subject.purpose());
    }
  }

  @Override
  public void forget(String uid) {
    last.remove(uid);
  }

  @Override
  public Set<String> remembered() {
    return Set.copyOf(last.keySet());
  }
}
