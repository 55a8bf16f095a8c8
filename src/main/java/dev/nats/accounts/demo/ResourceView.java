package dev.nats.accounts.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/**
 * Reads the status of any of our custom resources generically, so the demo does not depend on the
 * typed classes and shows exactly what a user would see with kubectl.
 */
record ResourceView(
    String kind,
    String namespace,
    String name,
    String ready,
    String reason,
    String message,
    String publicKey) {

  static final List<String> KEY_FIELDS =
      List.of("publicKey", "accountPublicKey", "exporterPublicKey");

  static ResourceView of(GenericKubernetesResource r) {
    String ready = "Unknown";
    String reason = "";
    String message = "";
    String key = "";
    Object status = r.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> st) {
      if (st.get("conditions") instanceof List<?> conds) {
        for (Object o : conds) {
          if (o instanceof Map<?, ?> c
              && dev.nats.accounts.status.ConditionType.READY.value().equals(c.get("type"))) {
            ready = String.valueOf(c.get("status"));
            reason = c.get("reason") == null ? "" : String.valueOf(c.get("reason"));
            message = c.get("message") == null ? "" : String.valueOf(c.get("message"));
          }
        }
      }
      for (String f : KEY_FIELDS) {
        if (st.get(f) instanceof String s && !s.isEmpty()) {
          key = s;
          break;
        }
      }
    }
    return new ResourceView(
        r.getKind(),
        r.getMetadata().getNamespace(),
        r.getMetadata().getName(),
        ready,
        reason,
        message,
        key);
  }

  boolean isReady() {
    return "True".equals(ready);
  }

  String id() {
    return kind + " " + namespace + "/" + name;
  }

  /**
   * One line per change, e.g. {@code User t/u: Ready=Unknown (Pending: waiting for Account t/a
   * keys)}.
   */
  String progressLine() {
    String detail =
        reason.isEmpty() ? "no status yet" : reason + (message.isEmpty() ? "" : ": " + message);
    return id() + ": Ready=" + ready + " (" + detail + ")";
  }

  /** What changes of a resource deserve a progress line. */
  String progressKey() {
    return ready + "|" + reason + "|" + message;
  }

  static String table(List<ResourceView> views) {
    String[] head = {"KIND", "NAMESPACE", "NAME", "READY", "REASON", "PUBLIC KEY"};
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
    }
    for (ResourceView v : views) {
      String[] row = v.row();
      for (int i = 0; i < row.length; i++) {
        w[i] = Math.max(w[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, head, w);
    for (ResourceView v : views) {
      appendRow(sb, v.row(), w);
    }
    return sb.toString();
  }

  private String[] row() {
    return new String[] {kind, namespace, name, ready, reason, publicKey};
  }

  private static void appendRow(StringBuilder sb, String[] cells, int[] w) {
    for (int i = 0; i < cells.length; i++) {
      sb.append(cells[i]);
      if (i < cells.length - 1) {
        sb.append(" ".repeat(w[i] - cells[i].length() + 2));
      }
    }
    sb.append('\n');
  }
}
