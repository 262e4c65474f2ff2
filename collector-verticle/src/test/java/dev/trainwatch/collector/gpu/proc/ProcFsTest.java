package dev.trainwatch.collector.gpu.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
  @Test
  void realUidIsTheFirstUidField() {
    String status =
        "Name:\tpython3\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\n";
    assertThat(ProcFs.realUid(status)).isEqualTo(1000L);
    assertThat(ProcFs.realUid("Name:\tx\n")).isNull();
    assertThat(ProcFs.realUid(null)).isNull();
  }

  @Test
  void commandJoinsArgumentsAndIsCut() {
    byte[] raw = "python\0train.py\0--lr\0000.1\0".getBytes(StandardCharsets.UTF_8);
    assertThat(ProcFs.command(raw)).isEqualTo("python train.py --lr 0.1");
    assertThat(ProcFs.command(new byte[0])).isNull();
    assertThat(ProcFs.command(new byte[] {0, 0})).isNull();
    assertThat(ProcFs.command(null)).isNull();
    assertThat(ProcFs.command("x".repeat(5000).getBytes(StandardCharsets.UTF_8)))
        .hasSize(ProcFs.MAX_COMMAND);
  }

  @Test
  void detailsFromAProcTree(@TempDir Path root) throws Exception {
    Path p = Files.createDirectories(root.resolve("4242"));
    Files.writeString(p.resolve("status"), "Name:\tpython\nUid:\t1000\t1000\t1000\t1000\n");
    Files.write(p.resolve("cmdline"), "python\0train.py\0".getBytes(StandardCharsets.UTF_8));
    Files.writeString(
        p.resolve("cgroup"), "0::/system.slice/docker-" + "ab".repeat(32) + ".scope\n");
    Path kernel = Files.createDirectories(root.resolve("7"));
    Files.writeString(kernel.resolve("status"), "Name:\tkworker\nUid:\t0\t0\t0\t0\n");
    Files.write(kernel.resolve("cmdline"), new byte[0]);
    Files.writeString(kernel.resolve("comm"), "kworker/0:1\n");

    UserNames users = new UserNames(uid -> uid == 1000 ? "alice" : uid == 0 ? "root" : null);
    ProcFs proc = new ProcFs(root);
    assertThat(ProcessDetails.of(4242, proc, users))
        .isEqualTo(new ProcessDetails("alice", "python train.py", "ab".repeat(32)));
    assertThat(ProcessDetails.of(7, proc, users))
        .isEqualTo(new ProcessDetails("root", "kworker/0:1", null));
    assertThat(ProcessDetails.of(99, proc, users)).isEqualTo(ProcessDetails.UNKNOWN);
    assertThat(ProcessDetails.of(99, proc, users).withCommandFallback("ffmpeg"))
        .isEqualTo(new ProcessDetails(null, "ffmpeg", null));
  }

  @Test
  void unknownUsersAreCachedAsUnknown() {
    int[] lookups = {0};
    UserNames users =
        new UserNames(
            uid -> {
              lookups[0]++;
              return null;
            });
    assertThat(users.name(12345)).isNull();
    assertThat(users.name(12345)).isNull();
    assertThat(lookups[0]).isEqualTo(1);
  }
}
