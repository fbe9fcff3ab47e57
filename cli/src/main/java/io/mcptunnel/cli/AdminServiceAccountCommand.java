package io.mcptunnel.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mcptunnel admin service-account create|add-to-workspace}. */
@Command(name = "service-account", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Service accounts (what federation rules map workloads to).",
    subcommands = {AdminServiceAccountCommand.Create.class, AdminServiceAccountCommand.AddToWorkspace.class})
public final class AdminServiceAccountCommand extends AdminGroup {

  @Command(name = "create", description = "Create a service account.")
  static final class Create extends AdminCommand.Change {
    @Option(names = "--org", required = true) String org;
    @Option(names = "--display-name") String displayName;
    @Option(names = "--workspace", description = "A workspace it acts in (repeatable).") List<String> workspaces;

    @Override
    String run() {
      var body = body().put("display_name", displayName);
      AdminCommand.nonNull(workspaces).forEach(body.putArray("workspace_ids")::add);
      return client.call("POST", org(org) + "/service_accounts", body);
    }
  }

  @Command(name = "add-to-workspace", description = "Make a service account a member of a workspace.")
  static final class AddToWorkspace extends AdminCommand.Change {
    @Option(names = "--org", required = true) String org;
    @Option(names = "--service-account", required = true) String serviceAccount;
    @Option(names = "--workspace", required = true) String workspace;

    @Override
    String run() {
      return client.call("POST", org(org) + "/service_accounts/"
          + java.net.URLEncoder.encode(serviceAccount, java.nio.charset.StandardCharsets.UTF_8) + "/workspaces",
          body().put("workspace_id", workspace));
    }
  }
}
