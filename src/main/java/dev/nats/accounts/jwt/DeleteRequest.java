package dev.nats.accounts.jwt;

import java.util.List;

/**
 * Body of a {@code $SYS.REQ.CLAIMS.DELETE} request: a generic JWT with {@code iss == sub ==
 * operator} and {@code nats.accounts}.
 */
public record DeleteRequest(String operator, List<String> accounts) {
  public DeleteRequest {
    accounts = Lists.copy(accounts);
  }
}
