package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HelmValuesCheckTest {
  static final String HARDENED = """
      image:
        repository: ghcr.io/mcptunnel/mcptunnel
        digest: sha256:%s
      podSecurityContext:
        runAsNonRoot: true
        runAsUser: 65532
      containerSecurityContext:
        readOnlyRootFilesystem: true
        allowPrivilegeEscalation: false
        capabilities:
          drop: [ALL]
      networkPolicy:
        enabled: true
        upstreams:
          - {cidr: 10.0.0.6/32, port: 9000}
      renewCert:
        enabled: true
      """.formatted("b".repeat(64));

  static List<Finding> check(String yaml) throws Exception {
    return HelmValuesCheck.findings("values.yaml", new YAMLMapper().readTree(yaml));
  }

  @Test
  void hardenedValuesHaveNoFinding() throws Exception {
    assertThat(check(HARDENED)).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      'digest: sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' | 'digest: ""'                 | image-not-pinned
      'digest: sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' | 'digest: sha256:1234'        | image-not-pinned
      'runAsNonRoot: true'                                                 | 'runAsNonRoot: false'               | container-runs-as-root
      'runAsUser: 65532'                                                   | 'runAsUser: 0'                      | container-runs-as-root
      'readOnlyRootFilesystem: true'                                       | 'readOnlyRootFilesystem: false'     | container-writable-root
      'allowPrivilegeEscalation: false'                                    | 'allowPrivilegeEscalation: true'    | container-new-privileges
      'drop: [ALL]'                                                        | 'drop: [NET_RAW]'                   | container-capabilities-kept
      '  enabled: true\n  upstreams'                                       | '  enabled: false\n  upstreams'     | network-policy-disabled
      '- {cidr: 10.0.0.6/32, port: 9000}'                                  | ''                                  | network-policy-no-upstreams
      'renewCert:\n  enabled: true'                                        | 'renewCert:\n  enabled: false'      | renew-cert-disabled
      """)
  void eachWeakeningIsOneFinding(String from, String to, String check) throws Exception {
    String yaml = HARDENED.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    assertThat(yaml).isNotEqualTo(HARDENED);
    assertThat(check(yaml)).extracting(Finding::check).containsExactly(check);
  }

  @Test
  void noDigestNamesTheRepository() throws Exception {
    assertThat(check("image: {repository: ghcr.io/mcptunnel/mcptunnel, tag: \"1.0\"}\n")).first().satisfies(f -> {
      assertThat(f.check()).isEqualTo("image-not-pinned");
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.evidence()).isEqualTo("image.digest is not set: ghcr.io/mcptunnel/mcptunnel runs whatever its tag points to");
    });
  }
}
