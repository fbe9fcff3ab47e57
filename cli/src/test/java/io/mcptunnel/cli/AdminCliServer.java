package io.mcptunnel.cli;

import io.mcptunnel.controlplane.api.AdminTokenFile;
import io.mcptunnel.controlplane.api.ControlPlaneConfig;
import io.mcptunnel.controlplane.api.ControlPlaneServer;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;

/** A control plane on loopback (embedded database) for `mcptunnel admin …` tests, and a way to run them. */
final class AdminCliServer implements AutoCloseable {
  final ControlPlaneServer server;
  final String url;
  final Path tokenFile;

  AdminCliServer(Path dataDirectory) {
    server = new ControlPlaneServer(new ControlPlaneConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        dataDirectory, null, "tunnels.example.test", 10), new IssuerUrlPolicy(true), Clock.systemUTC());
    url = "http://127.0.0.1:" + server.start().getPort();
    tokenFile = dataDirectory.resolve(AdminTokenFile.FILE_NAME);
  }

  /** {@code mcptunnel admin ARGS --url … --token-file …}. */
  CliRun admin(String... args) {
    return CliRun.of(Stream.of(new String[] {"admin"}, args, new String[] {"--url", url, "--token-file",
        tokenFile.toString()}).flatMap(Stream::of).toArray(String[]::new));
  }

  @Override
  public void close() {
    server.close();
  }
}
