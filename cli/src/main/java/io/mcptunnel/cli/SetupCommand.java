package io.mcptunnel.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mcptunnel.setup.ApiEndpoint;
import io.mcptunnel.setup.FederationCredentials;
import io.mcptunnel.setup.Output;
import io.mcptunnel.setup.Outputs;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel setup}: provision a tunnel's credentials and keep them fresh (SPEC §5). */
@Command(name = "setup",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Provision a tunnel (token, CA, server certificate) into a directory or a Kubernetes Secret.",
    subcommands = {SetupInitCommand.class, SetupRenewCertCommand.class, SetupRotateCaCommand.class})
public final class SetupCommand implements Runnable {
  /** The process environment; tests replace it. */
  static Function<String, String> environment = System::getenv;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** {@code --api-url} [API_URL] and {@code --api-ca-file}, plus the federation variables. */
  static final class Api {
    @Option(names = "--api-url", paramLabel = "URL",
        description = "Tunnels API base URL (env API_URL); http only to loopback.")
    String apiUrl;

    @Option(names = "--api-ca-file", paramLabel = "FILE",
        description = "PEM CA certificate(s) to trust for an https API URL instead of the system trust store.")
    Path apiCaFile;

    ApiEndpoint endpoint() {
      String url = apiUrl != null ? apiUrl : environment.apply("API_URL");
      return new ApiEndpoint(url == null || url.isBlank() ? null : URI.create(url.trim()), apiCaFile);
    }

    FederationCredentials credentials() {
      return FederationCredentials.fromEnvironment(environment);
    }
  }

  /** {@code --output}; a Kubernetes client is made only for a Secret output, and closed after. */
  static final class OutputOption implements AutoCloseable {
    @Option(names = "--output", required = true, paramLabel = "dir:/PATH|k8s-secret:[NS/]NAME",
        description = "Where the material lives: a directory, or a Secret (namespace defaults to the kubeconfig's).")
    String output;

    private KubernetesClient client;

    Output open() {
      return Outputs.parse(output, () -> client = new KubernetesClientBuilder().build());
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
    }
  }
}
