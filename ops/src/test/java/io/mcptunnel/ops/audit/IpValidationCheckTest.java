package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.ops.allowedips.AllowedIpsSuggestion;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpValidationCheckTest {
  @TempDir
  Path dir;

  private static final HostResolver NO_DNS = h -> {
    throw new UnknownHostException(h);
  };

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      'upstream: {disable_ip_validation: true}'           | ip-validation-disabled | critical | disable_ip_validation is true: the proxy connects to any address, including loopback and cloud metadata; the routes need [10.0.0.6/31] (2 addresses)
      ''                                                  | allowed-ips-default    | medium   | allowed_ips not set: the default [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16] allows 17891328 addresses; the routes need [10.0.0.6/31] (2 addresses)
      'upstream: {allowed_ips: [10.0.0.0/24]}'            | allowed-ips-too-wide   | medium   | allowed_ips [10.0.0.0/24] allows 256 addresses; the routes need [10.0.0.6/31] (2 addresses)
      'upstream: {allowed_ips: [10.0.0.6/31]}'            | -                      | -        | -
      'upstream: {allowed_ips: [10.0.0.6, 10.0.0.7]}'     | -                      | -        | -
      """)
  void judgesThePolicyAgainstWhatTheRoutesNeed(String upstream, String check, String severity, String evidence) {
    var config = Configs.parse(dir, """
        routes:
          a.mcp.test: http://10.0.0.6:9000
          b.mcp.test: http://10.0.0.7:9000
        """ + upstream);
    List<Finding> found = IpValidationCheck.findings(AllowedIpsSuggestion.compute(config, NO_DNS));
    if (check.equals("-")) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(check);
      assertThat(f.severity().label()).isEqualTo(severity);
      assertThat(f.evidence()).isEqualTo(evidence);
      assertThat(f.fix()).contains("allowed_ips: [10.0.0.6/31]");
    });
  }
}
