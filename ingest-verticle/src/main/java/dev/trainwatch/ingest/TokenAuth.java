package dev.trainwatch.ingest;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Checks agent tokens against the registry. Verdicts are cached under (slug, SHA-256 of the
 * presented token): a key an attacker can only produce by presenting the token, never by knowing a
 * stored value. Only "ok" is cached (a flood of wrong tokens must not evict good entries, and a
 * disabled server re-enabled must be let in on its next request), for a short time, and every entry
 * is dropped as soon as the registry announces a change (Postgres NOTIFY, milliseconds after the
 * admin's commit), so rotating or disabling takes effect on the next request.
 */
final class TokenAuth {
  enum Outcome {
    OK,
    BAD_TOKEN,
    DISABLED,
    UNKNOWN
  }

  /**
   * Short: with Postgres frozen the registry never answers, and an agent must hear 503 within 2 s
   * (issue 13) to keep its snapshot and back off. A verdict already cached needs no answer at all.
   */
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(1_500);

  private final Vertx vertx;
  private final Cache<String, Outcome> verdicts =
      Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofSeconds(30)).build();

  /**
   * Refusals, kept apart (a flood of them must not evict good verdicts) and briefly: a guesser
   * repeating a wrong token, or an agent stuck on an old one, costs no query for 10 s. Dropped with
   * the rest on a registry change, so a server registered or a token rotated a moment ago is seen
   * at once.
   */
  private final Cache<String, Outcome> refusals =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(10)).build();

  TokenAuth(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> start() {
    return vertx
        .eventBus()
        .consumer(
            Addresses.REGISTRY_CHANGED,
            m -> {
              verdicts.invalidateAll();
              refusals.invalidateAll();
            })
        .completion();
  }

  /**
   * Whether this token was recently verified good for this slug (no query): such an agent is never
   * rate limited.
   */
  boolean knownGood(String slug, String token) {
    return verdicts.getIfPresent(slug + ':' + Tokens.sha256Hex(token)) == Outcome.OK;
  }

  Future<Outcome> check(String slug, String token) {
    String hash = Tokens.sha256Hex(token);
    String key = slug + ':' + hash;
    Outcome cached = verdicts.getIfPresent(key);
    if (cached == null) {
      cached = refusals.getIfPresent(key);
    }
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    JsonObject ask = new JsonObject().put("slug", slug).put("token_sha256", hash);
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.REGISTRY_AUTH, ask, ASK)
        .map(
            reply -> {
              Outcome o =
                  switch (reply.body().getString("outcome")) {
                    case "ok" -> Outcome.OK;
                    case "disabled" -> Outcome.DISABLED;
                    case "unknown" -> Outcome.UNKNOWN;
                    default -> Outcome.BAD_TOKEN;
                  };
              if (o == Outcome.OK) {
                verdicts.put(key, o);
              } else if (o == Outcome.BAD_TOKEN || o == Outcome.UNKNOWN) {
                refusals.put(key, o);
              }
              return o;
            });
  }
}
