package dev.nats.accounts.inspect;

import dev.nats.accounts.jwt.JwtDecoder;
import dev.nats.accounts.jwt.JwtException;
import dev.nats.accounts.nats.ResolverClient.Holdings;
import java.util.ArrayList;
import java.util.List;

/**
 * How the resolvers' copies of one account JWT compare with the JWT the operator signed. A push
 * that was acknowledged once can still be lost later (a wiped resolver directory, a server restored
 * from an old volume), and the account status cannot see that: only asking the servers can.
 *
 * @param servers the resolver servers that answered the claims list
 * @param inSync copies equal to the operator's JWT
 * @param stale copies issued before the operator's JWT: a push that has not reached that server
 * @param differing copies issued at or after it: signed by someone else, or by a state the status
 *     no longer shows
 * @param unanswered servers that list the account but sent no copy in time
 * @param missingOn the servers whose list lacks the account
 */
public record ResolverCopies(
    int servers, int inSync, int stale, int differing, int unanswered, List<String> missingOn) {

  public ResolverCopies {
    missingOn = List.copyOf(missingOn);
  }

  /**
   * @param ours the JWT the operator signed (its status)
   * @param subject the account's public key
   * @param copies every lookup reply; empty ones (a 2.10+ server holding none) are ignored, since
   *     {@code holdings} names those servers
   * @param holdings every server's claims list
   */
  public static ResolverCopies compare(
      String ours, String subject, List<String> copies, List<Holdings> holdings) {
    long ourIat = issuedAt(ours);
    int inSync = 0;
    int stale = 0;
    int differing = 0;
    for (String copy : copies) {
      if (copy.isEmpty()) {
        continue;
      }
      if (copy.equals(ours)) {
        inSync++;
      } else if (issuedAt(copy) < ourIat) {
        stale++;
      } else {
        differing++;
      }
    }
    List<String> missing = new ArrayList<>();
    for (Holdings h : holdings) {
      if (!h.accounts().contains(subject)) {
        missing.add(h.serverName());
      }
    }
    missing.sort(String::compareTo);
    int holding = holdings.size() - missing.size();
    int unanswered = Math.max(0, holding - inSync - stale - differing);
    return new ResolverCopies(holdings.size(), inSync, stale, differing, unanswered, missing);
  }

  /** Every server answered and holds exactly the operator's JWT. */
  public boolean ok() {
    return servers > 0 && inSync == servers;
  }

  /** One line for the table, e.g. {@code 2/3 in sync, 1 stale}. */
  public String summary() {
    if (servers == 0) {
      return "no resolver answered";
    }
    List<String> parts = new ArrayList<>();
    parts.add(inSync + "/" + servers + " in sync");
    if (stale > 0) {
      parts.add(stale + " stale (issued before the operator's JWT)");
    }
    if (differing > 0) {
      parts.add(differing + " differing (not the operator's JWT)");
    }
    if (unanswered > 0) {
      parts.add(unanswered + " sent no copy in time");
    }
    if (!missingOn.isEmpty()) {
      parts.add("missing on " + String.join(", ", missingOn));
    }
    return String.join(", ", parts);
  }

  /** An unreadable copy counts as issued at 0, so it is reported stale rather than trusted. */
  private static long issuedAt(String jwt) {
    try {
      return JwtDecoder.decodeIgnoringTime(jwt).payload().path("iat").asLong(0);
    } catch (JwtException e) {
      return 0;
    }
  }
}
