package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceBundleTest {
  @TempDir
  Path dir;

  @Test
  void theManifestPassesSha256sumAndEveryFileIsOwnerOnly() throws Exception {
    EvidenceBundle bundle = EvidenceBundle.create(dir.resolve("ev"), dir.resolve("out"));
    bundle.write("logs/proxy.log", "line\n");
    bundle.write("audit/audit-log.jsonl", "{}\n");
    TimeWindow window = new TimeWindow(Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T11:00:00Z"));
    Step.Result result = new SealBundle(bundle, new SealBundle.Facts("incident", "tnl_1", "dir:/o", window, List.of()),
        () -> List.of(new StepRunner.Outcome(1, "archive tunnel tnl_1", Step.Status.DONE, "archived"))).run();

    assertThat(result.status()).isEqualTo(Step.Status.DONE);
    Path ev = dir.resolve("ev");
    assertThat(Files.readAllLines(ev.resolve("MANIFEST.sha256"))).extracting(l -> l.substring(66))
        .containsExactly("audit/audit-log.jsonl", "logs/proxy.log", "report.json", "report.txt");
    Process check = new ProcessBuilder("/usr/bin/sha256sum", "-c", "MANIFEST.sha256").directory(ev.toFile())
        .redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor()).as(output).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ev))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ev.resolve("logs/proxy.log"))))
        .isEqualTo("rw-------");
    assertThat(Files.readString(ev.resolve("report.txt"))).contains("[1/2] archive tunnel tnl_1: archived");
  }

  @Test
  void anExistingNonEmptyFolderOrOneInsideTheOutputIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("ev"));
    Files.writeString(dir.resolve("ev/report.txt"), "earlier");
    assertThatThrownBy(() -> EvidenceBundle.create(dir.resolve("ev"), null))
        .hasMessage("--evidence " + dir.resolve("ev") + " already holds files; evidence is never overwritten:"
            + " pass a new folder (or omit --evidence for a timestamped one)");
    assertThatThrownBy(() -> EvidenceBundle.create(dir.resolve("out/ev"), dir.resolve("out")))
        .hasMessage("--evidence " + dir.resolve("out/ev") + " is inside the setup output " + dir.resolve("out")
            + "; choose a folder outside it");
    assertThat(EvidenceBundle.defaultFolder("tnl_1", Instant.parse("2026-05-01T10:00:00Z")))
        .isEqualTo(Path.of("incident-tnl_1-20260501T100000Z"));
  }
}
