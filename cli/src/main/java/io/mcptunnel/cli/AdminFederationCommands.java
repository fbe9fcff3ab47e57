package io.mcptunnel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.common.McptunnelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mcptunnel admin issuer create} and {@code mcptunnel admin rule create}. */
final class AdminFederationCommands {
  private AdminFederationCommands() {}

  @Command(name = "issuer", description = "Federation issuers: issuer create --org ORG --issuer-url URL.",
      subcommands = {IssuerCreate.Create.class})
  public static final class IssuerCreate extends AdminGroup {
    @Command(name = "create", description = "Trust an OIDC issuer's workload tokens.")
    static final class Create extends AdminCommand.Change {
      @Option(names = "--org", required = true) String org;
      @Option(names = "--issuer-url", required = true) String issuerUrl;
      @Option(names = "--jwks-source", description = "discovery (default), explicit_url or inline") String source;
      @Option(names = "--jwks-url") String jwksUrl;
      @Option(names = "--jwks-file", description = "The JWKS document (public keys), for inline.") Path jwksFile;

      @Override
      String run() {
        ObjectNode body = body().put("issuer_url", issuerUrl).put("jwks_source", source).put("jwks_url", jwksUrl);
        if (jwksFile != null) {
          try {
            body.put("jwks", Files.readString(jwksFile));
          } catch (IOException e) {
            throw new McptunnelException("cannot read --jwks-file " + jwksFile + ": " + e.getMessage(), e);
          }
        }
        return client.call("POST", org(org) + "/federation_issuers", body);
      }
    }
  }

  @Command(name = "rule", description = "Federation rules: rule create --org ORG --issuer ID ….",
      subcommands = {RuleCreate.Create.class})
  public static final class RuleCreate extends AdminGroup {
    @Command(name = "create", description = "Map matching workload tokens to a service account.")
    static final class Create extends AdminCommand.Change {
      @Option(names = "--org", required = true) String org;
      @Option(names = "--issuer", required = true) String issuer;
      @Option(names = "--subject-prefix") String subjectPrefix;
      @Option(names = "--audience", required = true) String audience;
      @Option(names = "--claim", paramLabel = "NAME=VALUE") Map<String, String> claims;
      @Option(names = "--service-account", required = true) String serviceAccount;
      @Option(names = "--workspace", required = true) String workspace;
      @Option(names = "--scope", defaultValue = "workspace:manage_tunnels") String scope;
      @Option(names = "--token-lifetime-seconds") Integer lifetime;

      @Override
      String run() {
        ObjectNode body = body().put("issuer_id", issuer).put("service_account_id", serviceAccount)
            .put("workspace_id", workspace).put("scope", scope).put("token_lifetime_seconds", lifetime);
        ObjectNode match = body.putObject("match").put("subject_prefix", subjectPrefix).put("audience", audience);
        AdminCommand.nonNull(claims).forEach(match.putObject("claims")::put);
        return client.call("POST", org(org) + "/federation_rules", body);
      }
    }
  }
}
