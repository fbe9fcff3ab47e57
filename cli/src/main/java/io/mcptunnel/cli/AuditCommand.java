package io.mcptunnel.cli;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.ops.AdminUrls;
import io.mcptunnel.ops.audit.AuditOptions;
import io.mcptunnel.ops.audit.Auditor;
import io.mcptunnel.ops.audit.Report;
import io.mcptunnel.ops.audit.ReportFormat;
import io.mcptunnel.ops.audit.Severity;
import io.mcptunnel.proxy.config.ProxyConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mcptunnel audit}: checks the deployment against SPEC §6 and prints findings. Exit 0 when
 * no finding is at or above {@code --fail-on}, 1 when one is, 2 for usage errors and inputs that
 * cannot be read (the configuration, a token file, the Compose or Helm file), so 1 always means
 * "findings".
 */
@Command(name = "audit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Check the deployment against the security practices (SPEC 6): OAuth on every route, "
        + "IP validation, pinned images, container hardening, certificates, token age, secret files, exposed tools, SSO.")
public final class AuditCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--data", paramLabel = "DIR", description = "Setup output folder (tls.crt, tls.key, ca.crt, ca.key, tunnel-token, ...).")
  Path data;

  @ArgGroup(exclusive = true)
  Deployment deployment;

  static final class Deployment {
    @Option(names = "--compose", paramLabel = "FILE", description = "Compose file: image digests and container hardening.")
    Path compose;

    @Option(names = "--helm-values", paramLabel = "FILE", description = "Helm values file of the mcp-tunnel chart.")
    Path helmValues;
  }

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "high", converter = SeverityConverter.class,
      description = "Exit 1 when a finding is at or above this: info, low, medium, high, critical (default: ${DEFAULT-VALUE}).")
  Severity failOn;

  @Option(names = "--probe-path", paramLabel = "PATH", defaultValue = "/mcp",
      description = "MCP endpoint path probed on each upstream (default: ${DEFAULT-VALUE}).")
  String probePath;

  @Option(names = "--cert-warn", paramLabel = "DURATION", defaultValue = "720h", converter = GoDurationConverter.class,
      description = "Report a certificate with less validity left (default: ${DEFAULT-VALUE}).")
  Duration certWarn;

  @Option(names = "--token-max-age", paramLabel = "DURATION", defaultValue = "2160h", converter = GoDurationConverter.class,
      description = "Report a tunnel-token file older than this (default: ${DEFAULT-VALUE}).")
  Duration tokenMaxAge;

  @Option(names = "--bearer-token-file", paramLabel = "FILE",
      description = "Token sent as Authorization: Bearer when listing tools of OAuth-protected upstreams.")
  Path bearerTokenFile;

  @Option(names = "--control-plane", paramLabel = "URL", description = "Control plane to check organizations' SSO on.")
  URI controlPlane;

  @Option(names = "--admin-token-file", paramLabel = "FILE", description = "The control plane operator's admin token.")
  Path adminTokenFile;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = GoDurationConverter.class,
      description = "Per request to upstreams and the control plane (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Spec
  CommandSpec spec;

  /** The proxy's resolver; a field so a test can answer in its place. */
  HostResolver resolver = HostResolver.system();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((controlPlane == null) != (adminTokenFile == null)) {
      throw new ParameterException(spec.commandLine(), "--control-plane and --admin-token-file go together");
    }
    String unsafe = controlPlane == null ? null : AdminUrls.refusal(controlPlane, "--control-plane");
    if (unsafe != null) {
      throw new ParameterException(spec.commandLine(), unsafe);
    }
    if (!probePath.startsWith("/")) {
      throw new ParameterException(spec.commandLine(), "--probe-path: " + probePath + " (expected: a path starting with /)");
    }
    Report report;
    try {
      ProxyConfig c = config.load();
      AuditOptions options = new AuditOptions(c, Optional.ofNullable(data),
          Optional.ofNullable(deployment).map(d -> d.compose), Optional.ofNullable(deployment).map(d -> d.helmValues),
          probePath, certWarn, tokenMaxAge, secret(bearerTokenFile, "--bearer-token-file"),
          Optional.ofNullable(controlPlane), secret(adminTokenFile, "--admin-token-file"),
          System.getenv(), resolver, Instant.now(), timeout);
      if (data != null && !Files.isDirectory(data)) {
        throw new McptunnelException("--data " + data + ": not a folder");
      }
      report = Auditor.run(options);
    } catch (McptunnelException e) {
      err.println("mcptunnel: " + e.getMessage());
      err.flush();
      return ExitHandler.USAGE;
    }
    out.print(json ? ReportFormat.json(report, failOn) : ReportFormat.text(report, failOn));
    out.flush();
    return report.anyAtLeast(failOn) ? ExitHandler.FAILURE : 0;
  }

  /** A token file's content (trimmed); never echoed. */
  private static Optional<String> secret(Path file, String option) {
    if (file == null) {
      return Optional.empty();
    }
    try {
      String token = Files.readString(file).trim();
      if (token.isEmpty()) {
        throw new McptunnelException(option + " " + file + ": empty");
      }
      return Optional.of(token);
    } catch (IOException e) {
      throw new McptunnelException(option + " " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  static final class SeverityConverter implements ITypeConverter<Severity> {
    @Override
    public Severity convert(String value) {
      try {
        return Severity.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
