package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.controlplane.api.ControlPlaneConfigParser.LogFormat;
import io.mcptunnel.controlplane.api.ControlPlaneConfigParser.LogLevel;
import io.mcptunnel.controlplane.api.ControlPlaneConfigParser.Parsed;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ControlPlaneConfigParserTest {
  static final Map<String, String> ENV = Map.of("DB_PW", "s3cret-pw");

  static Parsed parse(String yaml) {
    return ControlPlaneConfigParser.parse(yaml, "cp.yaml", ENV::get);
  }

  @Test
  void defaults() {
    Parsed p = parse("tunnel_zone: tunnels.example.com\n");
    assertThat(p.config().listen().getHostString()).isEqualTo("127.0.0.1");
    assertThat(p.config().listen().getPort()).isEqualTo(7850);
    assertThat(p.config().dataDirectory()).isEqualTo(Path.of("/var/lib/mcptunnel/control-plane"));
    assertThat(p.config().databaseUrl()).isNull();
    assertThat(p.config().maxActiveTunnelsPerOrganization()).isEqualTo(10);
    assertThat(p.logLevel()).isEqualTo(LogLevel.INFO);
    assertThat(p.logFormat()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void everyField() {
    Parsed p = parse("""
        listen: ":9000"
        data_dir: /srv/cp
        database_url: jdbc:postgresql://db:5432/cp?user=cp
        database_password_env: DB_PW
        tunnel_zone: t.example.org
        max_active_tunnels_per_org: 3
        log_level: debug
        log_format: text
        """);
    assertThat(p.config().listen().getPort()).isEqualTo(9000);
    assertThat(p.config().dataDirectory()).isEqualTo(Path.of("/srv/cp"));
    assertThat(p.config().databasePassword()).isEqualTo("s3cret-pw");
    assertThat(p.config().maxActiveTunnelsPerOrganization()).isEqualTo(3);
    assertThat(p.config().toString()).doesNotContain("s3cret-pw", "postgresql://");
    assertThat(p.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(p.config().tls()).isNull();
    assertThat(parse("tunnel_zone: a.b\ntls: {cert_file: /c.pem, key_file: /k.pem}\n").config().tls())
        .isEqualTo(new io.mcptunnel.controlplane.api.ControlPlaneConfig.TlsFiles(Path.of("/c.pem"), Path.of("/k.pem")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "listen: nope\\ntunnel_zone: a.b                                   | listen:",
      "tunnel_zone: a.b\\ntunnel_zon: x                                  | tunnel_zon",
      "data_dir: /x                                                       | tunnel_zone is required",
      "tunnel_zone: Not_A_Zone                                            | tunnel_zone:",
      "tunnel_zone: a.b\\nmax_active_tunnels_per_org: 0                  | max_active_tunnels_per_org:",
      "tunnel_zone: a.b\\nmax_active_tunnels_per_org: ten                | max_active_tunnels_per_org:",
      "tunnel_zone: a.b\\ndatabase_url: mysql://x:pw@h/db                | database_url:",
      "tunnel_zone: a.b\\ndatabase_password_env: DB_PW                   | needs database_url",
      "tunnel_zone: a.b\\ndatabase_url: jdbc:postgresql://h/d\\ndatabase_password_env: NOPE | NOPE is not set",
      "tunnel_zone: a.b\\nlog_level: loud                                | log_level:",
      "tunnel_zone: a.b\\ntls: {cert_file: /c}                           | tls.key_file is required",
      "tunnel_zone: a.b\\ntls: {cert_file: /c, key_file: /k, ca: x}      | ca",
  })
  void refusalsNameTheField(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml.replace("\\n", "\n")))
        .isInstanceOf(ControlPlaneConfigException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("pw@");
  }
}
