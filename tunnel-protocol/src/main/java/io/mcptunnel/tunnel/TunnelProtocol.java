package io.mcptunnel.tunnel;

/**
 * The connector-edge contract. A connector dials the edge over TLS 1.3 (ALPN {@link #ALPN}) and
 * asks, in HTTP/1.1, to upgrade its connection:
 *
 * <pre>
 * GET /v1/connect HTTP/1.1
 * Authorization: Bearer &lt;tunnel token&gt;
 * Connection: Upgrade
 * Upgrade: mcptunnel-reverse-h2
 * Mcptunnel-Connector-Id: &lt;uuid&gt;
 * </pre>
 *
 * The edge answers {@code 101 Switching Protocols} when the token is current for a live tunnel;
 * from then on the connection speaks HTTP/2 with the roles reversed: the edge is the HTTP/2 client
 * and opens one stream per caller stream ({@code POST /v1/stream}, {@code :authority} the target
 * host), the connector the HTTP/2 server. Stream bytes travel in DATA frames under HTTP/2's
 * per-stream flow control. A refusal is {@code 401} or {@code 403} with one of the reasons below
 * as the plain-text body.
 */
public final class TunnelProtocol {
  public static final String ALPN = "mcptunnel/1";
  public static final String CONNECT_PATH = "/v1/connect";
  public static final String STREAM_PATH = "/v1/stream";
  public static final String UPGRADE = "mcptunnel-reverse-h2";
  public static final String CONNECTOR_ID_HEADER = "mcptunnel-connector-id";
  public static final int DEFAULT_CONNECTOR_PORT = 7844;
  /**
   * Concurrent streams each HTTP/2 side of a tunnel connection accepts: a connector connection and
   * a caller's connection to the edge. Netty's server default of 100 would cap a tunnel at 400 open
   * inner sessions over its 4 connector connections; an idle stream costs a few kilobytes (its
   * window is drained by backpressure, not buffered), so the cap is set for busy callers instead.
   */
  public static final int MAX_CONCURRENT_STREAMS = 2000;

  /** Why an edge refused a connector; the connector logs the reason as given. */
  public static final String TOKEN_ROTATED = "token rejected: rotated";
  public static final String TOKEN_UNKNOWN = "token rejected: unknown token";
  public static final String TUNNEL_ARCHIVED = "tunnel archived";

  private TunnelProtocol() {}
}
