package dev.nats.accounts.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nats.accounts.testing.ApiRequestRecorder.Access;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The recorder names requests as the RBAC authorizer does, or the derived roles would be wrong. */
class ApiRequestRecorderTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "GET|/api/v1/namespaces/a/secrets/s|''|secrets|get|a|s",
        "GET|/api/v1/secrets?labelSelector=x|''|secrets|list|-|-",
        "GET|/api/v1/secrets?labelSelector=x&watch=true&resourceVersion=1|''|secrets|watch|-|-",
        "GET|/api/v1/namespaces/a/secrets?watch=true|''|secrets|watch|a|-",
        "POST|/api/v1/namespaces/a/events|''|events|create|a|-",
        "PUT|/api/v1/namespaces/a/events/e.1|''|events|update|a|e.1",
        "PATCH|/apis/accounts.nats.dev/v1alpha1/namespaces/a/users/u/status|accounts.nats.dev|users/status|patch|a|u",
        "DELETE|/api/v1/namespaces/a/secrets/s|''|secrets|delete|a|s",
        "DELETE|/api/v1/namespaces/a/secrets|''|secrets|deletecollection|a|-",
        "GET|/api/v1/namespaces|''|namespaces|list|-|-",
        "GET|/api/v1/namespaces/a|''|namespaces|get|-|a",
        "GET|/apis/apiextensions.k8s.io/v1/customresourcedefinitions/users.accounts.nats.dev|apiextensions.k8s.io|customresourcedefinitions|get|-|users.accounts.nats.dev",
        "PATCH|/apis/coordination.k8s.io/v1/namespaces/op/leases/l|coordination.k8s.io|leases|patch|op|l",
      })
  void mapsMethodAndPathToTheVerb(
      String method,
      String uri,
      String group,
      String resource,
      String verb,
      String namespace,
      String name) {
    assertEquals(
        Optional.of(new Access(group, resource, verb, namespace, name, false)),
        ApiRequestRecorder.access(method, URI.create("https://h:6443" + uri)));
  }

  @Test
  void nonResourceUrlsAreNotResources() {
    for (String path : List.of("/version", "/api", "/apis", "/apis/accounts.nats.dev")) {
      assertEquals(
          Optional.empty(), ApiRequestRecorder.access("GET", URI.create("https://h" + path)));
    }
  }

  @Test
  void aBlockingOwnerReferenceIsTheOwnersFinalizersUpdate() {
    String body =
        """
        {"kind":"Secret","metadata":{"name":"u-creds","ownerReferences":[
          {"apiVersion":"accounts.nats.dev/v1alpha1","kind":"User","name":"u","uid":"1",
           "controller":true,"blockOwnerDeletion":true},
          {"apiVersion":"accounts.nats.dev/v1alpha1","kind":"Account","name":"a","uid":"2"}]}}
        """;
    assertEquals(
        List.of(new Access("accounts.nats.dev", "users/finalizers", "update", "t", "u", true)),
        ApiRequestRecorder.blockingOwners("t", body));
    assertEquals(List.of(), ApiRequestRecorder.blockingOwners("t", "{\"kind\":\"Event\"}"));
    assertThrows(
        IllegalStateException.class,
        () ->
            ApiRequestRecorder.blockingOwners(
                "t",
                "{\"metadata\":{\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
                    + "\"name\":\"d\",\"blockOwnerDeletion\":true}]}}"));
  }
}
