package io.mcptunnel.ops.incident;

import io.mcptunnel.setup.TunnelsApiClient;
import io.mcptunnel.setup.TunnelsApiClient.Tunnel;
import java.util.function.Supplier;

/**
 * Archives the tunnel through the Tunnels API. The token stops working at once and every edge
 * following the control plane severs the tunnel's live connections. A repeat reports "already
 * archived" (the state is read first, so the report says which run did it).
 */
public final class ArchiveTunnel implements Step {
  private final Supplier<TunnelsApiClient> api;
  private final String tunnelId;
  private final String whyUnknown;

  /** {@code tunnelId} null: the output could not name it, for {@code whyUnknown}. */
  public ArchiveTunnel(Supplier<TunnelsApiClient> api, String tunnelId, String whyUnknown) {
    this.api = api;
    this.tunnelId = tunnelId;
    this.whyUnknown = whyUnknown;
  }

  @Override
  public String name() {
    return "archive tunnel" + (tunnelId == null ? "" : " " + tunnelId);
  }

  @Override
  public Result run() {
    if (tunnelId == null) {
      return Result.failed(whyUnknown + "; archive the tunnel in the console or with"
          + " POST /v1/tunnels/{id}/archive");
    }
    TunnelsApiClient client = api.get();
    if (client.getTunnel(tunnelId).archived()) {
      return Result.already("already archived");
    }
    Tunnel archived = client.archiveTunnel(tunnelId);
    if (!archived.archived()) {
      return Result.failed("the API did not report the tunnel archived");
    }
    return Result.done("archived (its token is invalid; edges sever its connections)");
  }
}
