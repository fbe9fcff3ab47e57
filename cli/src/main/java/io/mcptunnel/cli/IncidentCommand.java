package io.mcptunnel.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mcptunnel.ops.incident.CollectLog;
import io.mcptunnel.ops.incident.Incident;
import io.mcptunnel.ops.incident.TimeWindow;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.setup.FederationCredentials;
import io.mcptunnel.setup.Output;
import io.mcptunnel.setup.Outputs;
import io.mcptunnel.setup.SetupInit;
import io.mcptunnel.setup.TunnelsApiClient;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel incident}: the breach runbook in one command (docs/incident.md). */
@Command(name = "incident", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Respond to a suspected breach: stop the local stack, archive the tunnel (edges sever its"
        + " connections), collect the window's logs and the control plane's audit log into an evidence bundle"
        + " with a SHA-256 manifest, list what to rotate downstream, and with --reprovision set up a new tunnel.",
        "Safe to re-run: each step reports what it did ([n/N] step: result). Exit 0 when every step succeeded"
            + " or was already done."})
final class IncidentCommand implements Callable<Integer> {
  /** The clock for "now" in --since/--until and the bundle name; tests replace it. */
  static Clock clock = Clock.systemUTC();

  @Mixin
  SetupCommand.Api api;

  @Mixin
  SetupCommand.OutputOption output;

  @Mixin
  StackOptions stack;

  @Option(names = "--since", required = true, paramLabel = "TIME",
      description = "Start of the suspected window: RFC 3339 (2026-05-01T10:00:00Z) or a duration back from now (2h).")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "End of the window (default: now); same forms.")
  String until;

  @Option(names = "--evidence", paramLabel = "DIR",
      description = "Evidence folder, new or empty (default: ./incident-<tunnel-id>-<UTC timestamp>).")
  Path evidence;

  @Option(names = "--log", paramLabel = "NAME=FILE",
      description = "A log to collect for the window (proxy, connector, MCP server ...); repeatable.")
  Map<String, Path> logs = new LinkedHashMap<>();

  @Option(names = "--config", paramLabel = "FILE",
      description = "The proxy's config: each route is listed with what to rotate downstream.")
  Path proxyConfig;

  @Option(names = "--admin-url", paramLabel = "URL",
      description = "Control-plane URL for its audit log (admin API); with --admin-token-file.")
  URI adminUrl;

  @Option(names = "--admin-token-file", paramLabel = "FILE",
      description = "File holding the control plane's admin token (<data_dir>/admin.token).")
  Path adminTokenFile;

  @Option(names = "--reprovision", description = "Run setup init into --new-output for a new tunnel.")
  boolean reprovision;

  @Option(names = "--new-output", paramLabel = "dir:/PATH|k8s-secret:[NS/]NAME",
      description = "Fresh output for --reprovision (not the compromised one).")
  String newOutput;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (reprovision != (newOutput != null)) {
      throw new ParameterException(spec.commandLine(), reprovision
          ? "--reprovision needs --new-output dir:/PATH|k8s-secret:[NS/]NAME"
          : "--new-output is only used with --reprovision");
    }
    logs.keySet().stream().filter(n -> !CollectLog.validName(n)).findFirst().ifPresent(n -> {
      throw new ParameterException(spec.commandLine(), "--log " + n + "=…: the name may hold letters, digits,"
          + " '.', '_' and '-' only (it becomes logs/<name>.log)");
    });
    Instant now = clock.instant();
    TimeWindow window = new TimeWindow(TimeWindow.parse("--since", since, now),
        until == null ? now : TimeWindow.parse("--until", until, now));
    PrintWriter out = spec.commandLine().getOut();
    KubernetesClient[] newClient = new KubernetesClient[1];
    try (SetupCommand.OutputOption target = output; StackOptions s = stack) {
      Output fresh = newOutput == null ? null
          : Outputs.parse(newOutput, () -> newClient[0] = new KubernetesClientBuilder().build());
      Incident.Options options = new Incident.Options(s.steps(), target.open(), client(), window, evidence, logs,
          adminUrl, adminTokenFile, SetupCommand.environment.apply(FederationCredentials.ORGANIZATION_ID),
          proxyConfig == null ? null : ProxyConfigParser.parse(proxyConfig), fresh,
          o -> new SetupInit(Clock.systemUTC(), line -> { }).run(
              new SetupInit.Options(api.endpoint(), api.credentials(), o, null, null, null)));
      int status = new Incident(clock, line -> {
        out.println(line);
        out.flush();
      }).run(options);
      out.flush();
      return status;
    } finally {
      if (newClient[0] != null) {
        newClient[0].close();
      }
    }
  }

  /** Connects on first use: a missing credential fails the archive step, not the whole runbook. */
  private Supplier<TunnelsApiClient> client() {
    TunnelsApiClient[] connected = new TunnelsApiClient[1];
    return () -> {
      if (connected[0] == null) {
        connected[0] = TunnelsApiClient.connect(api.endpoint(), api.credentials());
      }
      return connected[0];
    };
  }
}
