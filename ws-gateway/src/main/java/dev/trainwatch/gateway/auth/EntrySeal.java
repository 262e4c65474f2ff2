package dev.trainwatch.gateway.auth;

import dev.trainwatch.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the entries of the shared maps (sessions, pending sign-ins) with an HMAC-SHA256 over the
 * map key and the entry, keyed with a secret only our nodes have: any Hazelcast member can write
 * those maps, and an entry it wrote (a session of its own making, or one of ours copied under
 * another key or altered) does not verify. The key is made once and kept in Postgres; this node
 * asks history for it over the event bus ({@link Addresses#ACCESS_SESSION_KEY}), once, and again
 * only after a failure. One instance per verticle instance, used on its event loop.
 */
final class EntrySeal {
  static final String FIELD = "mac";
  private static final String ALGORITHM = "HmacSHA256";
  private static final long ASK_TIMEOUT_MS = 10_000;

  private final Supplier<Future<byte[]>> fetch;
  private Future<Sealer> sealer;

  EntrySeal(Supplier<Future<byte[]>> fetch) {
    this.fetch = fetch;
  }

  /** The key from history, over the bus. */
  static EntrySeal overBus(Vertx vertx) {
    return new EntrySeal(
        () ->
            vertx
                .eventBus()
                .<JsonObject>request(
                    Addresses.ACCESS_SESSION_KEY,
                    new JsonObject(),
                    new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
                .map(m -> Base64.getDecoder().decode(m.body().getString("key", ""))));
  }

  /**
   * What seals and checks entries, made once the key is fetched (on first use); a failed fetch is
   * tried again by the next caller.
   */
  Future<Sealer> sealer() {
    if (sealer == null || sealer.failed()) {
      sealer =
          fetch
              .get()
              .compose(
                  k ->
                      k.length == 32
                          ? Future.succeededFuture(Sealer.of(k))
                          : Future.failedFuture("the session key is not 32 bytes"));
    }
    return sealer;
  }

  /**
   * One key's HMAC, initialised once (every request with a session cookie checks a seal). Not
   * thread-safe, like its {@link EntrySeal}.
   */
  static final class Sealer {
    private final Mac mac;

    private Sealer(Mac mac) {
      this.mac = mac;
    }

    static Sealer of(byte[] key) {
      try {
        Mac m = Mac.getInstance(ALGORITHM);
        m.init(new SecretKeySpec(key, ALGORITHM));
        return new Sealer(m);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
      }
    }

    /** {@code entry} with its seal for {@code mapKey} added. */
    JsonObject seal(String mapKey, JsonObject entry) {
      JsonObject bare = entry.copy();
      bare.remove(FIELD);
      return bare.put(FIELD, mac(mapKey, bare));
    }

    /**
     * Whether {@code sealed} is an entry one of our nodes wrote under {@code mapKey}, unaltered.
     */
    boolean verify(String mapKey, JsonObject sealed) {
      Object presented = sealed.getValue(FIELD);
      if (!(presented instanceof String given)) {
        return false;
      }
      JsonObject bare = sealed.copy();
      bare.remove(FIELD);
      return MessageDigest.isEqual(
          given.getBytes(StandardCharsets.US_ASCII),
          mac(mapKey, bare).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Over the map key and the entry's JSON as we wrote it: a Hazelcast round trip keeps a {@code
     * JsonObject}'s field order, so our own entries always verify; anything else fails closed.
     */
    private String mac(String mapKey, JsonObject bare) {
      mac.update(mapKey.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '\n');
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(bare.encode().getBytes(StandardCharsets.UTF_8)));
    }
  }
}
