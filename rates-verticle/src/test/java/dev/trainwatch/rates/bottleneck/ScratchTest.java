package dev.trainwatch.rates.bottleneck;

import dev.trainwatch.bus.derived.DerivedSnapshot;
import dev.trainwatch.rates.HostSim;
import dev.trainwatch.rates.ServerRates;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchTest {
  DerivedSnapshot run(HostSim h, int n) {
    ServerRates r = new ServerRates("sim", Duration.ofSeconds(2), Duration.ofSeconds(10));
    DerivedSnapshot d = null;
    for (int i = 0; i < n; i++) {
      d = r.accept(h.next(2000));
    }
    return d;
  }

  @Test
  void print() {
    p(run(new HostSim(8, 2).gpus(95, 91).cpu(40, 1).disk(10), 8));
    p(run(new HostSim(32, 8).gpus(23).cpu(97, 1).disk(5), 8));
    p(run(new HostSim(8, 2).gpus(30).cpu(20, 15).disk(95), 8));
    p(run(new HostSim(8, 2).gpus(30).cpu(20, 1).disk(5).ram(3).swap(8 * 1024 * 1024), 8));
    p(run(new HostSim(8, 2).gpus(60).cpu(40, 1).disk(5), 8));
    p(run(new HostSim(8, 2).gpus(0).cpu(2, 0).disk(0), 8));
    p(run(new HostSim(8, 2).gpus(20).cpu(40, 1).disk(5), 8));
    p(run(new HostSim(8, 2).gpus(30).cpu(90, 8).disk(95), 8));
    p(run(new HostSim(8, 0).cpu(2, 0).disk(1), 8));
    p(run(new HostSim(8, 0).cpu(95, 0).disk(1), 8));
    p(run(new HostSim(8, 0).cpu(40, 0).disk(1), 8));
    p(run(new HostSim(8, 2).gpus(95).cpu(40, 1).disk(10).clockReasons(1, List.of("gpu_idle", "sw_thermal_slowdown")), 8));
  }

  void p(DerivedSnapshot d) {
    System.out.println(d.bottleneck());
  }
}
