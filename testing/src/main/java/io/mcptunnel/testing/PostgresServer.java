package io.mcptunnel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster on a free loopback port, made with the installed Debian binaries
 * ({@code /usr/lib/postgresql/<version>/bin}); never the machine's default cluster. PostgreSQL
 * refuses to run as root, so under root the binaries run as the {@code postgres} OS user and the
 * data directory is handed to that user. Missing binaries fail loudly: a contract suite that
 * silently skipped its production database would prove nothing.
 */
public final class PostgresServer implements AutoCloseable {
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
  private static final String SUPERUSER = "postgres";

  private static PostgresServer shared;

  private final Path bin;
  private final Path dir;
  private final int port;

  private PostgresServer(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /** One cluster for the whole test JVM, stopped at exit; tests isolate by database name. */
  public static synchronized PostgresServer shared() {
    if (shared == null) {
      shared = start();
      PostgresServer server = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
    }
    return shared;
  }

  public static PostgresServer start() {
    Path bin = findBin(DEBIAN_ROOT);
    try {
      Path dir = Files.createTempDirectory("mcptunnel-pg");
      dir.toFile().setExecutable(true, false); // the postgres user must be able to enter it
      Path data = dir.resolve("data");
      Path sockets = dir.resolve("sockets");
      Files.createDirectories(sockets);
      if (isRoot()) {
        run(List.of("chown", "-R", SUPERUSER + ":" + SUPERUSER, dir.toString()));
      }
      int port = freePort();
      PostgresServer server = new PostgresServer(bin, dir, port);
      server.runPg("initdb", "-D", data.toString(), "-U", SUPERUSER, "--auth=trust",
          "--encoding=UTF8", "--no-sync");
      server.runPg("pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
          "-w", "-t", "60", "-o",
          "-p " + port + " -k " + sockets + " -c listen_addresses=127.0.0.1 -c fsync=off",
          "start");
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates an empty database and returns its JDBC URL (user {@code postgres}, trust auth). */
  public String createDatabase(String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,40}")) {
      throw new IllegalArgumentException("database name: " + name + " (expected: [a-z][a-z0-9_]*)");
    }
    runPg("createdb", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", SUPERUSER, name);
    return jdbcUrl(name);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
  }

  public int port() {
    return port;
  }

  @Override
  public synchronized void close() {
    try {
      runPg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    } catch (RuntimeException e) {
      // already stopped: the directory goes anyway
    }
    deleteTree(dir);
  }

  static Path findBin(Path root) {
    try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(PostgresServer::majorVersion))
          .orElseThrow(() -> new IllegalStateException(
              "PostgreSQL binaries not found under " + root + "/*/bin (initdb, pg_ctl);"
                  + " install the Debian package: apt-get install postgresql (.ci/run does this)"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void runPg(String program, String... args) {
    List<String> command = new ArrayList<>();
    if (isRoot()) {
      command.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + new String(output).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command.get(0), e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temp directory is harmless
    }
  }
}
