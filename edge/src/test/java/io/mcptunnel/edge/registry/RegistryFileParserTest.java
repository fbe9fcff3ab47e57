package io.mcptunnel.edge.registry;

import static io.mcptunnel.edge.registry.RegistryFixtures.CA_A;
import static io.mcptunnel.edge.registry.RegistryFixtures.CA_B;
import static io.mcptunnel.edge.registry.RegistryFixtures.PKI_A;
import static io.mcptunnel.edge.registry.RegistryFixtures.caBlock;
import static io.mcptunnel.edge.registry.RegistryFixtures.entry;
import static io.mcptunnel.edge.registry.RegistryFixtures.pem;
import static io.mcptunnel.edge.registry.RegistryFixtures.registry;
import static io.mcptunnel.edge.registry.RegistryFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.tunnel.TunnelToken;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryFileParserTest {
  private static final TunnelToken TOKEN = token("tnl_a", "tok_2", 2);
  private static final String VALID = registry(entry("tnl_a", "a.tunnel.example", TOKEN,
      "    retired_token_ids: [tok_1]\n    archived: false\n"));

  @Test
  void readsEveryField() {
    List<TunnelState> tunnels = RegistryFileParser.parse(registry(
        entry("tnl_a", "A.Tunnel.Example", TOKEN, "    retired_token_ids: [tok_1, tok_0]\n"
            + "    archived: true\n" + caBlock(pem(CA_A, CA_B)))), "test");

    assertThat(tunnels).containsExactly(new TunnelState("tnl_a", "a.tunnel.example", "org_1", "tok_2",
        TOKEN.secretHash(), Set.of("tok_0", "tok_1"), List.of(CA_A, CA_B), true));
  }

  @Test
  void readsSeveredTokenIds() {
    TunnelState t = RegistryFileParser.parse(registry(entry("tnl_a", "a.tunnel.example", TOKEN,
        "    retired_token_ids: [tok_1, tok_0]\n    severed_token_ids: [tok_0]\n")), "test").get(0);

    assertThat(t.severedTokenIds()).containsExactly("tok_0");
    assertThat(t.severs("tok_0")).isTrue();
    assertThat(t.severs("tok_1")).as("retired by a plain rotation: its connections stay").isFalse();
    assertThat(t.severs("tok_2")).isFalse();
  }

  @Test
  void optionalFieldsDefaultToNothingRetiredLiveAndNoCa() {
    TunnelState t = RegistryFileParser.parse(registry(entry("tnl_a", "a.tunnel.example", TOKEN, "")), "test").get(0);

    assertThat(t.retiredTokenIds()).isEmpty();
    assertThat(t.severedTokenIds()).isEmpty();
    assertThat(t.archived()).isFalse();
    assertThat(t.activeCas()).isEmpty();
  }

  @Test
  void acceptsAnExplicitlyEmptyListAndBlankCaText() {
    assertThat(RegistryFileParser.parse("tunnels: []\n", "test")).isEmpty();
    assertThat(RegistryFileParser.parse(registry(entry("tnl_a", "a.tunnel.example", TOKEN,
        "    ca_certificates: \"\"\n")), "test").get(0).activeCas()).isEmpty();
  }

  static Stream<Arguments> fieldErrors() {
    String hashLine = "token_sha256: " + TOKEN.secretHash();
    return Stream.of(
        edit("id: tnl_a", "id: 'tnl a'", "tunnels[0].id: expected 1-64 characters of [A-Za-z0-9_-]"),
        edit("id: tnl_a", "id: 42", "tunnels[0].id: expected a string"),
        edit("  - id: tnl_a\n    domain", "  - domain", "tunnels[0].id: required"),
        edit("domain: a.tunnel.example", "domain: a_b.example", "tunnels[0].domain: \"a_b.example\" is not a valid domain name"),
        edit("domain: a.tunnel.example", "domain: localhost", "tunnels[0].domain: \"localhost\" is not a valid domain name"),
        edit("    domain: a.tunnel.example\n", "", "tunnels[0].domain: required"),
        edit("organization: org_1", "organization: ' '", "tunnels[0].organization: must not be blank"),
        edit("organization: org_1", "organization: [org_1]", "tunnels[0].organization: expected a string"),
        edit("token_id: tok_2", "token_id: tok.2", "tunnels[0].token_id: expected 1-64 characters of [A-Za-z0-9_-]"),
        edit("token_id: tok_2", "token_id: ~", "tunnels[0].token_id: required"),
        edit(hashLine, hashLine.toUpperCase().replace("TOKEN_SHA256", "token_sha256"),
            "tunnels[0].token_sha256: expected 64 lowercase hex characters"),
        edit(hashLine, hashLine.substring(0, hashLine.length() - 1),
            "tunnels[0].token_sha256: expected 64 lowercase hex characters"),
        edit("retired_token_ids: [tok_1]", "retired_token_ids: tok_1", "tunnels[0].retired_token_ids: expected a list of token ids"),
        edit("retired_token_ids: [tok_1]", "retired_token_ids: ['tok 1']",
            "tunnels[0].retired_token_ids: expected token ids of 1-64 characters of [A-Za-z0-9_-]"),
        edit("retired_token_ids: [tok_1]", "retired_token_ids: [tok_1, tok_2]",
            "tunnels[0].retired_token_ids: contains the current token_id \"tok_2\""),
        edit("archived: false", "archived: 'no'", "tunnels[0].archived: expected true or false"),
        edit("archived: false", "archived: 1", "tunnels[0].archived: expected true or false"),
        edit("archived: false", "archive: true", "tunnels[0]: unknown field \"archive\" (known fields: archived, "
            + "ca_certificates, domain, id, organization, retired_token_ids, severed_token_ids, token_id, token_sha256)"),
        edit("retired_token_ids: [tok_1]", "retired_token_ids: [tok_1]\n    severed_token_ids: [tok_0]",
            "tunnels[0].severed_token_ids: \"tok_0\" is not in retired_token_ids"),
        edit("retired_token_ids: [tok_1]", "retired_token_ids: [tok_1]\n    severed_token_ids: [tok_2]",
            "tunnels[0].severed_token_ids: contains the current token_id \"tok_2\""),
        edit("archived: false", "ca_certificates: [a]", "tunnels[0].ca_certificates: expected PEM text"),
        edit("archived: false", "ca_certificates: not pem", "tunnels[0].ca_certificates: no CERTIFICATE block found in PEM"),
        edit("    archived: false\n", caBlock(pem(CA_A, CA_B, CA_A)),
            "tunnels[0].ca_certificates: at most 2 active CA certificates, found 3"),
        edit("    archived: false\n", caBlock(pem(CA_A) + PemFiles.toPem(PKI_A.ca().privateKey())),
            "tunnels[0].ca_certificates: contains private-key material; list certificates only"),
        edit("    archived: false\n", caBlock(pem(PKI_A.server("x.example").certificate())),
            "tunnels[0].ca_certificates: \"CN=x.example\" is not a CA certificate"));
  }

  private static Arguments edit(String from, String to, String message) {
    if (!VALID.contains(from)) {
      throw new IllegalArgumentException("fixture lacks " + from);
    }
    return Arguments.of(message, VALID.replace(from, to));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fieldErrors")
  void refusesNamingTheTunnelAndField(String message, String yaml) {
    assertThatThrownBy(() -> RegistryFileParser.parse(yaml, "reg.yaml"))
        .isInstanceOf(RegistryException.class)
        .hasMessage(message);
  }

  static Stream<Arguments> fileErrors() {
    String a = entry("tnl_a", "a.tunnel.example", TOKEN, "");
    return Stream.of(
        Arguments.of("", "reg.yaml: empty registry (expected \"tunnels:\", a list; write \"tunnels: []\" for none)"),
        Arguments.of("# only a comment\n", "reg.yaml: empty registry"),
        Arguments.of("- a\n", "reg.yaml: expected a map with a \"tunnels\" list"),
        Arguments.of("tunnels: []\nzones: []\n", "unknown field \"zones\" (known fields: tunnels)"),
        Arguments.of("tunnels:\n", "tunnels: expected a list of tunnels"),
        Arguments.of("tunnels: {}\n", "tunnels: expected a list of tunnels"),
        Arguments.of("tunnels:\n  - tnl_a\n", "tunnels[0]: expected a map of fields"),
        Arguments.of("tunnels: [\n", "reg.yaml: invalid YAML"),
        Arguments.of(registry(a + "    id: tnl_b\n"), "reg.yaml: invalid YAML: Duplicate field 'id'"),
        Arguments.of(registry(a, entry("tnl_a", "b.tunnel.example", TOKEN, "")),
            "tunnels[1].id: duplicate id \"tnl_a\" (also tunnels[0])"),
        Arguments.of(registry(a, entry("tnl_b", "A.TUNNEL.example", TOKEN, "")),
            "tunnels[1].domain: duplicate domain \"a.tunnel.example\" (also tunnels[0])"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("fileErrors")
  void refusesMalformedFiles(String yaml, String messageStart) {
    assertThatThrownBy(() -> RegistryFileParser.parse(yaml, "reg.yaml"))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith(messageStart);
  }
}
