package dev.trainwatch.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions as the shared maps hold them: under the hash of the cookie, sealed with the nodes' key.
 * What a stranger to the cluster could do to those maps (plant an entry, alter one, copy one under
 * another key, put in something that is not even JSON) leaves no session.
 */
@ExtendWith(VertxExtension.class)
class SessionsTest {
  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  private final AtomicInteger fetches = new AtomicInteger();

  private Sessions sessions(Vertx vertx, Future<byte[]> key) {
    return new Sessions(
        vertx,
        AccessSettings.from(new JsonObject()),
        new EntrySeal(
            () -> {
              fetches.incrementAndGet();
              return key;
            }));
  }

  private static Principal admin(String id) {
    return new Principal(
        Principal.Kind.LOCAL,
        id,
        "Operator",
        null,
        Role.ADMIN,
        System.currentTimeMillis(),
        null,
        null);
  }

  private static AsyncMap<String, Object> map(Vertx vertx) throws Exception {
    return vertx
        .sharedData()
        .<String, Object>getAsyncMap(Sessions.SESSIONS_MAP)
        .await(5, TimeUnit.SECONDS);
  }

  @Test
  void aSessionIsKeptUnderItsHashSealedAndFoundByItsCookie(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Sessions s = sessions(vertx, Future.succeededFuture(KEY));
    Cookie c = s.create(admin("local")).await(5, TimeUnit.SECONDS);
    AsyncMap<String, Object> m = map(vertx);
    Object stored = m.get(Sessions.key(c.getValue())).await(5, TimeUnit.SECONDS);
    Principal found = s.find(c.getValue()).await(5, TimeUnit.SECONDS);
    Object underCookie = m.get(c.getValue()).await(5, TimeUnit.SECONDS);
    ctx.verify(
        () -> {
          assertThat(c.getValue()).hasSize(43);
          assertThat(Sessions.key(c.getValue())).hasSize(43).isNotEqualTo(c.getValue());
          assertThat(underCookie).isNull();
          assertThat(stored).isInstanceOf(JsonObject.class);
          assertThat(((JsonObject) stored).getString(EntrySeal.FIELD)).hasSize(43);
          assertThat(found.role()).isEqualTo(Role.ADMIN);
          assertThat(found.sessionId()).isEqualTo(Sessions.key(c.getValue()));
          assertThat(fetches.get()).as("the key is asked for once").isEqualTo(1);
          ctx.completeNow();
        });
  }

  @Test
  void plantedAlteredCopiedOrForeignEntriesAreNoSession(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Sessions s = sessions(vertx, Future.succeededFuture(KEY));
    Cookie reader = s.create(admin("someone")).await(5, TimeUnit.SECONDS);
    AsyncMap<String, Object> m = map(vertx);
    JsonObject ours =
        (JsonObject) m.get(Sessions.key(reader.getValue())).await(5, TimeUnit.SECONDS);

    // Planted: a whole entry of the right shape, sealed with a key that is not ours.
    byte[] other = KEY.clone();
    other[0] = 8;
    JsonObject unsealed = ours.copy();
    unsealed.remove(EntrySeal.FIELD);
    m.put(
            Sessions.key("planted"),
            EntrySeal.Sealer.of(other).seal(Sessions.key("planted"), unsealed))
        .await(5, TimeUnit.SECONDS);
    // Without any seal.
    m.put(Sessions.key("bare"), unsealed).await(5, TimeUnit.SECONDS);
    // Ours, copied under a key of the intruder's choosing.
    m.put(Sessions.key("copied"), ours).await(5, TimeUnit.SECONDS);
    // Ours, with the role raised.
    JsonObject raised = ours.copy();
    raised.getJsonObject("principal").put("role", "admin").put("id", "intruder");
    m.put(Sessions.key("raised"), raised).await(5, TimeUnit.SECONDS);
    // Not JSON at all.
    m.put(Sessions.key("text"), "admin").await(5, TimeUnit.SECONDS);

    for (String cookie : new String[] {"planted", "bare", "copied", "raised", "text"}) {
      Principal p = s.find(cookie).await(5, TimeUnit.SECONDS);
      Object left = m.get(Sessions.key(cookie)).await(5, TimeUnit.SECONDS);
      ctx.verify(
          () -> {
            assertThat(p).as(cookie).isNull();
            assertThat(left).as("%s is removed", cookie).isNull();
          });
    }
    Principal stillOurs = s.find(reader.getValue()).await(5, TimeUnit.SECONDS);
    ctx.verify(
        () -> {
          assertThat(stillOurs).isNotNull();
          ctx.completeNow();
        });
  }

  @Test
  void aSignInFlowIsSealedTooAndAForgedOneIsNotTaken(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Sessions s = sessions(vertx, Future.succeededFuture(KEY));
    JsonObject flow = new JsonObject().put("state", "s1").put("next", "/servers");
    Cookie c = s.startFlow(flow).await(5, TimeUnit.SECONDS);
    AsyncMap<String, Object> flows =
        vertx
            .sharedData()
            .<String, Object>getAsyncMap(Sessions.FLOWS_MAP)
            .await(5, TimeUnit.SECONDS);
    flows
        .put(Sessions.key("forged"), flow.copy().put("next", "https://evil.example/"))
        .await(5, TimeUnit.SECONDS);
    JsonObject taken = s.takeFlow(c.getValue()).await(5, TimeUnit.SECONDS);
    JsonObject again = s.takeFlow(c.getValue()).await(5, TimeUnit.SECONDS);
    JsonObject forged = s.takeFlow("forged").await(5, TimeUnit.SECONDS);
    ctx.verify(
        () -> {
          assertThat(taken).isEqualTo(flow);
          assertThat(again).as("taken once").isNull();
          assertThat(forged).isNull();
          ctx.completeNow();
        });
  }

  @Test
  void withoutTheKeyNoSessionIsMadeAndTheNextCallAsksAgain(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Sessions s =
        new Sessions(
            vertx,
            AccessSettings.from(new JsonObject()),
            new EntrySeal(
                () ->
                    calls.incrementAndGet() == 1
                        ? Future.failedFuture("history is not up")
                        : Future.succeededFuture(KEY)));
    boolean firstFailed =
        s.create(admin("local"))
            .transform(ar -> Future.succeededFuture(ar.failed()))
            .await(5, TimeUnit.SECONDS);
    Cookie second = s.create(admin("local")).await(5, TimeUnit.SECONDS);
    ctx.verify(
        () -> {
          assertThat(firstFailed).as("no key, no session").isTrue();
          assertThat(second.getValue()).hasSize(43);
          assertThat(calls.get()).isEqualTo(2);
          ctx.completeNow();
        });
  }
}
