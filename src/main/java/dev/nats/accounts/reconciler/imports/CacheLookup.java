package dev.nats.accounts.reconciler.imports;

import dev.nats.accounts.api.v1alpha1.Account;
import dev.nats.accounts.api.v1alpha1.ServiceExport;
import dev.nats.accounts.api.v1alpha1.StreamExport;
import dev.nats.accounts.jwt.ExportType;
import dev.nats.accounts.reconciler.Indexes.OperatorId;
import dev.nats.accounts.reconciler.exports.ExportView;
import dev.nats.accounts.tokenurl.TokenFetcher;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@link ImportResolution.Lookup} over informer caches. Each controller has its own informers, so
 * each passes its own getters; the rules stay in one place.
 */
public record CacheLookup(
    BiFunction<String, String, Optional<ServiceExport>> serviceExport,
    BiFunction<String, String, Optional<StreamExport>> streamExport,
    BiFunction<String, String, Optional<Account>> accountGetter,
    BiFunction<String, String, Optional<Secret>> managedSecretGetter,
    KubernetesClient client,
    Function<Account, OperatorId> operatorResolver,
    TokenFetcher fetcher)
    implements ImportResolution.Lookup {

  @Override
  public Optional<ExportView> export(ExportType type, String namespace, String name) {
    return type == ExportType.SERVICE
        ? serviceExport.apply(namespace, name).map(ExportView::of)
        : streamExport.apply(namespace, name).map(ExportView::of);
  }

  @Override
  public Optional<Account> account(String namespace, String name) {
    return accountGetter.apply(namespace, name);
  }

  @Override
  public Optional<Secret> managedSecret(String namespace, String name) {
    return managedSecretGetter.apply(namespace, name);
  }

  @Override
  public Optional<Secret> userSecret(String namespace, String name) {
    // Referenced explicitly by spec.from.tokenSecretRef and not labelled by us, so no informer
    // holds it.
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }

  @Override
  public OperatorId operatorOf(Account account) {
    return operatorResolver.apply(account);
  }

  @Override
  public TokenFetcher.Fetched tokenAt(String url) {
    return fetcher.get(url);
  }
}
