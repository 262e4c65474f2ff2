package dev.trainwatch.launcher;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster manager of a TLS cluster: Hazelcast's, except that the event bus sees only the
 * consumers of nodes whose {@link NodeCredential} verifies against the cluster's CA. A host that
 * joins Hazelcast (its open-source edition authenticates no member) can still write subscriptions
 * into its map, but no node of ours ever routes a message to them: without this, a request the bus
 * routed to such a consumer failed (a 503 to the agent), now it goes to one of ours.
 *
 * <p>A node's consumers count from the moment its credential has been checked (once per node, on a
 * worker: a certificate and a signature, ~0.5 ms). Until then they are left out, and when it
 * passes, the bus is told its registrations were lost so that it asks again.
 */
final class TrustedClusterManager implements ClusterManager {
  private static final Logger LOG = LoggerFactory.getLogger(TrustedClusterManager.class);

  /** Node information missing (a node between join and setNodeInfo): look again this often. */
  private static final long RETRY_MS = 250;

  private static final int RETRIES = 40;

  private final ClusterManager delegate;
  private final NodeCredential mine;
  private final X509Certificate ca;
  private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();
  private final Set<String> checking = ConcurrentHashMap.newKeySet();

  /** Per node not yet checked: the addresses whose registrations were shown without it. */
  private final Map<String, Set<String>> withheld = new ConcurrentHashMap<>();

  private volatile RegistrationListener registrations;
  private volatile Vertx vertx;

  TrustedClusterManager(ClusterManager delegate, NodeCredential mine, X509Certificate ca) {
    this.delegate = delegate;
    this.mine = mine;
    this.ca = ca;
    Gauge.builder("trainwatch.cluster.untrusted.nodes", this, TrustedClusterManager::distrusted)
        .description(
            "Members of the cluster whose credential this node refused (their consumers are ignored)")
        .register(Metrics.globalRegistry);
  }

  /** Members whose credential was refused (a gauge; the log says each once, with why). */
  long distrusted() {
    return verdicts.values().stream().filter(trusted -> !trusted).count();
  }

  @Override
  public void init(Vertx vertx) {
    this.vertx = vertx;
    delegate.init(vertx);
  }

  @Override
  public void setNodeInfo(NodeInfo nodeInfo, Completable<Void> promise) {
    NodeInfo signed;
    try {
      signed = mine.sign(getNodeId(), nodeInfo);
    } catch (Exception e) {
      promise.fail(e);
      return;
    }
    verdicts.put(getNodeId(), true);
    delegate.setNodeInfo(signed, promise);
  }

  @Override
  public void registrationListener(RegistrationListener listener) {
    registrations = listener;
    delegate.registrationListener(
        new RegistrationListener() {
          @Override
          public void registrationsUpdated(RegistrationUpdateEvent event) {
            listener.registrationsUpdated(
                new RegistrationUpdateEvent(
                    event.address(), trusted(event.address(), event.registrations())));
          }

          @Override
          public void registrationsLost() {
            listener.registrationsLost();
          }

          @Override
          public boolean wantsUpdatesFor(String address) {
            return listener.wantsUpdatesFor(address);
          }
        });
  }

  @Override
  public void getRegistrations(String address, Completable<List<RegistrationInfo>> promise) {
    delegate.getRegistrations(
        address,
        (list, failure) -> {
          if (failure != null) {
            promise.fail(failure);
          } else {
            promise.succeed(trusted(address, list));
          }
        });
  }

  @Override
  public void nodeListener(NodeListener listener) {
    delegate.nodeListener(
        new NodeListener() {
          @Override
          public void nodeAdded(String nodeId) {
            check(nodeId, RETRIES);
            listener.nodeAdded(nodeId);
          }

          @Override
          public void nodeLeft(String nodeId) {
            verdicts.remove(nodeId);
            withheld.remove(nodeId);
            listener.nodeLeft(nodeId);
          }
        });
  }

