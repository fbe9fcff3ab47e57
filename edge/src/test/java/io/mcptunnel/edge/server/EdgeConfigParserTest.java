package io.mcptunnel.edge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.common.HostPort;
import io.mcptunnel.edge.callers.Caller;
import io.mcptunnel.egress.Ipv4Cidr;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EdgeConfigParserTest {
  static final String HASH_A = "0123456789abcdef".repeat(4);
  static final String HASH_B = "ab".repeat(32);
  static final String MINIMAL = """
      tls: {cert_file: /etc/e.crt, key_file: /etc/e.key}
      registry_file: /etc/tunnels.yaml
      """;

  static EdgeConfig parse(String yaml) {
    return EdgeConfigParser.parse(yaml, "edge.yaml");
  }

  static final String CERT_A = "c0ffee00".repeat(8);
  static final String CERT_B = "fe".repeat(32);
  static final String WITH_CALLER_CAS = MINIMAL + "caller_tls: {client_ca_file: /etc/caller-ca.pem}\n";

  /** The minimal config plus one caller whose fields are {@code fields} (flow-style map body). */
  static String withCaller(String fields) {
    return MINIMAL + "callers:\n  - {" + fields + "}\n";
  }

  /** As {@link #withCaller}, with caller CAs configured so callers may be pinned by certificate. */
  static String withCertificateCaller(String fields) {
    return WITH_CALLER_CAS + "callers:\n  - {" + fields + "}\n";
  }

  @Test
  void fullConfigIsRead() {
    EdgeConfig c = parse("""
        connector_listen: ":17844"
        caller_listen: "127.0.0.1:17845"
        admin_addr: "127.0.0.1:17846"
        tls:
          cert_file: /etc/mcptunnel/edge.crt
          key_file: /etc/mcptunnel/edge.key
        registry_file: /etc/mcptunnel/tunnels.yaml
        registry_poll_interval: 500ms
        callers:
          - name: backend
            organization: org_1
            key_sha256: %s
            allowed_sources: [10.0.0.0/8, 192.168.1.7]
          - name: ci
            organization: org_2
            key_sha256: %s
        log_level: debug
        log_format: text
        """.formatted(HASH_A, HASH_B));
    assertThat(c.connectorListen()).isEqualTo(new HostPort("", 17844));
    assertThat(c.callerListen()).isEqualTo(new HostPort("127.0.0.1", 17845));
    assertThat(c.adminAddr()).isEqualTo(new HostPort("127.0.0.1", 17846));
    assertThat(c.certFile()).isEqualTo(Path.of("/etc/mcptunnel/edge.crt"));
    assertThat(c.keyFile()).isEqualTo(Path.of("/etc/mcptunnel/edge.key"));
    assertThat(c.tunnelSource())
        .isEqualTo(new EdgeConfig.RegistryFile(Path.of("/etc/mcptunnel/tunnels.yaml"), Duration.ofMillis(500)));
    assertThat(c.callers()).containsExactly(
        new Caller("backend", "org_1", HASH_A, List.of(Ipv4Cidr.parse("10.0.0.0/8"), Ipv4Cidr.parse("192.168.1.7"))),
        new Caller("ci", "org_2", HASH_B, List.of()));
    assertThat(c.logLevel()).isEqualTo(EdgeConfig.LogLevel.DEBUG);
    assertThat(c.logFormat()).isEqualTo(EdgeConfig.LogFormat.TEXT);
  }

  @Test
  void defaultsApplyToOmittedFields() {
    EdgeConfig c = parse(MINIMAL);
    assertThat(c.connectorListen()).hasToString(":7844");
    assertThat(c.callerListen()).hasToString(":7845");
    assertThat(c.adminAddr()).hasToString("127.0.0.1:7846");
    assertThat(c.tunnelSource()).isEqualTo(new EdgeConfig.RegistryFile(Path.of("/etc/tunnels.yaml"), Duration.ofSeconds(2)));
    assertThat(c.callers()).isEmpty();
    assertThat(c.callerClientCaFile()).isEmpty();
    assertThat(c.logLevel()).isEqualTo(EdgeConfig.LogLevel.INFO);
    assertThat(c.logFormat()).isEqualTo(EdgeConfig.LogFormat.JSON);
  }

  @Test
  void describeLeavesOutKeyHashes() {
    String text = parse(withCaller("name: backend, organization: org_1, key_sha256: " + HASH_B)).describe();
    assertThat(text).contains("connector_listen: \":7844\"", "name: backend", "key_sha256: (set)",
        "key_file: /etc/e.key  # contents not shown").doesNotContain(HASH_B);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown top-level field   | registry_fil: x                    | unknown field "registry_fil"
      unknown tls field         | tls: {cert: a, cert_file: a, key_file: b} | unknown field "tls.cert" (known fields of tls: cert_file, key_file)
      bad connector_listen      | connector_listen: "7844"           | connector_listen: "7844" has no port
      bad caller_listen         | caller_listen: "[::1:80"           | caller_listen:
      bad admin_addr            | admin_addr: "host:http"            | admin_addr: "host:http" has an invalid port
      clashing ports            | caller_listen: ":7844"             | caller_listen: ":7844" uses the same port as connector_listen
      bad poll interval         | registry_poll_interval: soon       | registry_poll_interval:
      zero poll interval        | registry_poll_interval: 0s         | registry_poll_interval: must be greater than zero
      bad log level             | log_level: loud                    | log_level: "loud" is not valid (expected one of: debug, info, warn, error)
      bad log format            | log_format: xml                    | log_format: "xml" is not valid
      callers not a list        | callers: {name: x}                 | callers: cannot unmarshal !!map into a list
      unknown caller_tls field  | caller_tls: {ca_file: /c.pem}      | unknown field "caller_tls.ca_file" (known fields of caller_tls: client_ca_file)
      caller_tls not a map      | caller_tls: /c.pem                 | caller_tls: cannot unmarshal !!str into a map of fields
      caller_tls without a file | caller_tls: {}                     | caller_tls.client_ca_file is required
      client_ca_file not a path | caller_tls: {client_ca_file: [a]}  | caller_tls.client_ca_file: cannot unmarshal !!seq into string
      """)
  void topLevelRefusalsNameTheField(String name, String line, String message) {
    // A later duplicate key would be refused as a duplicate, so replace rather than append where needed.
    String yaml = line.startsWith("tls:") ? "registry_file: /r\n" + line : MINIMAL + line + "\n";
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(EdgeConfigException.class).hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown caller field  | name: a, organization: o, key_sha256: HASH, allowed_source: [10.0.0.0/8] | unknown field "callers[0].allowed_source"
      missing name          | organization: o, key_sha256: HASH                   | callers[0].name is required
      bad name              | name: 'a b', organization: o, key_sha256: HASH      | callers[0].name: "a b" is not valid
      missing organization  | name: a, key_sha256: HASH                           | callers[0].organization is required
      missing key hash      | name: a, organization: o                            | callers[0]: key_sha256 or certificate_sha256 is required
      upper-case key hash   | name: a, organization: o, key_sha256: UPPER         | callers[0].key_sha256: expected 64 lowercase hex characters
      short key hash        | name: a, organization: o, key_sha256: abc123        | callers[0].key_sha256: expected 64 lowercase hex characters
      bad source            | name: a, organization: o, key_sha256: HASH, allowed_sources: [10.0.0.0/33] | callers[0].allowed_sources: "10.0.0.0/33" is not an IPv4 CIDR
      IPv6 source           | name: a, organization: o, key_sha256: HASH, allowed_sources: ['::1/128'] | callers[0].allowed_sources: "::1/128" is not an IPv4 CIDR
      sources not a list    | name: a, organization: o, key_sha256: HASH, allowed_sources: 10.0.0.0/8 | callers[0].allowed_sources: cannot unmarshal !!str into []string
      """)
  void callerRefusalsNameTheField(String name, String fields, String message) {
    String yaml = withCaller(fields.replace("HASH", HASH_A).replace("UPPER", HASH_B.toUpperCase()));
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(EdgeConfigException.class).hasMessageContaining(message);
  }

  @Test
  void callersPinnedByCertificateAreRead() {
    EdgeConfig c = parse(WITH_CALLER_CAS + """
        callers:
          - name: backend
            organization: org_1
            certificate_sha256: "%s"
            allowed_sources: [10.0.0.0/8]
          - name: migrating
            organization: org_2
            key_sha256: "%s"
            certificate_sha256: "%s"
          - name: legacy
            organization: org_2
            key_sha256: "%s"
        """.formatted(CERT_A, HASH_A, CERT_B, HASH_B));
    assertThat(c.callerClientCaFile()).contains(Path.of("/etc/caller-ca.pem"));
    assertThat(c.callers()).containsExactly(
        new Caller("backend", "org_1", null, CERT_A, List.of(Ipv4Cidr.parse("10.0.0.0/8"))),
        new Caller("migrating", "org_2", HASH_A, CERT_B, List.of()),
        new Caller("legacy", "org_2", HASH_B, null, List.of()));
  }

  @Test
  void describeShowsCallerCasAndCertificatePinsButNoKeyHash() {
    String text = parse(withCertificateCaller("name: backend, organization: org_1, certificate_sha256: '" + CERT_A
        + "', key_sha256: " + HASH_B)).describe();
    assertThat(text).contains("caller_tls:\n  client_ca_file: /etc/caller-ca.pem",
        "certificate_sha256: \"" + CERT_A + "\"", "key_sha256: (set)").doesNotContain(HASH_B);
    assertThat(parse(withCertificateCaller("name: b, organization: o, certificate_sha256: '" + CERT_A + "'")).describe())
        .doesNotContain("key_sha256");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      upper-case fingerprint  | name: a, organization: o, certificate_sha256: UPPER  | callers[0].certificate_sha256: expected 64 lowercase hex characters (the SHA-256 of the caller's certificate in DER form
      colon fingerprint       | name: a, organization: o, certificate_sha256: 'COLONS' | callers[0].certificate_sha256: expected 64 lowercase hex characters
      short fingerprint       | name: a, organization: o, certificate_sha256: abc123 | callers[0].certificate_sha256: expected 64 lowercase hex characters
      empty fingerprint       | name: a, organization: o, certificate_sha256: ''     | callers[0].certificate_sha256: expected 64 lowercase hex characters
      fingerprint not a value | name: a, organization: o, certificate_sha256: [CERT] | callers[0].certificate_sha256: cannot unmarshal !!seq into string
      all-digit fingerprint   | name: a, organization: o, certificate_sha256: DIGITS | callers[0].certificate_sha256: YAML read the value as a number; put the hash in quotes
      bad key beside a pin    | name: a, organization: o, certificate_sha256: CERT, key_sha256: abc | callers[0].key_sha256: expected 64 lowercase hex characters
      neither key nor pin     | name: a, organization: o, allowed_sources: [10.0.0.0/8] | callers[0]: key_sha256 or certificate_sha256 is required
      """)
  void certificatePinRefusalsNameTheField(String name, String fields, String message) {
    String yaml = withCertificateCaller(fields.replace("UPPER", CERT_B.toUpperCase()).replace("DIGITS", "1".repeat(64))
        .replace("COLONS", String.join(":", CERT_B.split("(?<=\\G..)")).toUpperCase()).replace("CERT", CERT_A));
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(EdgeConfigException.class).hasMessageContaining(message);
  }

  @Test
  void aCertificatePinNeedsTheCallerCas() {
    assertThatThrownBy(() -> parse(withCaller("name: a, organization: o, certificate_sha256: '" + CERT_A + "'")))
        .isInstanceOf(EdgeConfigException.class)
        .hasMessage("callers[0].certificate_sha256: needs caller_tls.client_ca_file (the CA certificates that issue "
            + "caller certificates), so that the edge asks for a client certificate");
  }

  @Test
  void callerCasWithoutCertificateCallersAreAccepted() {
    // An operator may put the CAs in place before pinning the first certificate; key callers are unaffected.
    EdgeConfig c = parse(WITH_CALLER_CAS + "callers:\n  - {name: a, organization: o, key_sha256: " + HASH_A + "}\n");
    assertThat(c.callerClientCaFile()).isPresent();
    assertThat(c.callers()).extracting(Caller::usesCertificate).containsExactly(false);
  }

  @Test
  void duplicateCertificatePinsAreRefused() {
    String yaml = WITH_CALLER_CAS + """
        callers:
          - {name: a, organization: o1, certificate_sha256: "%s"}
          - {name: b, organization: o2, key_sha256: "%s", certificate_sha256: "%s"}
        """.formatted(CERT_A, HASH_A, CERT_A);
    assertThatThrownBy(() -> parse(yaml))
        .hasMessage("callers[1].certificate_sha256: duplicate certificate (also callers[0])");
  }

  @Test
  void anUnquotedAllDigitHashIsRefusedRatherThanReadAsANumber() {
    assertThatThrownBy(() -> parse(withCaller("name: a, organization: o, key_sha256: " + "0".repeat(64))))
        .hasMessage("callers[0].key_sha256: YAML read the value as a number; put the hash in quotes");
    assertThat(parse(withCaller("name: a, organization: o, key_sha256: '" + "0".repeat(64) + "'")).callers())
        .extracting(Caller::keySha256).containsExactly("0".repeat(64));
  }

  @Test
  void aKeyPastedInsteadOfItsHashIsNotEchoed() {
    String key = "ck_live_secret_value_that_is_not_a_hash";
    assertThatThrownBy(() -> parse(withCaller("name: a, organization: o, key_sha256: " + key)))
        .hasMessageContaining("callers[0].key_sha256").hasMessageNotContaining(key);
  }

  @Test
  void duplicateCallerNamesAreRefused() {
    String yaml = MINIMAL + """
        callers:
          - {name: a, organization: o, key_sha256: %s}
          - {name: a, organization: o, key_sha256: %s}
        """.formatted(HASH_A, HASH_B);
    assertThatThrownBy(() -> parse(yaml)).hasMessage("callers[1].name: duplicate \"a\" (also callers[0])");
  }

  @Test
  void duplicateCallerKeysAreRefusedWithoutEchoingTheHash() {
    String yaml = MINIMAL + """
        callers:
          - {name: a, organization: o1, key_sha256: %s}
          - {name: b, organization: o2, key_sha256: %s}
        """.formatted(HASH_B, HASH_B);
    assertThatThrownBy(() -> parse(yaml)).hasMessage("callers[1].key_sha256: duplicate key (also callers[0])");
  }

  @Test
  void requiredFieldsAreNamed() {
    assertThatThrownBy(() -> parse("registry_file: /r\n")).hasMessageContaining("tls is required");
    assertThatThrownBy(() -> parse("registry_file: /r\ntls: {key_file: k}\n")).hasMessage("tls.cert_file is required");
    assertThatThrownBy(() -> parse("tls: {cert_file: c, key_file: k}\n"))
        .hasMessage("registry_file or control_plane is required (where the edge gets its tunnel state)");
  }

  @Test
  void emptyAndMalformedFilesAreRefused() {
    assertThatThrownBy(() -> parse("")).hasMessageContaining("edge.yaml: empty configuration");
    assertThatThrownBy(() -> parse("- a\n")).hasMessageContaining("must be a map of fields");
    assertThatThrownBy(() -> parse(MINIMAL + "registry_file: /again\n")).hasMessageContaining("invalid YAML")
        .hasMessageContaining("registry_file");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> EdgeConfigParser.parse(Path.of("/nonexistent/edge.yaml")))
        .isInstanceOf(EdgeConfigException.class).hasMessage("open /nonexistent/edge.yaml: no such file or directory");
  }

  static final String TLS_ONLY = "tls: {cert_file: /etc/e.crt, key_file: /etc/e.key}\n";

  @Test
  void controlPlaneIsRead() {
    EdgeConfig c = parse(TLS_ONLY + """
        control_plane:
          url: "https://cp.internal:7850"
          credential_file: /etc/mcptunnel/edge.credential
          ca_file: /etc/mcptunnel/control-plane-ca.crt
        """);
    assertThat(c.tunnelSource()).isEqualTo(new EdgeConfig.ControlPlane(URI.create("https://cp.internal:7850"),
        Path.of("/etc/mcptunnel/edge.credential"), Optional.of(Path.of("/etc/mcptunnel/control-plane-ca.crt"))));
    assertThat(c.describe()).contains("control_plane:\n  url: \"https://cp.internal:7850\"\n",
        "credential_file: /etc/mcptunnel/edge.credential  # contents not shown",
        "ca_file: /etc/mcptunnel/control-plane-ca.crt").doesNotContain("registry_file");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      https, no ca file            | https://cp.internal:7850/  | https://cp.internal:7850
      http to 127.0.0.1            | http://127.0.0.1:7850      | http://127.0.0.1:7850
      http to another loopback     | http://127.0.0.2:7850      | http://127.0.0.2:7850
      http to localhost            | http://localhost:7850      | http://localhost:7850
      http to ::1                  | http://[::1]:7850          | http://[::1]:7850
      """)
  void controlPlaneUrlsAccepted(String name, String url, String expected) {
    EdgeConfig c = parse(TLS_ONLY + "control_plane: {url: \"" + url + "\", credential_file: /c}\n");
    assertThat(c.tunnelSource()).isEqualTo(new EdgeConfig.ControlPlane(URI.create(expected), Path.of("/c"), Optional.empty()));
    assertThat(c.describe()).contains("ca_file: none  # the system trust store");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      both sources           | registry_file: /r NL control_plane: {url: "https://cp:1", credential_file: /c} | registry_file and control_plane: set only one of the two
      neither source         | log_level: info                                                          | registry_file or control_plane is required
      poll without file      | registry_poll_interval: 1s NL control_plane: {url: "https://cp:1", credential_file: /c} | registry_poll_interval: only applies to registry_file
      unknown field          | control_plane: {url: "https://cp:1", credential_file: /c, token: x}      | unknown field "control_plane.token"
      not a map              | control_plane: "https://cp:1"                                            | control_plane: cannot unmarshal !!str into a map of fields
      missing url            | control_plane: {credential_file: /c}                                     | control_plane.url is required
      missing credential     | control_plane: {url: "https://cp:1"}                                     | control_plane.credential_file is required
      http to a network host | control_plane: {url: "http://cp.internal:7850", credential_file: /c}    | control_plane.url: "http://cp.internal:7850" uses http:// to a host that is not this machine; the edge credential would travel in clear
      http to a private IP   | control_plane: {url: "http://10.0.0.5:7850", credential_file: /c}      | would travel in clear
      other scheme           | control_plane: {url: "ftp://cp:1", credential_file: /c}                 | control_plane.url: "ftp://cp:1" must start with https://
      no host                | control_plane: {url: "https:///x", credential_file: /c}                 | control_plane.url: "https:///x" must be https://host[:port]
      user info              | control_plane: {url: "https://u:p@cp:1", credential_file: /c}           | control_plane.url: "https://u:p@cp:1" must be https://host[:port] (no user info)
      a path                 | control_plane: {url: "https://cp:1/api", credential_file: /c}           | without path, query or fragment
      a query                | control_plane: {url: "https://cp:1?a=b", credential_file: /c}           | without path, query or fragment
      ca file with http      | control_plane: {url: "http://127.0.0.1:1", credential_file: /c, ca_file: /ca} | control_plane.ca_file: only applies to an https:// url
      """)
  void controlPlaneRefusalsNameTheField(String name, String lines, String message) {
    String yaml = TLS_ONLY + lines.replace(" NL ", "\n") + "\n";
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(EdgeConfigException.class).hasMessageContaining(message);
  }
}
