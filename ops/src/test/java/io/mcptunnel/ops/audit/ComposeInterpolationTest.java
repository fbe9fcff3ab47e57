package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComposeInterpolationTest {
  static final Map<String, String> VARS = Map.of("TAG", "1.2", "EMPTY", "", "DIGEST", "sha256:ab");

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "~", textBlock = """
      img:${TAG}                | img:1.2              | ~
      img:$TAG                  | img:1.2              | ~
      img@${DIGEST}             | img@sha256:ab        | ~
      img:${MISSING:-latest}    | img:latest           | ~
      img:${EMPTY:-latest}      | img:latest           | ~
      img:${EMPTY-latest}       | img:                 | ~
      img:${MISSING-x}          | img:x                | ~
      img:${MISSING}            | img:                 | MISSING
      img:${MISSING:?set it}    | img:                 | MISSING
      img:${EMPTY:?set it}      | img:                 | EMPTY
      price $$5                 | price $5             | ~
      ${MISSING:-${TAG}}        | 1.2                  | ~
      """)
  void substitutesLikeCompose(String in, String out, String unset) {
    ComposeInterpolation i = new ComposeInterpolation(VARS);
    assertThat(i.apply(in)).isEqualTo(out);
    assertThat(i.unset().stream().map(ComposeInterpolation.Unset::name).toList())
        .isEqualTo(unset == null ? List.of() : List.of(unset));
  }

  @Test
  void requiredMessageIsKept() {
    ComposeInterpolation i = new ComposeInterpolation(Map.of());
    i.apply("${IMAGE:?pin the proxy image}");
    assertThat(i.unset()).containsExactly(new ComposeInterpolation.Unset("IMAGE", "pin the proxy image"));
  }

  @Test
  void environmentWinsOverDotEnvNextToTheFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(".env"), """
        # comment
        A=from-file
        B="quoted value"
        export C=exported # trailing comment
        """);
    Path compose = Files.writeString(dir.resolve("compose.yaml"), "services: {}\n");
    ComposeInterpolation i = ComposeInterpolation.forFile(compose, Map.of("A", "from-env"));
    assertThat(i.apply("$A|$B|$C")).isEqualTo("from-env|quoted value|exported");
  }
}
