package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.cli.quickstart.Quickstart;
import io.mcptunnel.common.McptunnelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcptunnel quickstart}: the whole system in one process with nothing set up beforehand
 * (see {@link Quickstart}). Steps go to stdout one line each, component logs to
 * {@code DIR/quickstart.log}.
 *
 * <p>Its own shutdown hook rather than {@link RunUntilSignal}: a signal may arrive while the parts
 * are still starting, and then whatever already runs must be stopped too (RunUntilSignal leaves a
 * part that is still starting alone).
 */
@Command(name = "quickstart",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Run control plane, edge, proxy, connector, a sample MCP server and a caller gateway on loopback,",
        "set up a tunnel with setup init, and call the sample server's hello tool through it.",
        "Keeps running (Ctrl-C stops every part) unless --exit is given."})
public final class QuickstartCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "mcptunnel-quickstart",
      description = "Working folder (created 0700; reused by the next run): control-plane data, credentials, "
          + "tunnel files, configs, quickstart.log (default: ./${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--exit",
      description = "Stop everything after the call; exit 0 only if it answered \"Hello, tunnel!\".")
  boolean exit;

  @Option(names = "--gateway-port", paramLabel = "PORT", defaultValue = "8787",
      description = "The caller gateway's port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (gatewayPort < 0 || gatewayPort > 65535) {
      throw new McptunnelException("--gateway-port: " + gatewayPort + " (expected 0-65535)");
    }
    Path folder = Quickstart.prepare(dir);
    LogSetup.configureFile(Level.INFO, folder.resolve("quickstart.log"));
    Quickstart quickstart = new Quickstart(new Quickstart.Options(folder, gatewayPort), out);

    AtomicBoolean serving = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    Thread hook = new Thread(() -> {
      if (finished.get()) {
        return; // the command ended by itself and already stopped everything
      }
      out.println("stopping every part");
      out.flush();
      quickstart.close();
      out.println("stopped");
      out.flush();
      if (!serving.get()) {
        err.println("mcptunnel: quickstart: interrupted before it was ready");
        err.flush();
      }
      // A stop asked for while serving is the normal end; one while starting is not.
      Runtime.getRuntime().halt(serving.get() ? 0 : 1);
    }, "mcptunnel-quickstart-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    String answer;
    try {
      answer = quickstart.start();
    } catch (Exception e) {
      finished.set(true);
      quickstart.close();
      String where = "quickstart: step " + quickstart.currentStep() + " failed: ";
      throw e instanceof McptunnelException m ? new McptunnelException(where + m.getMessage(), m)
          : new McptunnelException(where + e, e);
    }
    String expected = "Hello, " + Quickstart.GREETED + "!";
    if (exit) {
      finished.set(true);
      out.println("stopping every part (--exit)");
      out.flush();
      quickstart.close();
      Runtime.getRuntime().removeShutdownHook(hook);
      if (!expected.equals(answer)) {
        err.println("mcptunnel: quickstart: hello answered \"" + answer + "\", expected \"" + expected + "\"");
        return ExitHandler.FAILURE;
      }
      out.println("done: the call through the tunnel answered " + answer);
      return 0;
    }
    serving.set(true);
    out.println("caller gateway: " + quickstart.gatewayUrl());
    out.println("Any MCP client can use that URL (tools: echo, add, hello). Ctrl-C stops every part.");
    out.flush();
    new CountDownLatch(1).await(); // until a signal: the hook stops everything and ends the process
    return 0;
  }
}
