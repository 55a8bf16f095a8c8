package dev.nats.accounts.api.v1alpha1;

/**
 * Client connection types a user may use (the JWT {@code allowed_connection_types}) understood by
 * nats-server 2.9.
 */
public enum ConnectionType {
  STANDARD,
  WEBSOCKET,
  LEAFNODE,
  LEAFNODE_WS,
  MQTT,
  MQTT_WS
}
