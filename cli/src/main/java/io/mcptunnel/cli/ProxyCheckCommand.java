package io.mcptunnel.cli;

import io.mcptunnel.egress.EgressPolicy;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.pki.TlsMaterial;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mcptunnel proxy check}: applies every startup rule (config and TLS pair) without binding a
 * port, then prints the effective configuration. Failures surface through {@link ExitHandler}.
 */
@Command(name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Validate the proxy configuration and TLS files, then print the effective configuration.")
public final class ProxyCheckCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    ProxyConfig c = config.load();
    TlsMaterial tls = TlsMaterial.load(c.certFile(), c.keyFile());
    warnings(c, spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    out.println("config OK: " + config.file);
    out.println("# certificate: " + tls.leaf().getSubjectX500Principal().getName()
        + ", valid until " + tls.notAfter() + ", sha256 " + tls.fingerprint());
    out.print(c.describe());
    out.flush();
    return 0;
  }

  /** Settings that start but weaken the SSRF defence; the seed document asks to narrow them. */
  static void warnings(ProxyConfig c, PrintWriter err) {
    switch (c.egressPolicy().mode()) {
      case VALIDATION_DISABLED -> err.println("warning: upstream.disable_ip_validation is true: "
          + "the proxy may connect to any address (SSRF defence off)");
      case DEFAULT_PRIVATE -> err.println("warning: upstream.allowed_ips is not set, so every RFC 1918 "
          + "address is allowed " + EgressPolicy.RFC1918 + "; restrict allowed_ips to your MCP servers");
      case ALLOW_LIST -> { }
    }
    err.flush();
  }
}
