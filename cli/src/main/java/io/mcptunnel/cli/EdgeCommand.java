package io.mcptunnel.cli;

import io.mcptunnel.edge.registry.ControlPlaneTunnelRegistry;
import io.mcptunnel.edge.registry.FileTunnelRegistry;
import io.mcptunnel.edge.server.EdgeConfig;
import io.mcptunnel.edge.server.EdgeConfig.ControlPlane;
import io.mcptunnel.edge.server.EdgeConfig.RegistryFile;
import io.mcptunnel.edge.server.EdgeConfigParser;
import io.mcptunnel.edge.server.EdgeTls;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel edge}: the public rendezvous that connectors dial out to and callers reach tunnels through. */
@Command(name = "edge",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run or check the edge that connectors dial out to and callers open streams through.",
    subcommands = {EdgeRunCommand.class, EdgeCommand.Check.class})
public final class EdgeCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** {@code --config FILE}, shared by the edge subcommands as a mixin. */
  public static final class ConfigFile {
    @Option(names = "--config", paramLabel = "FILE",
        defaultValue = "/etc/mcptunnel/edge.yaml",
        description = "Edge configuration file (default: ${DEFAULT-VALUE}).")
    Path file = EdgeConfigParser.DEFAULT_PATH;

    EdgeConfig load() {
      return EdgeConfigParser.parse(file);
    }
  }

  /**
   * {@code mcptunnel edge check}: applies every startup rule (config, TLS pair, caller CAs, registry file)
   * without binding a port, then prints the effective configuration without key material.
   */
  @Command(name = "check",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Validate the edge configuration, TLS files and tunnel registry file, "
          + "then print the effective configuration.")
  public static final class Check implements Callable<Integer> {
    @Mixin
    ConfigFile config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      EdgeConfig c = config.load();
      EdgeTls tls = EdgeTls.load(c.certFile(), c.keyFile(), c.callerClientCaFile());
      String registryLine;
      // The tunnel state is read exactly as the edge reads it at start; closing stops its poller at once.
      if (c.tunnelSource() instanceof ControlPlane cp) {
        try (ControlPlaneTunnelRegistry registry =
            ControlPlaneTunnelRegistry.connect(cp.url(), cp.credentialFile(), cp.caFile())) {
          registryLine = tunnels(registry.all().size()) + " from the control plane " + cp.url()
              + " (state version " + registry.version() + ")";
        }
      } else {
        RegistryFile file = (RegistryFile) c.tunnelSource();
        try (FileTunnelRegistry registry = new FileTunnelRegistry(file.path(), file.pollInterval())) {
          registryLine = tunnels(registry.all().size()) + " in " + file.path();
        }
      }
      if (c.callers().isEmpty()) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("warning: no callers are configured, so every caller stream will be refused");
        err.flush();
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("config OK: " + config.file);
      out.println("# certificate: " + tls.leaf().getSubjectX500Principal().getName()
          + ", valid until " + tls.leaf().getNotAfter().toInstant() + ", sha256 " + tls.fingerprint());
      if (tls.requestsClientCertificates()) {
        out.println("# caller CAs: " + tls.callerCas().size() + " in " + c.callerClientCaFile().orElseThrow());
      }
      out.println("# registry: " + registryLine);
      out.print(c.describe());
      out.flush();
      return 0;
    }

    private static String tunnels(int n) {
      return n + (n == 1 ? " tunnel" : " tunnels");
    }
  }
}
