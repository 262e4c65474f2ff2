package dev.trainwatch.alerts.eval;

import dev.trainwatch.alerts.Alert;
import dev.trainwatch.alerts.rules.Metric;
import dev.trainwatch.alerts.rules.Op;
import dev.trainwatch.alerts.rules.Rule;
import dev.trainwatch.alerts.rules.Severity;
import dev.trainwatch.alerts.rules.Xid;
import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.bus.derived.GpuFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Judges rules against snapshots: pure and single-threaded (its verticle's event loop), no I/O, so
 * every rule's behaviour is a fixture test. Durations ({@code for}, {@code clear_for}) are measured
 * in snapshot time, so a backlog an agent replays after an outage is judged as it happened, not as
 * it arrived. Silence ({@code server.offline}) is measured on the evaluator's clock, from when each
 * server's last snapshot arrived.
 *
 * <p>A break in a server's stream restarts a pending alert's clock: a condition is only "held for
 * 60 s" if it was seen to hold throughout. A break is a new boot, or more than {@link #STALE}
 * between two snapshots (Prometheus's staleness); rates' {@code gap} flag is not one, since it is
 * relative to this server's nominal interval and an agent may well sample every 10 s.
 */
public final class Evaluator {
  static final Duration STALE = Duration.ofMinutes(5);
  private final Supplier<String> ids;
  private List<Rule> rules = List.of();
  private final Map<String, ServerState> servers = new HashMap<>();

  /** Open alerts, kept as they change: read by the metrics scrape from its own thread. */
  private volatile int openCount;

  public Evaluator(Supplier<String> ids) {
    this.ids = ids;
  }

  /**
   * Per (rule, server, GPU): the open alert, when its clear condition started holding, the last
   * counter value.
   */
  static final class Track {
    Alert alert;
    Instant clearSince;
    double lastCounter = Double.NaN;
    String lastBoot;
  }

  static final class ServerState {
    final String server;
    Map<String, String> labels = Map.of();
    Instant lastArrival;
    Instant lastTs;
    String bootId;
    boolean active = true;

    /** [rule index][GPU index + 1]; slot 0 is the server-wide track. */
    Track[][] tracks;

    ServerState(String server, int rules) {
      this.server = server;
      this.tracks = new Track[rules][];
    }

    Track track(int rule, Integer gpu) {
      int slot = gpu == null ? 0 : gpu + 1;
      Track[] row = tracks[rule];
      if (row == null || row.length <= slot) {
        Track[] grown = new Track[Math.max(slot + 1, row == null ? 2 : row.length * 2)];
        if (row != null) {
          System.arraycopy(row, 0, grown, 0, row.length);
        }
        tracks[rule] = row = grown;
      }
      Track t = row[slot];
      if (t == null) {
        row[slot] = t = new Track();
      }
      return t;
    }
  }

  public List<Rule> rules() {
    return rules;
  }

  /**
   * Replaces the rule set, keeping the state of rules that keep their name. Open alerts of a rule
   * that is gone are resolved (nobody would ever resolve them otherwise).
   */
  public List<Change> setRules(List<Rule> next, Instant now) {
    List<Change> out = new ArrayList<>();
    Map<String, Integer> nextIndex = new HashMap<>();
    for (int i = 0; i < next.size(); i++) {
      nextIndex.put(next.get(i).name(), i);
    }
    for (ServerState s : servers.values()) {
      Track[][] moved = new Track[next.size()][];
      for (int i = 0; i < rules.size(); i++) {
        Integer j = nextIndex.get(rules.get(i).name());
        if (j != null && next.get(j).equals(rules.get(i))) {
          moved[j] = s.tracks[i];
        } else if (s.tracks[i] != null) {
          // Gone, or redefined (another metric, scope or threshold): what it had open would never
          // be judged again.
          String why = j == null ? " (rule removed)" : " (rule changed)";
          for (Track t : s.tracks[i]) {
            if (t != null && t.alert != null) {
              out.add(
                  new Change(
                      t.alert.resolve(now, t.alert.value(), t.alert.message() + why),
                      Change.Kind.RESOLVED));
            }
          }
        }
      }
      s.tracks = moved;
    }
    rules = List.copyOf(next);
    recount();
    return out;
  }

  /**
   * Open alerts from storage, after a restart or a change of evaluator: they continue where they
   * were, so nothing fires twice and nothing is forgotten. Those whose rule no longer exists are
   * resolved.
   */
  public List<Change> restore(List<Alert> open, Instant now) {
    List<Change> out = new ArrayList<>();
    for (Alert a : open) {
      int i = ruleIndex(a.rule());
      if (i < 0) {
        out.add(
            new Change(
                a.resolve(now, a.value(), a.message() + " (rule removed)"), Change.Kind.RESOLVED));
        continue;
      }
      ServerState s = server(a.server());
      if (s.lastArrival == null) {
        s.lastArrival = now;
      }
      s.track(i, a.gpuIndex()).alert = a;
    }
    recount();
    return out;
  }

  /** What the registry knows: when each server was last seen, and whether it is enabled. */
  public List<Change> registry(String server, Instant lastSeen, boolean active, Instant now) {
    ServerState s = server(server);
    if (s.lastArrival == null || (lastSeen != null && lastSeen.isAfter(s.lastArrival))) {
      s.lastArrival = lastSeen;
    }
    s.active = active;
    List<Change> out = new ArrayList<>();
    if (!active) {
      // A disabled server is not "offline": close its silence alerts.
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i).metric() == Metric.SERVER_OFFLINE) {
          end(rules.get(i), s.track(i, null), now, null, out);
        }
      }
    }
    return out;
  }

  /** Someone acknowledged an alert (on any node): an alert that waits for it is over. */
  public void acknowledged(Alert a) {
    ServerState s = servers.get(a.server());
    int i = ruleIndex(a.rule());
    if (s == null || i < 0) {
      return;
    }
    Track t = s.track(i, a.gpuIndex());
    if (t.alert != null && t.alert.id().equals(a.id())) {
      t.alert = a.open() ? t.alert.acknowledged(a.acknowledgedBy(), a.acknowledgedAt()) : null;
      if (t.alert == null) {
        openCount--;
      }
    }
  }

  public List<Change> onSnapshot(DerivedSnapshot snap, Instant arrival) {
    ServerState s = server(snap.server());
    List<Change> out = new ArrayList<>(0);
    s.lastArrival = arrival;
    if (snap.agent() != null && snap.agent().labels() != null) {
      s.labels = snap.agent().labels();
    }
    Instant ts = snap.ts();
    boolean broken =
        !snap.bootId().equals(s.bootId)
            || (s.lastTs != null && Duration.between(s.lastTs, ts).compareTo(STALE) > 0);
    s.bootId = snap.bootId();
    s.lastTs = ts;
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (rule.metric() == Metric.SERVER_OFFLINE) {
        end(rule, s.track(i, null), arrival, null, out);
        continue;
      }
      if (!rule.scope().matches(s.server, s.labels)) {
        // The server's labels changed: what the rule had open here is not its business any more.
        endAll(s.tracks[i], ts, " (server out of the rule's scope)", out);
        continue;
      }
      if (rule.metric().perGpu) {
        List<GpuFigures> gpus = snap.gpus();
        for (int g = 0; g < gpus.size(); g++) {
          GpuFigures gpu = gpus.get(g);
          step(
              rule,
              s,
              s.track(i, gpu.index()),
              gpu.index(),
              rule.metric().read(snap, gpu),
              ts,
              broken,
              out);
        }
      } else {
        step(rule, s, s.track(i, null), null, rule.metric().read(snap, null), ts, broken, out);
      }
    }
    return out;
  }

  /** Silence: run every second or so. */
  public List<Change> tick(Instant now) {
    List<Change> out = new ArrayList<>(0);
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (rule.metric() != Metric.SERVER_OFFLINE) {
        continue;
      }
      for (ServerState s : servers.values()) {
        if (s.lastArrival == null || !s.active || !rule.scope().matches(s.server, s.labels)) {
          continue;
        }
        double silent = Duration.between(s.lastArrival, now).toMillis() / 1000.0;
        Track t = s.track(i, null);
        if (rule.op().holds(Math.floor(silent), rule.threshold())) {
          if (t.alert == null) {
            // The episode started when the server went quiet, not when we noticed.
            open(rule, s, t, null, Math.floor(silent), s.lastArrival, now, out);
          } else if (t.alert.state() == Alert.State.PENDING
              && Duration.between(t.alert.startedAt(), now).compareTo(rule.forDuration()) >= 0) {
            fire(rule, t, null, Math.floor(silent), now, out);
          }
        }
      }
    }
    return out;
  }

  private void step(
      Rule rule,
      ServerState s,
      Track t,
      Integer gpu,
      Object value,
      Instant ts,
      boolean broken,
      List<Change> out) {
    if (value == null && rule.op() != Op.PRESENT) {
      // Unavailable is absent: no evidence either way, so nothing starts, continues or ends.
      return;
    }
    boolean holds;
    boolean cleared;
    Object shown = value;
    if (rule.op() == Op.RISES) {
      double prev = t.lastCounter;
      boolean sameBoot = s.bootId.equals(t.lastBoot);
      if (value != null) {
        t.lastCounter = (Double) value;
        t.lastBoot = s.bootId;
      }
      // A new boot resets the driver's counters: a lower or higher value then says nothing about
      // new errors.
      holds = value != null && !Double.isNaN(prev) && sameBoot && (Double) value > prev;
      cleared = value != null && !holds;
      shown = holds ? (Double) value - prev : value;
    } else if (rule.op() == Op.PRESENT) {
      holds = value != null;
      cleared = !holds;
    } else {
      holds = rule.op().holds(value, rule.threshold());
      cleared = rule.op().cleared(value, rule.clear());
    }
    Alert a = t.alert;
    if (a == null) {
      if (holds) {
        open(rule, s, t, gpu, shown, ts, ts, out);
        if (rule.op() == Op.RISES) {
          t.clearSince = ts;
        }
      }
      return;
    }
    if (a.state() == Alert.State.PENDING) {
      if (!holds) {
        end(rule, t, ts, shown, out);
      } else if (broken) {
        t.alert =
            new Alert(
                a.id(),
                a.rule(),
                a.severity(),
                a.server(),
                a.gpuIndex(),
                a.state(),
                a.resolve(),
                shown,
                a.threshold(),
                a.message(),
                ts,
                null,
                null,
                a.acknowledgedBy(),
                a.acknowledgedAt());
      } else if (Duration.between(a.startedAt(), ts).compareTo(rule.forDuration()) >= 0) {
        fire(rule, t, gpu, shown, ts, out);
      }
      return;
    }
    if (rule.resolve() == Rule.Resolve.ACK) {
      if (holds) {
        // Another event while the first waits for a person: one alert, escalated and naming the
        // latest.
        Severity sev = severity(rule, shown);
        boolean worse = sev.compareTo(a.severity()) > 0;
        t.alert = a.update(worse ? sev : a.severity(), shown, Messages.of(rule, gpu, shown));
        out.add(new Change(t.alert, worse ? Change.Kind.ESCALATED : Change.Kind.UPDATED));
      }
      return;
    }
    if (holds && rule.op() == Op.RISES) {
      // Quiet is counted from the last rise seen.
      t.alert =
          a.update(
              a.severity(), sum(a.value(), shown), Messages.of(rule, gpu, sum(a.value(), shown)));
      t.clearSince = ts;
      out.add(new Change(t.alert, Change.Kind.UPDATED));
      return;
    }
    if (!cleared) {
      if (rule.op() != Op.RISES) {
        t.clearSince = null;
      }
      return;
    }
    if (t.clearSince == null) {
      t.clearSince = ts;
    }
    if (Duration.between(t.clearSince, ts).compareTo(rule.clearFor()) >= 0) {
      end(rule, t, ts, rule.op() == Op.RISES ? a.value() : shown, out);
    }
  }

  private void open(
      Rule rule,
      ServerState s,
      Track t,
      Integer gpu,
      Object value,
      Instant startedAt,
      Instant now,
      List<Change> out) {
    openCount++;
    t.alert =
        new Alert(
            ids.get(),
            rule.name(),
            severity(rule, value),
            s.server,
            gpu,
            Alert.State.PENDING,
            rule.resolve(),
            value,
            rule.threshold(),
            Messages.of(rule, gpu, value),
            startedAt,
            null,
            null,
            null,
            null);
    t.clearSince = null;
    if (Duration.between(startedAt, now).compareTo(rule.forDuration()) >= 0) {
      fire(rule, t, gpu, value, now, out);
    } else {
      out.add(new Change(t.alert, Change.Kind.PENDING));
    }
  }

  private static void fire(
      Rule rule, Track t, Integer gpu, Object value, Instant at, List<Change> out) {
    t.alert = t.alert.fire(at, value, Messages.of(rule, gpu, value));
    out.add(new Change(t.alert, Change.Kind.FIRED));
  }

  private void end(Rule rule, Track t, Instant at, Object value, List<Change> out) {
    Alert a = t.alert;
    if (a == null) {
      return;
    }
    t.alert = null;
    t.clearSince = null;
    openCount--;
    Object v = value == null ? a.value() : value;
    String message =
        a.state() == Alert.State.PENDING ? a.message() + " (did not last)" : a.message();
    out.add(new Change(a.resolve(at, v, message), Change.Kind.RESOLVED));
  }

  private void endAll(Track[] row, Instant at, String why, List<Change> out) {
    if (row == null) {
      return;
    }
    for (Track t : row) {
      if (t != null && t.alert != null) {
        Alert a = t.alert;
        t.alert = null;
        t.clearSince = null;
        openCount--;
        out.add(new Change(a.resolve(at, a.value(), a.message() + why), Change.Kind.RESOLVED));
      }
    }
  }

  private void recount() {
    int n = 0;
    for (ServerState s : servers.values()) {
      for (Track[] row : s.tracks) {
        if (row != null) {
          for (Track t : row) {
            n += t != null && t.alert != null ? 1 : 0;
          }
        }
      }
    }
    openCount = n;
  }

  /** Open alerts now; safe from any thread. */
  public int openCount() {
    return openCount;
  }

  /** XIDs carry their own severity: the critical set escalates the rule's. */
  private static Severity severity(Rule rule, Object value) {
    if (rule.metric() == Metric.GPU_XID
        && value instanceof Number n
        && Xid.critical(n.longValue())) {
      return Severity.CRITICAL;
    }
    return rule.severity();
  }

  private static Object sum(Object a, Object b) {
    return (a instanceof Number x ? x.doubleValue() : 0)
        + (b instanceof Number y ? y.doubleValue() : 0);
  }

  private int ruleIndex(String name) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private ServerState server(String name) {
    return servers.computeIfAbsent(name, n -> new ServerState(n, rules.size()));
  }

  /** Open alerts now (for tests and the status log). */
  public List<Alert> open() {
    List<Alert> out = new ArrayList<>();
    for (ServerState s : servers.values()) {
      for (Track[] row : s.tracks) {
        if (row != null) {
          for (Track t : row) {
            if (t != null && t.alert != null) {
              out.add(t.alert);
            }
          }
        }
      }
    }
    return out;
  }
}
