package dev.trainwatch.collector.gpu.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgroupContainerIdTest {
  private static final String ID =
      "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00998877665544332211";
  private static final String ID2 =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      textBlock =
          """
      docker, cgroup v2 systemd                 | 0::/system.slice/docker-${ID}.scope                                                   | ${ID}
      docker, cgroup v1 cgroupfs                | 12:memory:/docker/${ID}                                                                | ${ID}
      docker, cgroup v2 cgroupfs                | 0::/docker/${ID}                                                                       | ${ID}
      containerd under kubelet, systemd driver  | 0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b_3c4d.slice/cri-containerd-${ID}.scope | ${ID}
      cri-o under kubelet                       | 0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod99.slice/crio-${ID}.scope | ${ID}
      kubelet, cgroupfs driver, v1              | 11:devices:/kubepods/burstable/pod1a2b3c4d-0000-1111-2222-333344445555/${ID}          | ${ID}
      containerd ctr, default namespace         | 0::/default/${ID}                                                                      | ${ID}
      nerdctl                                   | 0::/system.slice/nerdctl-${ID}.scope                                                   | ${ID}
      podman rootful                            | 0::/machine.slice/libpod-${ID}.scope/container                                         | ${ID}
      podman rootless                           | 0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope       | ${ID}
      podman cgroupfs                           | 0::/libpod_parent/libpod-${ID}                                                         | ${ID}
      ECS task                                  | 9:perf_event:/ecs/0123456789abcdef0123456789abcdef/${ID}                              | ${ID}
      docker in docker: the inner one           | 0::/docker/${ID2}/docker/${ID}                                                         | ${ID}
      cri-o conmon is not the container         | 0::/system.slice/crio-conmon-${ID}.scope                                               | NONE
      podman conmon is not the container        | 0::/machine.slice/libpod-conmon-${ID}.scope                                            | NONE
      a login session                           | 0::/user.slice/user-1000.slice/session-3.scope                                         | NONE
      containerd itself                         | 0::/system.slice/containerd.service                                                   | NONE
      a private cgroup namespace                | 0::/                                                                                   | NONE
      short ids are not container ids           | 0::/docker/3f4e5d6c7b8a                                                                | NONE
      upper-case hex is not docker's            | 0::/docker/3F4E5D6C7B8A99887766554433221100FFEEDDCCBBAA00998877665544332211               | NONE
      garbage                                   | not a cgroup line                                                                      | NONE
      """)
  void findsTheContainer(String what, String line, String expected) {
    String in = line.replace("${ID}", ID).replace("${ID2}", ID2);
    String out = expected == null ? null : expected.replace("${ID}", ID);
    assertThat(CgroupContainerId.parse(in)).as(what).isEqualTo(out);
  }

  @org.junit.jupiter.api.Test
  void cgroupV1FilesHaveManyLines() {
    String file =
        "12:pids:/docker/"
            + ID
            + "\n11:memory:/docker/"
            + ID
            + "\n1:name=systemd:/docker/"
            + ID
            + "\n";
    assertThat(CgroupContainerId.parse(file)).isEqualTo(ID);
    assertThat(CgroupContainerId.parse("12:pids:/\n0::/user.slice\n")).isNull();
    assertThat(CgroupContainerId.parse("")).isNull();
    assertThat(CgroupContainerId.parse(null)).isNull();
  }
}
