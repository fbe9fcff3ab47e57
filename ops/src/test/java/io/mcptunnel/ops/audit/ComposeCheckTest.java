package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComposeCheckTest {
  static final String DIGEST = "sha256:" + "a".repeat(64);
  static final String HARDENED = """
      image: ghcr.io/mcptunnel/mcptunnel@%s
      user: "65532:65532"
      read_only: true
      cap_drop: [ALL]
      security_opt: ["no-new-privileges:true"]
      logging: {driver: json-file, options: {max-size: "10m", max-file: "3"}}
      """.formatted(DIGEST);

  static List<Finding> check(String service, String yaml, Map<String, String> env) throws Exception {
    var tree = new YAMLMapper().readTree("services:\n  " + service + ":\n" + yaml.indent(4));
    return ComposeCheck.findings("compose.yaml", tree, new ComposeInterpolation(env));
  }

  @Test
  void hardenedServiceHasNoFinding() throws Exception {
    assertThat(check("proxy", HARDENED, Map.of())).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      'image: ghcr.io/mcptunnel/mcptunnel@sha256:a.*'                           | -
      'image: ghcr.io/mcptunnel/mcptunnel:1.0'                                | image-not-pinned
      'image: ghcr.io/mcptunnel/mcptunnel:1.0@sha256:abc'                     | image-not-pinned
      'image: ""'                                                             | image-not-pinned
      'user: "0:0"'                                                           | container-runs-as-root
      'user: root'                                                            | container-runs-as-root
      'read_only: false'                                                      | container-writable-root
      'cap_drop: [NET_RAW]'                                                   | container-capabilities-kept
      'security_opt: []'                                                      | container-new-privileges
      'logging: {driver: json-file}'                                          | container-log-rotation-missing
      'privileged: true'                                                      | container-privileged
      'network_mode: host'                                                    | container-host-network
      """)
  void eachWeakeningIsOneFinding(String override, String check) throws Exception {
    String key = override.substring(0, override.indexOf(':'));
    String yaml = HARDENED.lines().filter(l -> !l.startsWith(key + ":"))
        .reduce("", (a, b) -> a + b + "\n") + override.replace("sha256:a.*", DIGEST) + "\n";
    List<Finding> found = check("proxy", yaml, Map.of());
    if (check.equals("-")) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).extracting(Finding::check).containsExactly(check);
    assertThat(found.get(0).subject()).isEqualTo("service proxy (compose.yaml)");
  }

  @Test
  void missingHardeningIsReportedPerSetting() throws Exception {
    List<Finding> found = check("connector", "image: ghcr.io/mcptunnel/mcptunnel:latest\n", Map.of());
    assertThat(found).extracting(Finding::check, Finding::severity).containsExactly(
        org.assertj.core.groups.Tuple.tuple("image-not-pinned", Severity.HIGH),
        org.assertj.core.groups.Tuple.tuple("container-runs-as-root", Severity.MEDIUM),
        org.assertj.core.groups.Tuple.tuple("container-writable-root", Severity.MEDIUM),
        org.assertj.core.groups.Tuple.tuple("container-capabilities-kept", Severity.MEDIUM),
        org.assertj.core.groups.Tuple.tuple("container-new-privileges", Severity.MEDIUM),
        org.assertj.core.groups.Tuple.tuple("container-log-rotation-missing", Severity.MEDIUM));
    assertThat(found.get(0).evidence()).isEqualTo("image ghcr.io/mcptunnel/mcptunnel:latest is not pinned by a sha256 digest");
  }

  @Test
  void imageFromVariablesIsResolvedAndAnUnsetOneIsNamed() throws Exception {
    String yaml = HARDENED.replace("ghcr.io/mcptunnel/mcptunnel@" + DIGEST, "${IMAGE}");
    assertThat(check("proxy", yaml, Map.of("IMAGE", "ghcr.io/x/y@" + DIGEST))).isEmpty();
    List<Finding> found = check("proxy", yaml.replace("${IMAGE}", "${IMAGE:?set the pinned image}"), Map.of());
    assertThat(found).extracting(Finding::check).containsExactly("compose-variable-unset", "image-not-pinned");
    assertThat(found.get(0).evidence()).isEqualTo("variable IMAGE is not set in the environment or .env: set the pinned image");
    assertThat(found.get(1).evidence()).isEqualTo("image reference is empty");
  }
}
