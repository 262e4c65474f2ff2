package dev.trainwatch.bus;

/**
 * Every event-bus address, declared once. Host and GPU ids travel in message bodies, never in
 * addresses, so the set of addresses is fixed and a cluster's subscription map stays small. Bodies
 * are JSON ({@code JsonObject}), never Java serialization, so nodes of different builds
 * interoperate.
 */
public final class Addresses {
  private Addresses() {}

  /**
   * One raw sample (CONTRACT.md §1 shape) for one server. <b>Request/reply.</b> Senders: {@code
   * collector-verticle} (server {@code local}) and {@code ingest-verticle} (remote agents).
   * Consumer: {@code rates-verticle}. Body: {@link dev.trainwatch.bus.raw.RawSample#toJson()}.
   * Reply: {@link dev.trainwatch.bus.raw.SampleAck} once the derived snapshot is durably stored, or
   * a failure ({@link FailureCode#UNAVAILABLE} while storage is down).
   */
  public static final String RAW_SAMPLE = "trainwatch.rates.raw";

  /**
   * A rates node is alive (every {@link dev.trainwatch.bus.owners.Members#HEARTBEAT_MS}) or
   * leaving. <b>Publish.</b> Publisher: every {@code rates-verticle}. Consumers: everyone who sends
   * raw samples (ingest, the collector) and the rates nodes themselves, each keeping its own view
   * of the live rates nodes. Body: {@code {"node", "up": true|false}}. Each rates node also takes
   * {@link #RAW_SAMPLE} + "." + its id: senders route a server's samples to its owner there ({@link
   * dev.trainwatch.bus.owners.Owned#RATES}), and use the plain address only while they know of no
   * rates node. Those per-node addresses are the one family named after something: one per node, so
   * the subscription map still grows with nodes, never with hosts or GPUs.
   */
  public static final String RATES_MEMBERS = "trainwatch.rates.members";

  /**
   * A history node is alive or leaving, as {@link #RATES_MEMBERS}. Publisher: every {@code
   * history-verticle}. Consumers: rates nodes, which send each server's stores to one history node
   * ({@link #HISTORY_STORE} + "." + its id; {@link dev.trainwatch.bus.owners.Owned#HISTORY}).
   */
  public static final String HISTORY_MEMBERS = "trainwatch.history.members";

  /**
   * What a collector reads its host with and why a source is missing (no GPU: which provider failed
   * and why). <b>Publish</b>, at start, on any change, when a gateway asks ({@link
   * #COLLECTOR_STATUS_ASK}) and every {@code 30 s}. Publisher: {@code collector-verticle}.
   * Consumer: {@code ws-gateway} ({@code /api/config}). Body: {@code {"server", "gpu_provider",
   * "gpu_reason", "system_reader", "sources": {name: "ok" | error}}}.
   */
  public static final String COLLECTOR_STATUS = "trainwatch.collector.status";

  /**
   * Collectors, say your status now. <b>Publish.</b> Publisher: a gateway that starts (so it need
   * not wait for the next periodic {@link #COLLECTOR_STATUS}). Consumers: every {@code
   * collector-verticle}, which answer on {@link #COLLECTOR_STATUS}. Body: empty object.
   */
  public static final String COLLECTOR_STATUS_ASK = "trainwatch.collector.status.ask";

  /**
   * Store one derived snapshot. <b>Request/reply.</b> Sender: {@code rates-verticle}. Consumer:
   * {@code history-verticle}. Body: {@link dev.trainwatch.bus.derived.DerivedSnapshot#toJson()}.
   * Reply: {@link dev.trainwatch.bus.raw.SampleAck} after commit; {@code duplicate=true} when
   * (server, boot_id, seq) was already stored.
   */
  public static final String HISTORY_STORE = "trainwatch.history.store";

