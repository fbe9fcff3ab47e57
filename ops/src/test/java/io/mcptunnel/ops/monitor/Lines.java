package io.mcptunnel.ops.monitor;

/**
 * Log lines exactly as mcptunnel's JSON encoder writes them for the messages the monitor keys on
 * (captured from the components; only times, ids and addresses vary).
 */
final class Lines {
  private Lines() {}

  static String request(int status) {
    return "{\"time\":\"2026-11-26T20:00:00.000Z\",\"level\":\"INFO\",\"logger\":\"mcptunnel.access\",\"msg\":\"request\","
        + "\"request_id\":\"r1\",\"remote\":\"127.0.0.1:50000\",\"method\":\"POST\",\"host\":\"echo.example.test\","
        + "\"path\":\"/mcp\",\"status\":" + status + ",\"bytes_in\":120,\"bytes_out\":300,\"duration_ms\":1.5,"
        + "\"route\":\"echo\",\"upstream\":\"127.0.0.1:9000\"}";
  }

  static String ipRefusal(String address) {
    return "{\"time\":\"2026-11-26T20:00:00.000Z\",\"level\":\"WARN\",\"logger\":\"io.mcptunnel.proxy.UpstreamConnections\","
        + "\"msg\":\"IP validation failed: " + address + " is not in allowed_ips\",\"route\":\"db\","
        + "\"upstream\":\"" + address + ":5432\",\"reason\":\"NOT_ALLOWED\",\"request_id\":\"r2\"}";
  }

  static String proxyTlsFailure() {
    return "{\"time\":\"2026-11-26T20:00:00.000Z\",\"level\":\"WARN\",\"logger\":\"io.mcptunnel.proxy.HandshakeFailureLog\","
        + "\"msg\":\"tls handshake failed\",\"remote\":\"127.0.0.1:50001\","
        + "\"reason\":\"not an SSL/TLS record: 474554202f20485454502f312e310d0a\"}";
  }

  static String edgeTokenRefused(String reason) {
    return "{\"time\":\"2026-11-26T20:00:00.000Z\",\"level\":\"WARN\",\"logger\":\"io.mcptunnel.edge.ConnectorListener\","
        + "\"msg\":\"connector refused\",\"remote\":\"/10.1.0.7:40000\",\"tunnel\":\"tnl_abc\",\"reason\":\"" + reason + "\"}";
  }

  static String connectorRejected(String reason) {
    return "{\"time\":\"2026-11-26T20:00:00.000Z\",\"level\":\"ERROR\",\"logger\":\"io.mcptunnel.connector.ConnectorSupervisor\","
        + "\"msg\":\"" + reason + "\",\"slot\":0,\"edge\":\"edge.example.test:443\",\"status\":401,\"retry_in\":\"PT1S\"}";
  }

  static String registered(String remote) {
    return "{\"time\":\"2026-11-26T20:00:00.000Z\",\"level\":\"INFO\",\"logger\":\"io.mcptunnel.edge.ConnectorListener\","
        + "\"msg\":\"connector registered\",\"tunnel\":\"tnl_abc\",\"connector_id\":\"c1\",\"remote\":\"" + remote + "\"}";
  }

  static String edgeConnectionLost() {
    return "{\"time\":\"2026-11-26T20:00:00.000Z\",\"level\":\"WARN\",\"logger\":\"io.mcptunnel.connector.ConnectorSupervisor\","
        + "\"msg\":\"edge connection lost\",\"slot\":1,\"edge\":\"edge.example.test:443\",\"retry_in\":\"PT2S\"}";
  }
}
