package io.mcptunnel.ops.incident;

import io.mcptunnel.setup.Output;
import io.mcptunnel.setup.OutputKeys;
import io.mcptunnel.setup.SetupInit;
import java.util.function.Function;

/**
 * {@code --reprovision}: {@code setup init} into a fresh output for a new tunnel. Refuses an output
 * that is the old one or holds the old tunnel's id: that would reuse the archived tunnel (setup
 * refuses it anyway) or overwrite the credentials under investigation. A re-run finds the new
 * tunnel in the new output and reuses it.
 */
public final class Reprovision implements Step {
  private final Output oldOutput;
  private final String oldTunnelId;
  private final Output newOutput;
  private final Function<Output, SetupInit.Result> setupInit;

  public Reprovision(Output oldOutput, String oldTunnelId, Output newOutput, Function<Output, SetupInit.Result> setupInit) {
    this.oldOutput = oldOutput;
    this.oldTunnelId = oldTunnelId;
    this.newOutput = newOutput;
    this.setupInit = setupInit;
  }

  @Override
  public String name() {
    return "reprovision into " + newOutput.describe();
  }

  @Override
  public Result run() {
    if (newOutput.describe().equals(oldOutput.describe())) {
      return Result.failed("--new-output is the compromised output; pass a fresh one");
    }
    String stored = newOutput.read().get(OutputKeys.TUNNEL_ID);
    if (stored != null && stored.trim().equals(oldTunnelId)) {
      return Result.failed("--new-output holds the archived tunnel " + oldTunnelId + "; pass a fresh one");
    }
    SetupInit.Result result = setupInit.apply(newOutput);
    return result.tunnelCreated()
        ? Result.done("new tunnel " + result.tunnelId() + " (domain " + result.domain() + ") written to "
            + result.output() + "; point the stack at it after reviewing the evidence")
        : Result.already("tunnel " + result.tunnelId() + " (domain " + result.domain() + ") already in "
            + result.output());
  }
}
