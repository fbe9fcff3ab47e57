package io.mcptunnel.edge.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunnel state from a YAML file, until the control plane exists. The file is polled (SHA-256 of
 * its content, like the proxy's certificate reloader: works the same everywhere, including
 * Kubernetes' symlink swaps) so changes apply without a restart. A valid new file replaces the
 * whole state at once; an invalid one is logged and the previous state kept, so a typo never
 * severs live tunnels. Write the file atomically (rename) to avoid reading a half-written one.
 */
public final class FileTunnelRegistry extends SnapshotRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileTunnelRegistry.class);

  private final Path file;
  private final ScheduledExecutorService timer;
  private byte[] lastDigest; // guarded by this; null after a read failure so the next read reloads

  /** Loads {@code file} now, failing with {@link RegistryException}, then polls every {@code pollInterval}. */
  public FileTunnelRegistry(Path file, Duration pollInterval) {
    this.file = file;
    byte[] content = read(file);
    publish(TunnelSnapshot.of(RegistryFileParser.parse(text(content), file.toString())));
    lastDigest = sha256(content);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mcptunnel-tunnel-registry");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, pollInterval.toMillis());
    timer.scheduleWithFixedDelay(this::reload, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** The file this registry reads. */
  public Path file() {
    return file;
  }

  /** Checks the file now; the poller calls it, and an operator signal or a test may too. */
  public synchronized void reload() {
    byte[] content;
    try {
      content = read(file);
    } catch (RegistryException e) {
      if (lastDigest != null) { // warn once per outage, not on every poll
        warn(e.getMessage());
        lastDigest = null;
      }
      return;
    }
    byte[] digest = sha256(content);
    if (Arrays.equals(digest, lastDigest)) {
      return;
    }
    lastDigest = digest; // also for a bad file: warn once per content, not once per poll
    TunnelSnapshot next;
    try {
      next = TunnelSnapshot.of(RegistryFileParser.parse(text(content), file.toString()));
    } catch (RuntimeException e) {
      warn(String.valueOf(e.getMessage()));
      return;
    }
    List<TunnelState> changed = publish(next);
    LOG.atInfo().addKeyValue("file", file.toString()).addKeyValue("tunnels", next.byId().size())
        .addKeyValue("changed", changed.size()).log("tunnel registry reloaded");
    announce(changed);
  }

  private void warn(String reason) {
    LOG.atWarn().addKeyValue("file", file.toString()).addKeyValue("reason", reason)
        .log("tunnel registry reload failed, keeping the previous state");
  }

  /** File errors in Go's wording, like every other component's. */
  private static byte[] read(Path file) {
    if (Files.isDirectory(file)) {
      throw new RegistryException("read " + file + ": is a directory");
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new RegistryException("open " + file + ": no such file or directory", e);
    } catch (AccessDeniedException e) {
      throw new RegistryException("open " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new RegistryException("read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String text(byte[] content) {
    return new String(content, StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
