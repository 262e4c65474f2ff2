package dev.trainwatch.rates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.FailureCode;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.Unstored;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.SampleAck;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 17: live frames go out as soon as rates has derived them, while the sender's
 * acknowledgement still waits for history's commit; a live snapshot that then fails to commit is
 * marked, and a resent sample is published only once storage says it is new. History here is a bus
 * consumer the test steers: it holds, commits or refuses each store.
 */
@ExtendWith(VertxExtension.class)
class LiveBeforeCommitTest {
  final HostSim host = new HostSim(2, 1).cpu(40, 0);

  /** What history does with the next store request. */
  Consumer<Message<Object>> history;

  final List<DerivedSnapshot> live = Collections.synchronizedList(new ArrayList<>());
  final List<Unstored> unstored = Collections.synchronizedList(new ArrayList<>());
  Consumer<DerivedSnapshot> onLive = d -> {};
  Consumer<Unstored> onUnstored = u -> {};

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    RecordCodec.registerAll(vertx);
    vertx.eventBus().consumer(Addresses.HISTORY_STORE, m -> history.accept(m));
    vertx
        .eventBus()
        .consumer(
            Addresses.DERIVED,
            m -> {
              DerivedSnapshot d = (DerivedSnapshot) m.body();
              live.add(d);
              onLive.accept(d);
            });
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.DERIVED_UNSTORED,
            m -> {
              Unstored u = Unstored.fromJson(m.body());
              unstored.add(u);
              onUnstored.accept(u);
            });
    vertx.deployVerticle(new RatesVerticle()).onComplete(ctx.succeedingThenComplete());
  }

  static Future<Message<Object>> post(Vertx vertx, RawSample s) {
    return vertx.eventBus().request(Addresses.RAW_SAMPLE, s);
  }

  static void commit(Message<Object> store, boolean duplicate) {
    store.reply(new SampleAck(duplicate).toJson());
  }

  @Test
  void aSampleIsLiveBeforeItsCommitAndAcknowledgedAfter(Vertx vertx, VertxTestContext ctx) {
    RawSample s = host.next(1000);
    Promise<Message<Object>> held = Promise.promise();
    AtomicBoolean committed = new AtomicBoolean();
    history = held::complete;
    // The store is committed only once the live frame has been seen: were the frame still waiting
    // for the commit,
    // neither would ever happen and the test would time out.
    onLive =
        d ->
            held.future()
                .onSuccess(
                    store -> {
                      committed.set(true);
                      commit(store, false);
                    });
    post(vertx, s)
        .onComplete(
            ctx.succeeding(
                ack ->
                    ctx.verify(
                        () -> {
                          assertThat(committed).as("acknowledged only after the commit").isTrue();
                          assertThat(SampleAck.fromJson((JsonObject) ack.body()).duplicate())
                              .isFalse();
                          assertThat(live)
                              .extracting(DerivedSnapshot::seq)
                              .containsExactly(s.snapshot().agent().seq());
                          assertThat(unstored).isEmpty();
                          ctx.completeNow();
                        })));
  }

  @Test
  void aLiveSampleThatFailsToCommitIsMarkedAndTheSenderToldSo(Vertx vertx, VertxTestContext ctx) {
    RawSample s = host.next(1000);
    history = store -> store.fail(FailureCode.UNAVAILABLE.busCode(), "storage is down");
    Promise<Void> marked = Promise.promise();
    onUnstored = u -> marked.tryComplete();
    Future<Throwable> refused = post(vertx, s).transform(ar -> Future.succeededFuture(ar.cause()));
    Future.all(refused, marked.future())
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(FailureCode.of(refused.result()))
                              .isEqualTo(FailureCode.UNAVAILABLE);
                          assertThat(live)
                              .extracting(DerivedSnapshot::seq)
                              .containsExactly(s.snapshot().agent().seq());
                          assertThat(unstored)
                              .containsExactly(
                                  new Unstored(
                                      "sim",
                                      s.snapshot().ts(),
                                      s.snapshot().agent().bootId(),
                                      s.snapshot().agent().seq(),
                                      "unavailable"));
                          ctx.completeNow();
                        })));
  }

  @Test
  void aResentSampleIsPublishedOnlyAfterStorageCallsItNew(Vertx vertx, VertxTestContext ctx) {
    RawSample s = host.next(1000);
    long seq = s.snapshot().agent().seq();
    AtomicBoolean committed = new AtomicBoolean();
    history = store -> store.fail(FailureCode.UNAVAILABLE.busCode(), "storage is down");
    post(vertx, s)
        .otherwiseEmpty()
        .compose(
            v -> {
              // The agent resends what was refused: this time it is new to storage, and goes live
              // after its commit.
              history =
                  store ->
                      vertx.setTimer(
                          20,
                          t -> {
                            committed.set(true);
                            commit(store, false);
                          });
              onLive =
                  d ->
                      ctx.verify(
                          () -> assertThat(committed).as("a resend waits for the commit").isTrue());
              return post(vertx, s);
            })
        .compose(
            v -> {
              // Resent again (its acknowledgement lost): storage has it, so nothing goes live.
              history = store -> commit(store, true);
              return post(vertx, s);
            })
        .compose(
            v -> {
              history = store -> commit(store, false);
              Promise<Void> next = Promise.promise();
              onLive = d -> next.tryComplete();
              return Future.all(post(vertx, host.next(1000)), next.future());
            })
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertThat(live)
                              .extracting(DerivedSnapshot::seq)
                              .containsExactly(seq, seq, seq + 1);
                          assertThat(unstored).extracting(Unstored::seq).containsExactly(seq);
                          ctx.completeNow();
                        })));
  }
}
