package io.mcptunnel.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The off-the-shelf relay stack the tunnel is compared with, built from Debian packages and run as
 * child processes on loopback:
 *
 * <pre>
 * bench client ──HTTP/1.1──▶ stunnel (client mode) ──TLS 1.3──▶ stunnel (server mode) ──▶ nginx ──▶ bench upstream
 *                            127.0.0.1:clientPort               127.0.0.1:tlsPort        host routing,
 *                                                                                        upstream keep-alive
 * </pre>
 *
 * One stunnel process plays the calling side (it stands where our caller library stands), another
 * the private-network side (where our edge + connector + proxy stand), and nginx routes by
 * {@code server_name} like our proxy routes by host. The TLS uses the same kind of certificate as
 * the inner TLS (the bench's tunnel CA and its EC P-256 server certificate), verified by the client
 * stunnel with {@code verifyChain} and {@code checkHost}. The stunnel client has two services: the
 * default one (TLS session resumption on, used for everything but full handshakes) and one with
 * {@code sessionResume = no} for the full-handshake measurement.
 *
 * <p>Configurations are generated into the bench's temporary directory at run time; nothing here is
 * committed but this generator.
 */
final class PeerStack implements AutoCloseable {
  /** nginx worker processes: one per core, as {@code worker_processes auto} gives on this machine. */
  static final String NGINX_WORKERS = "auto";

  final int clientPort;
  final int clientFullHandshakePort;
  final int tlsPort;
  final int nginxPort;
  final String stunnelVersion;
  final String nginxVersion;
  private final Path dir;
  private final Path serverLog;
  private final List<Process> processes = new ArrayList<>();
  private Process stunnelClient;
  private Process stunnelServer;
  private Process nginx;

  private PeerStack(Path dir) throws IOException {
    this.dir = dir;
    this.serverLog = dir.resolve("stunnel-server.log");
    clientPort = freePort();
    clientFullHandshakePort = freePort();
    tlsPort = freePort();
    nginxPort = freePort();
    stunnelVersion = "stunnel " + version(List.of(stunnelBinary(), "-version"), "stunnel ");
    nginxVersion = "nginx " + version(List.of(nginxBinary(), "-v"), "nginx version: nginx/");
  }

  /**
   * Writes the configurations and starts nginx, the server-side stunnel and the client-side
   * stunnel; returns once every port accepts connections.
   *
   * @param certFile the server certificate (PEM) the server-side stunnel presents
   * @param keyFile its key
   * @param caFile the CA the client-side stunnel verifies it against
   */
  static PeerStack start(Path dir, Path certFile, Path keyFile, Path caFile, InetSocketAddress upstream)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    PeerStack p = new PeerStack(dir);
    try {
      p.startAll(certFile, keyFile, caFile, upstream);
      return p;
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private void startAll(Path certFile, Path keyFile, Path caFile, InetSocketAddress upstream)
      throws IOException, InterruptedException {
    Path nginxConf = dir.resolve("nginx.conf");
    Files.createDirectories(dir.resolve("nginx-temp"));
    Files.writeString(nginxConf, nginxConfig(upstream));
    Path serverConf = dir.resolve("stunnel-server.conf");
    Files.writeString(serverConf, stunnelServerConfig(certFile, keyFile));
    Path clientConf = dir.resolve("stunnel-client.conf");
    Files.writeString(clientConf, stunnelClientConfig(caFile));

    nginx = spawn("nginx", List.of(nginxBinary(), "-p", dir.toString(), "-c", nginxConf.toString(),
        "-e", dir.resolve("nginx-error.log").toString()));
    stunnelServer = spawn("stunnel-server", List.of(stunnelBinary(), serverConf.toString()));
    stunnelClient = spawn("stunnel-client", List.of(stunnelBinary(), clientConf.toString()));
    for (int port : new int[] {nginxPort, tlsPort, clientPort, clientFullHandshakePort}) {
      awaitPort(port);
    }
  }

  /**
   * nginx as a reverse proxy tuned the way one would for this job: no access log, keep-alive to the
   * client and to the upstream (HTTP/1.1, {@code Connection ""}), practically unlimited requests per
   * connection, buffering in memory only (no temporary files), the same forwarded headers our proxy
   * adds. One {@code server} per route plus a default server answering 404, as host routing needs.
   */
  String nginxConfig(InetSocketAddress upstream) {
    String temp = dir.resolve("nginx-temp").toString();
    return """
        # generated by the mcptunnel bench
        daemon off;
        master_process on;
        worker_processes %s;
        pid %s;
        error_log %s warn;
        events {
            worker_connections 8192;
        }
        http {
            access_log off;
            server_tokens off;
            tcp_nodelay on;
            keepalive_timeout 300s;
            keepalive_requests 1000000000;
            client_body_temp_path %s/body;
            proxy_temp_path %s/proxy;
            fastcgi_temp_path %s/fastcgi;
            uwsgi_temp_path %s/uwsgi;
            scgi_temp_path %s/scgi;

            upstream bench_upstream {
                server %s:%d;
                keepalive 64;
                keepalive_requests 1000000000;
                keepalive_timeout 300s;
            }

            server {
                listen 127.0.0.1:%d default_server;
                server_name _;
                return 404;
            }
            server {
                listen 127.0.0.1:%d;
                server_name %s;
                location / {
                    proxy_pass http://bench_upstream;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $host;
                    proxy_set_header X-Forwarded-Proto https;
                    proxy_set_header X-Forwarded-Host $host;
                    proxy_buffering on;
                    proxy_buffers 16 64k;
                    proxy_busy_buffers_size 128k;
                    proxy_max_temp_file_size 0;
                }
            }
            server {
                listen 127.0.0.1:%d;
                server_name other.%s;
                location / {
                    proxy_pass http://bench_upstream;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                }
            }
        }
        """.formatted(NGINX_WORKERS, dir.resolve("nginx.pid"), dir.resolve("nginx-error.log"),
        temp, temp, temp, temp, temp, upstream.getHostString(), upstream.getPort(),
        nginxPort, nginxPort, Bench.TUNNEL_HOST, nginxPort, Bench.DOMAIN);
  }

  /**
   * Log level {@code info} is what makes stunnel say, per handshake, whether it resumed a session
   * (the bench counts those lines); it writes about 20 log lines per new connection to a file, and
   * nothing per request on an open connection.
   */
  String stunnelServerConfig(Path certFile, Path keyFile) {
    return """
        ; generated by the mcptunnel bench
        foreground = quiet
        pid =
        syslog = no
        output = %s
        debug = info
        [tls-server]
        accept = 127.0.0.1:%d
        connect = 127.0.0.1:%d
        cert = %s
        key = %s
        sslVersionMin = TLSv1.3
        ciphersuites = %s
        """.formatted(serverLog, tlsPort, nginxPort, certFile, keyFile, CIPHERSUITES);
  }

  String stunnelClientConfig(Path caFile) {
    String service = """
        [%s]
        client = yes
        accept = 127.0.0.1:%d
        connect = 127.0.0.1:%d
        sni = %s
        verifyChain = yes
        CAfile = %s
        checkHost = %s
        sslVersionMin = TLSv1.3
        ciphersuites = %s
        """;
    return """
        ; generated by the mcptunnel bench
        foreground = quiet
        pid =
        syslog = no
        output = %s
        debug = info
        """.formatted(dir.resolve("stunnel-client.log"))
        + service.formatted("tls-client", clientPort, tlsPort, Bench.TUNNEL_HOST, caFile, Bench.TUNNEL_HOST,
            CIPHERSUITES)
        + service.formatted("tls-client-no-resume", clientFullHandshakePort, tlsPort, Bench.TUNNEL_HOST, caFile,
            Bench.TUNNEL_HOST, CIPHERSUITES)
        + "sessionResume = no\n";
  }

  /** AES-128-GCM first, as BoringSSL prefers it on the inner TLS (OpenSSL's default puts AES-256 first). */
  static final String CIPHERSUITES = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

  /** Handshakes the server-side stunnel has logged so far: {new, resumed}. */
  long[] handshakes() {
    long fresh = 0;
    long resumed = 0;
    try (Stream<String> lines = Files.lines(serverLog, StandardCharsets.UTF_8)) {
      for (String l : (Iterable<String>) lines::iterator) {
        if (l.contains("TLS accepted: new session negotiated")) {
          fresh++;
        } else if (l.contains("TLS accepted: previous session reused")) {
          resumed++;
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      return new long[] {-1, -1};
    }
    return new long[] {fresh, resumed};
  }

  /** The TLS version and cipher suite of the last handshake the server-side stunnel logged. */
  String cipherSuite() {
    String found = "(not logged)";
    try (Stream<String> lines = Files.lines(serverLog, StandardCharsets.UTF_8)) {
      for (String l : (Iterable<String>) lines::iterator) {
        int at = l.indexOf(" ciphersuite: ");
        if (at >= 0) {
          String v = l.substring(l.indexOf("]: ") + 3);
          found = v.contains(" (") ? v.substring(0, v.indexOf(" (")) : v;
          found = found.replace(" ciphersuite:", "");
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // keep the default
    }
    return found;
  }

  /** Process ids by component, for CPU accounting: nginx is its master and its workers. */
  Map<String, List<Long>> pids() {
    Map<String, List<Long>> m = new LinkedHashMap<>();
    m.put("stunnel", List.of(stunnelClient.pid(), stunnelServer.pid()));
    List<Long> n = new ArrayList<>();
    n.add(nginx.pid());
    n.addAll(children(nginx.pid()));
    m.put("nginx", n);
    return m;
  }

  long stunnelServerPid() {
    return stunnelServer.pid();
  }

  long stunnelClientPid() {
    return stunnelClient.pid();
  }

  List<Long> nginxPids() {
    return pids().get("nginx");
  }

  String describe() {
    return stunnelVersion + " (client and server, 2 processes, thread per connection); " + nginxVersion
        + " (master + worker_processes " + NGINX_WORKERS + " = " + (nginxPids().size() - 1) + " workers)";
  }

  static List<Long> children(long pid) {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[1]) == pid) {
            out.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      });
    } catch (IOException e) {
      // no /proc: no children known
    }
    return out;
  }

  private Process spawn(String name, List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".out").toFile()).start();
    processes.add(p);
    return p;
  }

  private void awaitPort(int port) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IOException("peer stack: " + p.info().command().orElse("a process") + " exited with status "
              + p.exitValue() + "; see " + dir + "/*.out and *.log");
        }
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IOException("peer stack: nothing listens on 127.0.0.1:" + port + " after 15 s; see " + dir);
        }
        Thread.sleep(50);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** stunnel4's binary ({@code stunnel4} on Debian, {@code stunnel} elsewhere), or an explanation. */
  static String stunnelBinary() {
    return find("stunnel4", "stunnel");
  }

  static String nginxBinary() {
    return find("nginx");
  }

  /** The binaries, or an error saying what to install. */
  static String find(String... names) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"));
    for (String n : names) {
      for (String d : dirs) {
        if (!d.isEmpty() && Files.isExecutable(Path.of(d, n))) {
          return Path.of(d, n).toString();
        }
      }
    }
    throw new MissingBinaryException(names[0]);
  }

  static final class MissingBinaryException extends IllegalStateException {
    MissingBinaryException(String name) {
      super(name + " not found: the peer stack needs the Debian packages stunnel4 and nginx-light "
          + "(apt-get install -y stunnel4 nginx-light), or run with --no-peer");
    }
  }

  private static String version(List<String> command, String prefix) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      for (String l : out.split("\n")) {
        int at = l.indexOf(prefix);
        if (at >= 0) {
          String v = l.substring(at + prefix.length()).trim();
          return v.contains(" on ") ? v.substring(0, v.indexOf(" on ")) : v;
        }
      }
      return "(unknown version)";
    } catch (IOException | InterruptedException e) {
      return "(unknown version)";
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy(); // SIGTERM: nginx's master stops its workers, stunnel exits
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
