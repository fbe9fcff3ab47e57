package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.setup.OutputKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteOutputFilesTest {
  @TempDir
  Path dir;

  Path output() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    for (String key : OutputKeys.ALL) {
      Files.writeString(out.resolve(key), key);
    }
    Files.writeString(out.resolve("proxy.yaml"), "routes: {}");
    return out;
  }

  @Test
  void deletesTheCredentialsAndKeepsTheRestThenReportsNothingLeft() throws Exception {
    Path out = output();
    Step.Result first = new DeleteOutputFiles(out, false).run();
    assertThat(first).isEqualTo(Step.Result.done("deleted tunnel-token, ca.key, tls.key, tls.crt, ca.crt (kept"
        + " tunnel-id, tunnel-domain, token-version and other config; --all removes the folder)"));
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("tunnel-id", "tunnel-domain", "token-version", "proxy.yaml");
    }
    assertThat(new DeleteOutputFiles(out, false).run())
        .isEqualTo(Step.Result.already("no credential file left (non-secret config kept)"));
  }

  @Test
  void allRemovesTheFolder() throws Exception {
    Path out = output();
    assertThat(new DeleteOutputFiles(out, true).run()).isEqualTo(Step.Result.done("removed the folder and its 9 entries"));
    assertThat(out).doesNotExist();
    assertThat(new DeleteOutputFiles(out, true).run()).isEqualTo(Step.Result.already("not found (nothing stored)"));
  }
}