  private List<RegistrationInfo> trusted(String address, List<RegistrationInfo> list) {
    if (list == null) {
      return null;
    }
    return list.stream()
        .filter(
            r -> {
              Boolean verdict = verdicts.get(r.nodeId());
              if (verdict == null) {
                withheld
                    .computeIfAbsent(r.nodeId(), id -> ConcurrentHashMap.newKeySet())
                    .add(address);
                check(r.nodeId(), RETRIES);
              }
              return Boolean.TRUE.equals(verdict);
            })
        .toList();
  }

  /** Shows the bus again what it was shown without a node that has now passed its check. */
  private void release(String nodeId) {
    RegistrationListener listener = registrations;
    Set<String> addresses = withheld.remove(nodeId);
    if (listener == null || addresses == null) {
      return;
    }
    for (String address : addresses) {
      delegate.getRegistrations(
          address,
          (list, failure) -> {
            if (failure == null && list != null) {
              listener.registrationsUpdated(
                  new RegistrationUpdateEvent(address, trusted(address, list)));
            }
          });
    }
  }

  private void check(String nodeId, int retries) {
    Vertx v = vertx;
    if (v == null || verdicts.containsKey(nodeId) || !checking.add(nodeId)) {
      return;
    }
    delegate.getNodeInfo(
        nodeId,
        (info, failure) -> {
          if (failure != null || info == null) {
            checking.remove(nodeId);
            if (retries > 0 && delegate.getNodes().contains(nodeId)) {
              v.setTimer(RETRY_MS, t -> check(nodeId, retries - 1));
            }
            return;
          }
          v.executeBlocking(() -> NodeCredential.distrust(ca, nodeId, info, new Date()), false)
              .onComplete(
                  ar -> {
                    checking.remove(nodeId);
                    String why = ar.succeeded() ? ar.result() : "check failed: " + ar.cause();
                    verdicts.put(nodeId, why == null);
                    if (why == null) {
                      release(nodeId);
                    } else {
                      withheld.remove(nodeId);
                      LOG.warn(
                          "cluster node {} at {}:{} is not in this cluster's trust ({}): its consumers are ignored",
                          nodeId,
                          info.host(),
                          info.port(),
                          why);
                    }
                  });
        });
  }

  // What follows only forwards.

  @Override
  public <K, V> void getAsyncMap(String name, Completable<AsyncMap<K, V>> promise) {
    delegate.getAsyncMap(name, promise);
  }

  @Override
  public <K, V> Map<K, V> getSyncMap(String name) {
    return delegate.getSyncMap(name);
  }

  @Override
  public void getLockWithTimeout(String name, long timeout, Completable<Lock> promise) {
    delegate.getLockWithTimeout(name, timeout, promise);
  }

  @Override
  public void getCounter(String name, Completable<Counter> promise) {
    delegate.getCounter(name, promise);
  }

  @Override
  public String getNodeId() {
    return delegate.getNodeId();
  }

  @Override
  public List<String> getNodes() {
    return delegate.getNodes();
  }

  @Override
  public NodeInfo getNodeInfo() {
    return delegate.getNodeInfo();
  }

  @Override
  public void getNodeInfo(String nodeId, Completable<NodeInfo> promise) {
    delegate.getNodeInfo(nodeId, promise);
  }

  @Override
  public void join(Completable<Void> promise) {
    delegate.join(promise);
  }

  @Override
  public void leave(Completable<Void> promise) {
    delegate.leave(promise);
  }

  @Override
  public boolean isActive() {
    return delegate.isActive();
  }

  @Override
  public void addRegistration(
      String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    delegate.addRegistration(address, registrationInfo, promise);
  }

  @Override
  public void removeRegistration(
      String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    delegate.removeRegistration(address, registrationInfo, promise);
  }

  @Override
  public String clusterHost() {
    return delegate.clusterHost();
  }

  @Override
  public String clusterPublicHost() {
    return delegate.clusterPublicHost();
  }
}
