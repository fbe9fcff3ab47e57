package io.mcptunnel.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mcptunnel admin}: the control plane's admin API (docs/api.md), printing its JSON answers. */
@Command(name = "admin",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Manage organizations, workspaces, service accounts, federation, internal clients; read history and audit.",
    subcommands = {AdminCommand.Org.class, AdminCommand.WorkspaceCreate.class, AdminServiceAccountCommand.class,
        AdminFederationCommands.IssuerCreate.class, AdminFederationCommands.RuleCreate.class,
        AdminCommand.AuthHistory.class, AdminCommand.Audit.class, AdminInternalClientCommand.class})
public final class AdminCommand extends AdminGroup {

  /** Options and output shared by every admin subcommand. */
  abstract static class Base implements Callable<Integer> {
    @Mixin
    AdminClient client;

    @Spec
    CommandSpec spec;

    abstract String run();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.println(run().stripTrailing());
      out.flush();
      return 0;
    }

    static String org(String id) {
      return "/v1/admin/organizations/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
  }

  /** A subcommand that changes something: takes {@code --reason} for the audit log. */
  abstract static class Change extends Base {
    @Option(names = "--reason", description = "Why (goes to the audit log).")
    String reason;

    ObjectNode body() {
      ObjectNode n = AdminClient.JSON.createObjectNode();
      return reason == null ? n : n.put("reason", reason);
    }
  }

  @Command(name = "org", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
      description = "Organizations (server operator).", subcommands = {OrgCreate.class, OrgList.class, OrgUpdate.class})
  public static final class Org extends AdminGroup {}

  @Command(name = "create", description = "Create an organization.")
  static final class OrgCreate extends Change {
    @Option(names = "--display-name") String displayName;
    @Option(names = "--max-active-tunnels") Integer maxActiveTunnels;

    @Override
    String run() {
      return client.call("POST", "/v1/admin/organizations",
          body().put("display_name", displayName).put("max_active_tunnels", maxActiveTunnels));
    }
  }

  @Command(name = "update", description = {"Change an organization's settings: update ORG_ID --sso-required[=true|false].",
      "sso_required is recorded for the console's SSO sign-in (SPEC §4.3); today the admin token is the only admin"
          + " credential, so it restricts nothing yet (docs/api.md)."})
  static final class OrgUpdate extends Change {
    @Parameters(index = "0", paramLabel = "ORG_ID", description = "The organization (org_…).") String org;

    @Option(names = "--sso-required", required = true, arity = "0..1", fallbackValue = "true",
        paramLabel = "true|false", description = "Require SSO for the organization's admin sign-in"
            + " (bare: true).")
    boolean ssoRequired;

    @Override
    String run() {
      return client.call("PATCH", org(org), body().put("sso_required", ssoRequired));
    }
  }

  @Command(name = "list", description = "List organizations.")
  static final class OrgList extends Base {
    @Override
    String run() {
      return client.call("GET", "/v1/admin/organizations", null);
    }
  }

  @Command(name = "workspace", description = "Create a workspace: workspace create --org ORG.",
      subcommands = {WorkspaceCreate.Create.class})
  public static final class WorkspaceCreate extends AdminGroup {
    @Command(name = "create", description = "Create a workspace.")
    static final class Create extends Change {
      @Option(names = "--org", required = true) String org;
      @Option(names = "--display-name") String displayName;

      @Override
      String run() {
        return client.call("POST", org(org) + "/workspaces", body().put("display_name", displayName));
      }
    }
  }

  @Command(name = "auth-history", description = "The organization's token-exchange attempts, newest first.")
  static final class AuthHistory extends Base {
    @Option(names = "--org", required = true) String org;
    @Option(names = "--limit", defaultValue = "20") int limit;

    @Override
    String run() {
      return client.call("GET", org(org) + "/authentication_history?limit=" + limit, null);
    }
  }

  @Command(name = "audit", description = "The audit log: audit export --org ORG | --server (JSON lines).",
      subcommands = {Audit.Export.class})
  public static final class Audit extends AdminGroup {
    @Command(name = "export", description = "Every audit event of an organization, or of the server-wide scope "
        + "(edge internal clients), as JSON lines.")
    static final class Export extends Base {
      @ArgGroup(exclusive = true, multiplicity = "1")
      Scope scope;

      /** Exactly one of: an organization, or the server-wide scope. */
      static final class Scope {
        @Option(names = "--org", required = true, description = "An organization's audit log.") String org;
        @Option(names = "--server", required = true,
            description = "The server-wide audit scope (edge internal clients).") boolean server;
      }

      @Override
      String run() {
        return client.call("GET", (scope.server ? "/v1/admin" : org(scope.org)) + "/audit/export", null);
      }
    }
  }

  static List<String> nonNull(List<String> values) {
    return values == null ? List.of() : values;
  }

  static Map<String, String> nonNull(Map<String, String> values) {
    return values == null ? Map.of() : values;
  }
}
