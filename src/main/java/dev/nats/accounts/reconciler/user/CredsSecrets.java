package dev.nats.accounts.reconciler.user;

import dev.nats.accounts.jwt.Creds;
import dev.nats.accounts.keys.KeySecrets;
import dev.nats.accounts.reconciler.Owners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the creds Secret of a User: the standard creds file plus its two parts. */
public final class CredsSecrets {
  public static final String CREDS = "user.creds";
  public static final String JWT = "user.jwt";
  public static final String SEED = "user.seed";

  private CredsSecrets() {}

  public static Secret render(HasMetadata owner, String secretName, String jwt, String seed) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(CREDS, b64(Creds.format(jwt, seed)));
    data.put(JWT, b64(jwt));
    data.put(SEED, b64(seed));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(KeySecrets.withManagedLabel(Map.of(KeySecrets.KIND_LABEL, "User", KeySecrets.OWNER_LABEL, owner.getMetadata().getName())))
        .withAnnotations(Map.of(KeySecrets.OWNER_ANNOTATION, owner.getMetadata().getName()))
        .withOwnerReferences(List.of(Owners.controller(owner)))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