  /**
   * A derived snapshot, live. <b>Publish.</b> Publisher: {@code rates-verticle}, as soon as it is
   * derived, before history commits it (the live view must not wait for the disk, issue 17); a
   * resent sample (its seq already published for its boot) is published only after the commit, and
   * only when storage had not seen it. Consumers: {@code ws-gateway} (latest cache, WebSocket
   * fan-out, {@code /metrics}) and the alerts engine. Body: {@link
   * dev.trainwatch.bus.derived.DerivedSnapshot#toJson()}.
   */
  public static final String DERIVED = "trainwatch.derived";

  /**
   * A snapshot published on {@link #DERIVED} was then not stored. <b>Publish.</b> Publisher: {@code
   * rates-verticle}, when history's store fails or times out. Consumer: {@code ws-gateway} (marks
   * it on the live channels and in the latest cache). Body: {@link
   * dev.trainwatch.bus.derived.Unstored#toJson()}.
   */
  public static final String DERIVED_UNSTORED = "trainwatch.derived.unstored";

  /**
   * Range query over stored history. <b>Request/reply.</b> Sender: {@code ws-gateway}. Consumer:
   * {@code history-verticle}. Body: {@link dev.trainwatch.bus.HistoryQuery#toJson()}. Reply: the
   * CONTRACT.md §2 history document ({@code server, step_s, resolution, points}) already encoded,
   * as a UTF-8 JSON {@code Buffer}: a month of points is megabytes that the local bus would
   * otherwise deep-copy and the gateway encode again.
   */
  public static final String HISTORY_QUERY = "trainwatch.history.query";

  /**
   * List the registered servers. <b>Request/reply.</b> Sender: {@code ws-gateway}. Consumer: {@code
   * history-verticle} (owner of the registry tables). Body: empty object. Reply: {@code {"servers":
   * [ServerInfo...]}}.
   */
  public static final String SERVERS_LIST = "trainwatch.registry.list";

  /**
   * Check an agent's token for a server. <b>Request/reply.</b> Sender: {@code ingest-verticle}
   * (behind its cache). Consumer: {@code history-verticle}. Body: {@code {"slug", "token_sha256":
   * hex}} (the token itself never travels). Reply: {@code {"slug", "outcome":
   * "ok"|"bad_token"|"disabled"|"unknown"}}.
   */
  public static final String REGISTRY_AUTH = "trainwatch.registry.auth";

  /**
   * A server was registered, rotated, enabled or disabled (by the admin CLI, possibly in another
   * process: history relays Postgres {@code NOTIFY trainwatch_registry}). <b>Publish.</b>
   * Publisher: {@code history-verticle}. Consumers: ingest (drops cached token checks), gateway
   * (drops its server list). Body: {@code {"slug"}}.
   */
  public static final String REGISTRY_CHANGED = "trainwatch.registry.changed";

  /**
   * Change the registry from the dashboard's admin API: register a server, rotate its token, enable
   * or disable it. <b>Request/reply.</b> Sender: {@code ws-gateway}. Consumer: {@code
   * history-verticle}. Body: {@link RegistryChange#toJson()}. The token itself never travels: the
   * gateway makes it, shows it once, and sends only its hash. Reply: {@code {"created"}}, or {@link
   * FailureCode#CONFLICT} / {@link FailureCode#UNKNOWN_SERVER}. Publishes {@link #REGISTRY_CHANGED}
   * through Postgres NOTIFY on commit.
   */
  public static final String REGISTRY_CHANGE = "trainwatch.registry.change";

  /**
   * Store a one-time login token (local mode). <b>Request/reply.</b> Senders: the launcher at start
   * and {@code trainwatch login-url}. Consumer: {@code history-verticle}. Body: {@code
   * {"token_sha256", "ttl_s"}}. Reply: {@code {"expires_at"}}.
   */
  public static final String ACCESS_LOGIN_MINT = "trainwatch.access.login.mint";

  /**
   * Spend a one-time login token: succeeds once per token, on any node. <b>Request/reply.</b>
   * Sender: {@code ws-gateway}. Consumer: {@code history-verticle}. Body: {@code {"token_sha256"}}.
   * Reply: {@code {"outcome": "ok"|"refused"}} (refused: unknown, spent or expired, not told
   * apart).
   */
  public static final String ACCESS_LOGIN_REDEEM = "trainwatch.access.login.redeem";

