package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Compose files and Helm values we ship pass the audit's container checks once the operator
 * has filled in what only they know (the image digest), and fail it until then: a shipped file
 * never carries a made-up digest.
 */
class ShippedDeploymentFilesTest {
  static final Path DEPLOY = Path.of(System.getProperty("user.dir")).resolve("../deploy");
  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void tunnelComposeFileIsHardenedOnceTheImageIsSet() throws Exception {
    assertThat(composeFindings("compose/tunnel/docker-compose.yaml", Map.of(
        "MCPTUNNEL_IMAGE", "registry.example/mcptunnel@" + DIGEST, "API_URL", "https://api.example",
        "EDGE_ADDR", "edge.example:7844", "ANTHROPIC_FEDERATION_RULE_ID", "fdrl_1",
        "ANTHROPIC_ORGANIZATION_ID", "org_1", "IDENTITY_TOKEN_FILE", "/run/token"))).isEmpty();
  }

  @Test
  void operatorComposeFileIsHardenedOnceTheImagesAreSet() throws Exception {
    assertThat(composeFindings("compose/operator/docker-compose.yaml", Map.of(
        "MCPTUNNEL_IMAGE", "registry.example/mcptunnel@" + DIGEST, "POSTGRES_IMAGE", "postgres:16@" + DIGEST,
        "DB_PASSWORD", "not-a-real-password"))).isEmpty();
  }

  @Test
  void withoutTheImageTheComposeFileIsReportedNotGuessed() throws Exception {
    assertThat(composeFindings("compose/tunnel/docker-compose.yaml", Map.of(
        "API_URL", "https://api.example", "EDGE_ADDR", "edge.example:7844", "ANTHROPIC_FEDERATION_RULE_ID", "fdrl_1",
        "ANTHROPIC_ORGANIZATION_ID", "org_1", "IDENTITY_TOKEN_FILE", "/run/token")))
        .extracting(Finding::check).contains(ComposeCheck.VARIABLE_UNSET, ComposeCheck.IMAGE_NOT_PINNED);
  }

  @Test
  void helmValuesAreHardenedOnceTheDigestAndUpstreamsAreSet() throws Exception {
    ObjectNode values = (ObjectNode) YAML.readTree(DEPLOY.resolve("helm/mcp-tunnel/values.yaml").toFile());
    assertThat(HelmValuesCheck.findings("values.yaml", values)).extracting(Finding::check)
        .contains(ComposeCheck.IMAGE_NOT_PINNED);
    ((ObjectNode) values.get("image")).put("digest", DIGEST);
    ((ObjectNode) values.get("networkPolicy")).set("upstreams",
        YAML.readTree("[{cidr: 10.0.12.7/32, port: 9000}]"));
    assertThat(HelmValuesCheck.findings("values.yaml", values)).isEmpty();
  }

  private static List<Finding> composeFindings(String file, Map<String, String> env) throws Exception {
    Path path = DEPLOY.resolve(file);
    JsonNode tree = YamlFiles.read(path);
    return ComposeCheck.findings(file, tree, ComposeInterpolation.forFile(path, env));
  }
}
