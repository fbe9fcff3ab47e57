package io.mcptunnel.cli;

import io.mcptunnel.ops.incident.Teardown;
import io.mcptunnel.setup.TunnelsApiClient;
import java.io.Console;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel teardown}: decommission a tunnel and delete its stored credentials (docs/incident.md). */
@Command(name = "teardown", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Decommission a tunnel: stop the stack, archive the tunnel, delete stored credentials"
        + " (a dir: output's tunnel-token, ca.key, tls.key, tls.crt, ca.crt; a k8s-secret: output's Secret; with"
        + " --kube-release the Secrets <release>, mcp-tunnel-token, mcp-tunnel-cert, missing ones ignored).",
        "Irreversible: needs --yes (or a confirmation on a terminal). Non-secret config is kept unless --all."})
final class TeardownCommand implements Callable<Integer> {
  @Mixin
  SetupCommand.Api api;

  @Mixin
  SetupCommand.OutputOption output;

  @Mixin
  StackOptions stack;

  @Option(names = "--all", description = "Remove the whole dir: output folder, not only its credentials.")
  boolean all;

  @Option(names = "--yes", description = "Confirm: the tunnel is archived and its credentials deleted for good.")
  boolean yes;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!yes && !confirmed(out)) {
      throw new ParameterException(spec.commandLine(), "teardown archives the tunnel and deletes its credentials"
          + " for good: pass --yes to confirm");
    }
    try (SetupCommand.OutputOption target = output; StackOptions s = stack) {
      TunnelsApiClient[] connected = new TunnelsApiClient[1];
      Supplier<TunnelsApiClient> client = () -> {
        if (connected[0] == null) {
          connected[0] = TunnelsApiClient.connect(api.endpoint(), api.credentials());
        }
        return connected[0];
      };
      int status = new Teardown(line -> {
        out.println(line);
        out.flush();
      }).run(new Teardown.Options(s.steps(), target.open(), client, all));
      out.flush();
      return status;
    }
  }

  private boolean confirmed(PrintWriter out) {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    String answer = console.readLine("Archive the tunnel of %s and delete its credentials? Type yes: ", output.output);
    return answer != null && answer.trim().equals("yes");
  }
}
