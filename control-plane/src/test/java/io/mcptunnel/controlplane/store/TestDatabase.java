package io.mcptunnel.controlplane.store;

import io.mcptunnel.testing.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two databases every contract test runs on: the embedded default (an H2 file in a fresh data
 * directory) and a real PostgreSQL (a throwaway cluster shared by the test JVM, one database per
 * call). Each call returns the JDBC URL of an empty database.
 */
public enum TestDatabase {
  H2 {
    @Override
    public String freshUrl() {
      try {
        return Database.embeddedUrl(deletedAtExit(Files.createTempDirectory("mcptunnel-cp")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  },
  POSTGRES {
    @Override
    public String freshUrl() {
      return PostgresServer.shared().createDatabase("cp_" + COUNTER.incrementAndGet());
    }
  };

  private static final AtomicInteger COUNTER = new AtomicInteger();

  public abstract String freshUrl();

  /** Test databases outlive their classes (pools close late), so they go when the JVM does. */
  private static Path deletedAtExit(Path dir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort: a leftover temp directory is harmless
      }
    }));
    return dir;
  }
}
