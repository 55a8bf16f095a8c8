package dev.nats.accounts.reconciler;

import dev.nats.accounts.jwt.IssuedAt;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * Decides whether to sign, and with which iat. The status in an informer cache can lag behind the
 * status this process just wrote (a reconcile triggered by our own Secret write sees the old
 * resource), so the last JWT signed per resource is also kept here: a stale read neither re-signs
 * identical claims nor lets iat go backwards, which the resolver would not catch (it stores an
 * older JWT without complaint).
 */
public final class SignedJwts {
  /** A JWT with the claims hash it was signed for; {@code fresh} when signed by this call. */
  public record Signed(String hash, String jwt, long iat, boolean fresh) {}

  private final Map<String, Signed> last = new ConcurrentHashMap<>();

  /**
   * @param key a stable identity of the signed subject (e.g. the resource uid plus a purpose)
   * @param hash the hash of the desired claims and signer
   * @param statusHash, statusJwt, statusIat what the resource's status (as read) says was signed
   * @param sign signs the desired claims with the given iat
   */
  public Signed ensure(String key, String hash, String statusHash, String statusJwt, long statusIat, LongFunction<String> sign) {
    Signed mem = last.get(key);
    long memIat = mem == null ? 0 : mem.iat();
    if (hash.equals(statusHash) && statusJwt != null && memIat <= statusIat) {
      Signed s = new Signed(hash, statusJwt, statusIat, false);
      last.put(key, s);
      return s;
    }
    if (mem != null && mem.hash().equals(hash) && memIat >= statusIat) {
      return new Signed(mem.hash(), mem.jwt(), mem.iat(), false);
    }
    long iat = IssuedAt.next(Math.max(statusIat, memIat));
    Signed s = new Signed(hash, sign.apply(iat), iat, true);
    last.put(key, s);
    return s;
  }

  public void forget(String key) {
    last.remove(key);
  }
}
