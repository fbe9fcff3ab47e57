package io.mcptunnel.ops.audit;

import io.mcptunnel.proxy.config.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 exchange with an upstream, the way the proxy makes it: to an address already
 * validated by the egress policy (no second lookup), with the public {@code Host} header. A raw
 * socket because the JDK client neither lets a caller pick the address nor set {@code Host}.
 */
final class UpstreamHttp {
  private static final int MAX_BODY = 64 * 1024;

  /** Status, headers (lower-case names, first value) and, when asked for, the body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Upstream upstream;
  private final InetAddress address;
  private final SSLContext tls;
  private final Duration timeout;

  /** @param tls used for {@code https://} upstreams; null for plain ones */
  UpstreamHttp(Upstream upstream, InetAddress address, SSLContext tls, Duration timeout) {
    this.upstream = upstream;
    this.address = address;
    this.tls = tls;
    this.timeout = timeout;
  }

  /**
   * Sends one request on a fresh connection ({@code Connection: close}). With {@code readBody}
   * false only the head is read: an MCP server may answer with an endless event stream.
   */
  Response exchange(String method, String path, String host, Map<String, String> headers, byte[] body,
      boolean readBody) throws IOException {
    try (Socket socket = connect()) {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      head.append("Host: ").append(host).append("\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = line(in);
      List<String> parts = List.of(statusLine.split(" ", 3));
      if (parts.size() < 2 || !parts.get(0).startsWith("HTTP/")) {
        throw new IOException("not an HTTP response");
      }
      int status;
      try {
        status = Integer.parseInt(parts.get(1));
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status: " + parts.get(1));
      }
      Map<String, String> responseHeaders = new LinkedHashMap<>();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        if (colon > 0) {
          responseHeaders.putIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
      }
      byte[] content = readBody ? body(in, responseHeaders) : new byte[0];
      return new Response(status, responseHeaders, content);
    }
  }

  private Socket connect() throws IOException {
    int millis = (int) timeout.toMillis();
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(address, upstream.port()), millis);
      plain.setSoTimeout(millis);
      if (tls == null) {
        return plain;
      }
      SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, upstream.host(), upstream.port(), true);
      SSLParameters params = s.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!Character.isDigit(upstream.host().charAt(upstream.host().length() - 1))) {
        params.setServerNames(List.of(new SNIHostName(upstream.host())));
      }
      s.setSSLParameters(params);
      s.startHandshake();
      return s;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
      while (true) {
        String size = line(in);
        int semicolon = size.indexOf(';');
        int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (n == 0) {
          return out.toByteArray();
        }
        copy(in, out, n);
        line(in);
      }
    }
    String length = headers.get("content-length");
    if (length != null) {
      copy(in, out, Integer.parseInt(length.trim()));
      return out.toByteArray();
    }
    copy(in, out, MAX_BODY);
    return out.toByteArray();
  }

  private static void copy(InputStream in, ByteArrayOutputStream out, int n) throws IOException {
    if (out.size() + n > MAX_BODY) {
      throw new IOException("response body larger than " + MAX_BODY + " bytes");
    }
    byte[] buf = in.readNBytes(n);
    out.write(buf);
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        if (b.isEmpty()) {
          throw new IOException("connection closed before a complete response");
        }
        break;
      }
      if (c != '\r') {
        b.append((char) c);
      }
      if (b.length() > 8192) {
        throw new IOException("response header line too long");
      }
    }
    return b.toString();
  }
}
