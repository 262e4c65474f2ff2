package dev.trainwatch.rates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainwatch.bus.Addresses;
import dev.trainwatch.bus.RecordCodec;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.owners.Members;
import dev.trainwatch.bus.owners.Owned;
import dev.trainwatch.bus.raw.RawSample;
import dev.trainwatch.bus.raw.SampleAck;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: several rates nodes on one bus (here in one Vert.x; the launcher's ClusterTest runs
 * separate JVMs), each server owned by one of them. A server's samples go to its owner; a takeover
 * starts clean (no rate across the time another node had the server); a sample that reaches a node
 * not owning its server gets no rates and leaves no state.
 */
class RatesOwnershipTest {
  Vertx vertx;
  Members senders;
  final Map<String, HostSim> hosts = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    RecordCodec.registerAll(vertx);
    // History, as far as rates can tell: every store is committed.
    vertx.eventBus().consumer(Addresses.HISTORY_STORE, m -> m.reply(new SampleAck(false).toJson()));
    // Members is confined to one event loop, as inside a verticle: made there, its consumer and its
    // expiry timer share that loop (made from the test's thread they ran on two, racing on its
    // map).
    Promise<Void> started = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              senders = new Members(vertx, Owned.RATES);
              senders.start().onComplete(started);
            });
    started.future().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  final Map<RatesVerticle, String> deployments = new HashMap<>();

  RatesVerticle deploy() throws Exception {
    RatesVerticle v = new RatesVerticle();
    deployments.put(v, vertx.deployVerticle(v).await(10, TimeUnit.SECONDS));
    return v;
  }

  void undeploy(RatesVerticle v) throws Exception {
    vertx.undeploy(deployments.remove(v)).await(10, TimeUnit.SECONDS);
  }

  /**
   * Posts the next sample of {@code server} (1 s after its last) to {@code address}; the derived
   * snapshot back.
   */
  DerivedSnapshot post(String server, String address) throws Exception {
    HostSim h = hosts.computeIfAbsent(server, s -> new HostSim(2, 1).cpu(40, 0));
    RawSample next = h.next(1000);
    Promise<DerivedSnapshot> derived = Promise.promise();
    var c =
        vertx
            .eventBus()
            .consumer(
                Addresses.DERIVED,
                m -> {
                  // In one Vert.x the record itself travels (RecordCodec); across nodes, its JSON.
                  DerivedSnapshot d =
                      m.body() instanceof DerivedSnapshot x
                          ? x
                          : DerivedSnapshot.fromJson((JsonObject) m.body());
                  if (server.equals(d.server())) {
                    derived.tryComplete(d);
                  }
                });
    c.completion().await(10, TimeUnit.SECONDS);
    vertx
        .eventBus()
        .request(address, new RawSample(server, "10.0.0.9", next.snapshot()).toJson())
        .await(10, TimeUnit.SECONDS);
    DerivedSnapshot d = derived.future().await(10, TimeUnit.SECONDS);
    c.unregister().await(10, TimeUnit.SECONDS);
    return d;
  }

  DerivedSnapshot post(String server) throws Exception {
    return post(server, senders.addressFor(server));
  }

  void until(BooleanSupplier condition) throws Exception {
    Promise<Void> p = Promise.promise();
    vertx.setPeriodic(
        1,
        20,
        id -> {
          if (condition.getAsBoolean()) {
            vertx.cancelTimer(id);
            p.tryComplete();
          }
        });
    p.future().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aServerHasOneOwnerAndATakeoverStartsClean() throws Exception {
    RatesVerticle a = deploy();
    RatesVerticle b = deploy();
    until(
        () ->
            senders.ring().nodes().size() == 2
                && a.ring().nodes().size() == 2
                && b.ring().nodes().size() == 2);
    String owner = senders.ring().owner("box");
    assertThat(owner).isEqualTo(a.ring().owner("box")).isEqualTo(b.ring().owner("box"));
    RatesVerticle owning = owner.equals(a.node()) ? a : b;
    RatesVerticle other = owning == a ? b : a;

    assertThat(post("box").intervalS()).as("first sample: gauges only").isNull();
    assertThat(post("box").intervalS()).isEqualTo(1.0);
    // A sender whose view lags sends to the other node: no rates (it has no reference, and keeps
    // none).
    assertThat(post("box", Owned.RATES.nodeAddress(other.node())).intervalS()).isNull();
    assertThat(post("box", Owned.RATES.nodeAddress(other.node())).intervalS())
        .as("still nothing kept")
        .isNull();
    // The owner measures from the last sample it had: a true average over the 3 s.
    assertThat(post("box").intervalS()).isEqualTo(3.0);

    // The owner goes (it says so on the way out): the other node takes over, clean.
    undeploy(owning);
    until(
        () ->
            senders.ring().nodes().equals(List.of(other.node()))
                && other.ring().nodes().equals(List.of(other.node())));
    assertThat(post("box").intervalS()).as("first sample after a takeover").isNull();
    assertThat(post("box").intervalS()).isEqualTo(1.0);
  }

  @Test
  void aJoiningNodeTakesOnlyItsShareAndTheOthersForgetWhatTheyGaveUp() throws Exception {
    RatesVerticle a = deploy();
    until(() -> senders.ring().nodes().size() == 1);
    List<String> servers = IntStream.range(0, 24).mapToObj(i -> "host-" + i).toList();
    for (String s : servers) {
      post(s);
      assertThat(post(s).intervalS()).isEqualTo(1.0);
    }
    RatesVerticle b = deploy();
    until(
        () ->
            senders.ring().nodes().size() == 2
                && a.ring().nodes().size() == 2
                && b.ring().nodes().size() == 2);
    List<String> moved =
        servers.stream().filter(s -> senders.ring().owner(s).equals(b.node())).toList();
    assertThat(moved).as("some moved, not all").isNotEmpty().hasSizeLessThan(servers.size());
    for (String s : servers) {
      assertThat(post(s).intervalS())
          .as(s + (moved.contains(s) ? " moved: starts clean" : " stayed: keeps its rates"))
          .isEqualTo(moved.contains(s) ? null : 1.0);
    }
    // Ownership comes back when b leaves. a dropped the state of what it gave up, so no 2 s rate
    // across b's time.
    undeploy(b);
    until(() -> senders.ring().nodes().size() == 1 && a.ring().nodes().size() == 1);
    for (String s : servers) {
      assertThat(post(s).intervalS()).as(s).isEqualTo(moved.contains(s) ? null : 1.0);
    }
  }
}
