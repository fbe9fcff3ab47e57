package io.mcptunnel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mcptunnel admin internal-client create|list|revoke}: the machine identities of edges and
 * callers (docs/api.md, internal API). The credential goes straight into the file named by
 * {@code --credential-file} (written whole, owner-only, never over an existing file) and never to
 * the terminal: the command prints the record without it.
 */
@Command(name = "internal-client", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Internal clients: credentials for edges and callers (server operator).",
    subcommands = {AdminInternalClientCommand.Create.class, AdminInternalClientCommand.ListClients.class,
        AdminInternalClientCommand.Revoke.class})
public final class AdminInternalClientCommand extends AdminGroup {
  static final String PATH = "/v1/admin/internal_clients";

  @Command(name = "create", description = "Register an edge or a caller; its credential goes to --credential-file.")
  static final class Create extends AdminCommand.Change {
    @Option(names = "--name", required = true, description = "A name for people: [A-Za-z0-9_.-], 1-64.") String name;
    @Option(names = "--role", required = true, description = "edge or caller.") String role;
    @Option(names = "--organization", description = "The caller's organization (callers only).") String organization;
    @Option(names = "--credential-file", required = true, paramLabel = "PATH",
        description = "Where to write the credential (mode 0600; an existing file is never replaced).")
    Path credentialFile;

    @Override
    String run() {
      // Before asking the server, so a refusal leaves no orphaned client behind.
      if (Files.exists(credentialFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new McptunnelException("--credential-file " + credentialFile + " already exists; refusing to overwrite it");
      }
      ObjectNode body = body().put("name", name).put("role", role).put("organization_id", organization);
      JsonNode created;
      try {
        created = AdminClient.JSON.readTree(client.call("POST", PATH, body));
      } catch (IOException e) {
        throw new McptunnelException("the control plane's answer is not JSON", e);
      }
      if (!(created instanceof ObjectNode record) || !created.path("credential").isTextual()) {
        throw new McptunnelException("the control plane's answer holds no credential");
      }
      String credential = record.remove("credential").asText();
      String id = record.path("id").asText();
      try {
        if (!SecureFiles.createOnce(credentialFile, (credential + "\n").getBytes(StandardCharsets.UTF_8))) {
          throw new McptunnelException("--credential-file " + credentialFile + " appeared meanwhile; refusing to"
              + " overwrite it. Internal client " + id + " was created: revoke it and create another");
        }
      } catch (IOException e) {
        // The message names the file, never the credential.
        throw new McptunnelException("cannot write --credential-file " + credentialFile + ": " + e.getMessage()
            + ". Internal client " + id + " was created: revoke it and create another", e);
      }
      return record.toString();
    }
  }

  @Command(name = "list", description = "List internal clients (never their credentials).")
  static final class ListClients extends AdminCommand.Base {
    @Override
    String run() {
      return client.call("GET", PATH, null);
    }
  }

  @Command(name = "revoke", description = "Revoke an internal client: refused from its next request on.")
  static final class Revoke extends AdminCommand.Change {
    @Parameters(index = "0", paramLabel = "ID", description = "The internal client id (icl_…).") String id;

    @Override
    String run() {
      return client.call("POST", PATH + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/revoke", body());
    }
  }
}
