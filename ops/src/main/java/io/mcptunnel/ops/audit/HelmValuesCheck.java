package io.mcptunnel.ops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The Helm chart's values contract (deploy/helm/mcp-tunnel/values.yaml): digest-pinned image,
 * non-root read-only containers without capabilities, NetworkPolicy on with listed upstreams, and
 * the daily renew-cert CronJob.
 */
final class HelmValuesCheck {
  static final String NETWORK_POLICY_OFF = "network-policy-disabled";
  static final String NETWORK_POLICY_NO_UPSTREAMS = "network-policy-no-upstreams";
  static final String RENEW_CERT_OFF = "renew-cert-disabled";

  private HelmValuesCheck() {}

  static List<Finding> findings(String file, JsonNode v) {
    List<Finding> out = new ArrayList<>();
    String repository = v.path("image").path("repository").asText("");
    String digest = v.path("image").path("digest").asText("");
    if (repository.isBlank() || !ImageReference.digest(digest)) {
      out.add(new Finding(ComposeCheck.IMAGE_NOT_PINNED, Severity.HIGH, file,
          repository.isBlank() ? "image.repository is empty"
              : digest.isBlank() ? "image.digest is not set: " + repository + " runs whatever its tag points to"
              : "image.digest " + digest + " is not sha256:<64 hex>",
          "image:\n  repository: <name>\n  digest: sha256:<64 hex>"));
    }
    JsonNode pod = v.path("podSecurityContext");
    JsonNode container = v.path("containerSecurityContext");
    if (!pod.path("runAsNonRoot").asBoolean(false) || !ComposeCheck.NON_ROOT_UID.equals(pod.path("runAsUser").asText(""))) {
      out.add(new Finding(ComposeCheck.ROOT, Severity.MEDIUM, file,
          "podSecurityContext.runAsNonRoot is " + text(pod, "runAsNonRoot") + ", runAsUser is " + text(pod, "runAsUser"),
          "podSecurityContext:\n  runAsNonRoot: true\n  runAsUser: 65532"));
    }
    if (!container.path("readOnlyRootFilesystem").asBoolean(false)) {
      out.add(new Finding(ComposeCheck.WRITABLE_ROOT, Severity.MEDIUM, file,
          "containerSecurityContext.readOnlyRootFilesystem is " + text(container, "readOnlyRootFilesystem"),
          "containerSecurityContext:\n  readOnlyRootFilesystem: true"));
    }
    JsonNode escalation = container.path("allowPrivilegeEscalation");
    if (!escalation.isBoolean() || escalation.asBoolean()) {
      out.add(new Finding(ComposeCheck.NEW_PRIVILEGES, Severity.MEDIUM, file,
          "containerSecurityContext.allowPrivilegeEscalation is " + text(container, "allowPrivilegeEscalation"),
          "containerSecurityContext:\n  allowPrivilegeEscalation: false"));
    }
    boolean dropsAll = false;
    for (JsonNode n : container.path("capabilities").path("drop")) {
      dropsAll |= n.asText("").equalsIgnoreCase("ALL");
    }
    if (!dropsAll) {
      out.add(new Finding(ComposeCheck.CAPABILITIES, Severity.MEDIUM, file,
          "containerSecurityContext.capabilities.drop does not contain ALL",
          "containerSecurityContext:\n  capabilities:\n    drop: [ALL]"));
    }
    JsonNode policy = v.path("networkPolicy");
    if (!policy.path("enabled").asBoolean(false)) {
      out.add(new Finding(NETWORK_POLICY_OFF, Severity.MEDIUM, file,
          "networkPolicy.enabled is " + text(policy, "enabled") + ": the pod may connect anywhere",
          "networkPolicy:\n  enabled: true\n  upstreams: [{cidr: <MCP server>/32, port: <port>}]"));
    } else if (!policy.path("upstreams").isArray() || policy.path("upstreams").isEmpty()) {
      out.add(new Finding(NETWORK_POLICY_NO_UPSTREAMS, Severity.MEDIUM, file,
          "networkPolicy.upstreams is empty: the proxy cannot reach any MCP server, or the policy is not what runs",
          "networkPolicy:\n  upstreams: [{cidr: <MCP server>/32, port: <port>}]"));
    }
    if (!v.path("renewCert").path("enabled").asBoolean(false)) {
      out.add(new Finding(RENEW_CERT_OFF, Severity.MEDIUM, file,
          "renewCert.enabled is " + text(v.path("renewCert"), "enabled") + ": nothing renews the server certificate",
          "renewCert:\n  enabled: true"));
    }
    return out;
  }

  private static String text(JsonNode parent, String field) {
    JsonNode n = parent.path(field);
    return n.isMissingNode() || n.isNull() ? "not set" : n.asText();
  }
}
