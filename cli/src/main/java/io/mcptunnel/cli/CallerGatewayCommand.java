package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.caller.gateway.CallerGateway;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.common.McptunnelException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcptunnel caller gateway}: {@code http://LISTEN/<route>.<tunnel-domain>/<path>} for any
 * unmodified MCP client, until SIGTERM/SIGINT. Whoever can reach the listener uses this caller's
 * credentials, so it binds to loopback unless told otherwise.
 */
@Command(name = "gateway",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Serve http://LISTEN/<route>.<tunnel-domain>/<path> so an unmodified MCP client reaches the "
        + "MCP servers behind tunnels.",
        "The caller key comes from " + CallerOptions.KEY_ENV + " or --caller-key-file, or the edge authenticates "
            + "a client certificate (--client-cert/--client-key).",
        "Tunnels' CA certificates come from --tunnel DOMAIN=CA_FILE or from the control plane "
            + "(--control-plane-url with --control-plane-credential-file)."})
public final class CallerGatewayCommand implements Callable<Integer> {
  @Mixin
  CallerOptions caller;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8787",
      description = "Where MCP clients connect (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--allow-remote-clients",
      description = "Allow a --listen address other than loopback. Anyone who reaches it calls with this "
          + "caller's credentials: put it behind your own access control.")
  boolean allowRemote;

  @Option(names = "--grace-period", paramLabel = "DURATION", defaultValue = "10s",
      converter = GoDurationConverter.class,
      description = "How long requests under way may finish after SIGTERM (default: ${DEFAULT-VALUE}).")
  Duration gracePeriod;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "json",
      description = "Log format, json or text (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
      converter = ConnectorRunCommand.LevelConverter.class,
      description = "trace, debug, info, warn or error (default: ${DEFAULT-VALUE}).")
  Level logLevel;

  @Override
  public Integer call() throws Exception {
    InetSocketAddress address = listenAddress();
    CallerSettings settings = caller.settings();
    LogSetup.configure(logLevel, logFormat);
    return RunUntilSignal.run(() -> Running.start(settings, address), r -> r.stop(gracePeriod), r -> r.stopped);
  }

  InetSocketAddress listenAddress() {
    HostPort hp;
    try {
      hp = HostPort.parse(listen);
    } catch (IllegalArgumentException e) {
      throw new McptunnelException("--listen " + listen + ": " + e.getMessage());
    }
    InetSocketAddress address = hp.toSocketAddress();
    if (address.isUnresolved()) {
      throw new McptunnelException("--listen " + listen + ": unknown host");
    }
    InetAddress ip = address.getAddress();
    if (!allowRemote && !ip.isLoopbackAddress()) {
      throw new McptunnelException("--listen " + listen + ": not a loopback address; anyone reaching it would "
          + "call with this caller's credentials (pass --allow-remote-clients to accept that)");
    }
    return address;
  }

  /** A started gateway and the caller under it. */
  static final class Running {
    final TunnelCaller caller;
    final CallerGateway gateway;
    final CompletableFuture<Boolean> stopped = new CompletableFuture<>();

    private Running(TunnelCaller caller, CallerGateway gateway) {
      this.caller = caller;
      this.gateway = gateway;
    }

    static Running start(CallerSettings settings, InetSocketAddress listen) throws InterruptedException {
      TunnelCaller caller = TunnelCaller.start(settings);
      try {
        CallerGateway gateway = CallerGateway.start(caller, listen);
        LoggerFactory.getLogger(CallerGatewayCommand.class).atInfo()
            .addKeyValue("listen", gateway.address().getHostString() + ":" + gateway.address().getPort())
            .addKeyValue("edges", settings.edges().toString())
            .log("caller gateway started");
        return new Running(caller, gateway);
      } catch (InterruptedException | RuntimeException e) {
        caller.close();
        throw e;
      }
    }

    boolean stop(Duration grace) {
      gateway.close(grace);
      caller.close();
      stopped.complete(true);
      return true;
    }
  }
}