  /**
   * Look up an API token. <b>Request/reply.</b> Sender: {@code ws-gateway}, on every request that
   * carries one (no cache, so a revocation holds from the next request). Consumer: {@code
   * history-verticle}. Body: {@code {"token_sha256"}}. Reply: {@code {"outcome": "ok", "id",
   * "name", "role"}} or {@code {"outcome": "unknown"}}.
   */
  public static final String ACCESS_TOKEN_CHECK = "trainwatch.access.token.check";

  /**
   * Create, list or revoke API tokens. <b>Request/reply.</b> Sender: {@code ws-gateway} (admin
   * API). Consumer: {@code history-verticle}. Body: {@code {"op": "create", "id", "name", "role",
   * "token_sha256", "created_by"}}, {@code {"op": "list"}} or {@code {"op": "revoke", "id"}}.
   * Reply: {@code {"token": {...}}}, {@code {"tokens": [...]}} or {@code {"revoked": true|false}};
   * never a hash.
   */
  public static final String ACCESS_TOKEN_ADMIN = "trainwatch.access.token.admin";

  /**
   * The key session entries are MACed with (made once, kept in Postgres). <b>Request/reply.</b>
   * Sender: {@code ws-gateway}, once per process (again after a failure). Consumer: {@code
   * history-verticle}. Body: {@code {}}. Reply: {@code {"key": base64 of 32 bytes}}. Only the bus
   * carries it: in a TLS cluster, only the cluster's own nodes (docs/security.md).
   */
  public static final String ACCESS_SESSION_KEY = "trainwatch.access.session.key";

  /**
   * An access grant ended: an API token was revoked (by the admin API or the CLI, possibly in
   * another process; history relays Postgres {@code NOTIFY trainwatch_access}). <b>Publish.</b>
   * Publisher: {@code history-verticle}. Consumer: {@code ws-gateway}, which closes the sockets
   * opened with it. Body: {@code {"api_token": id}}.
   */
  public static final String ACCESS_CHANGED = "trainwatch.access.changed";

  /**
   * The alert API. <b>Request/reply.</b> Sender: {@code ws-gateway}. Consumer: every {@code
   * alerts-verticle} (leader or not: each has the alert tables). Body: {@code {"op": "query",
   * "server"?, "state"?, "since", "limit"}}, {@code {"op": "ack", "id", "by"}}, {@code {"op":
   * "rules"}}, {@code {"op": "put_rule", "rule", "by"}}, {@code {"op": "delete_rule", "name"}},
   * {@code {"op": "dead_letters", "limit"}} or {@code {"op": "xid_events", "server"?, "since",
   * "limit"}}. Reply: {@code {"alerts": [...]}}, {@code {"alert"}} (absent: no such alert), {@code
   * {"rules": [...]}}, {@code {"rule"}} or {@code {"invalid": {"field", "message"}}}, {@code
   * {"deleted"}}, {@code {"dead_letters": [...]}}, {@code {"xid_events": [...]}}.
   */
  public static final String ALERTS_API = "trainwatch.alerts.api";

  /**
   * An alert changed state or was acknowledged, and the change is stored. <b>Publish.</b>
   * Publishers: the alerts verticle that evaluates (state changes) and the one that stored an
   * acknowledgement. Consumers: gateways (the {@code alerts} channel) and the evaluating alerts
   * verticle (acknowledgements). Body: the alert object of CONTRACT.md §2 ({@code GET
   * /api/alerts}).
   */
  public static final String ALERTS_CHANGED = "trainwatch.alerts.changed";

  /**
   * The admin API stored or deleted a rule. <b>Publish.</b> Publisher: the alerts verticle that
   * stored it. Consumer: the evaluating alerts verticle, which reloads its rules. Body: {@code
   * {"name"}}.
   */
  public static final String ALERT_RULES_CHANGED = "trainwatch.alerts.rules.changed";
}
