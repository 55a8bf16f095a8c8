package dev.nats.accounts.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource as the user reads it in status and messages ("ServiceExport tenant-a/help"). The
 * Account reconciler writes these into {@code status.exports[].from} and {@code
 * status.imports[].from}, and the export and import reconcilers read them back to learn whether the
 * JWT carries them: both sides go through this one type, so the text written and the text compared
 * cannot disagree.
 */
public record ResourceRef(String kind, String namespace, String name) {
  private static final Pattern TEXT = Pattern.compile("(\\w+) ([^/\\s]+)/([^/\\s]+)");

  public static ResourceRef of(HasMetadata r) {
    return new ResourceRef(r.getKind(), r.getMetadata().getNamespace(), r.getMetadata().getName());
  }

  /** The reference {@link #toString()} wrote, or empty for any other text. */
  public static Optional<ResourceRef> parse(String text) {
    Matcher m = text == null ? null : TEXT.matcher(text);
    return m != null && m.matches()
        ? Optional.of(new ResourceRef(m.group(1), m.group(2), m.group(3)))
        : Optional.empty();
  }

  @Override
  public String toString() {
    return kind + " " + namespace + "/" + name;
  }
}
