package io.mcptunnel.proxy.tls;

import io.mcptunnel.pki.TlsMaterial;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current inner-TLS server context and swaps it when the certificate or key file changes.
 * Polling (rather than file-system events) works the same on every platform and with the symlink
 * swaps Kubernetes uses for mounted Secrets. New handshakes use the new context; sessions already
 * open keep theirs. A bad new pair is logged and the old one kept.
 */
public final class CertificateReloader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  private final Path certFile;
  private final Path keyFile;
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private final Consumer<TlsMaterial> onReload;
  private final ScheduledExecutorService timer;
  private byte[] lastSeenDigest;

  private record Loaded(SslContext context, TlsMaterial material) {}

  /** Loads the pair now (failing loudly) and polls every {@code interval} afterwards. */
  public CertificateReloader(Path certFile, Path keyFile, Duration interval, Consumer<TlsMaterial> onReload)
      throws IOException {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.onReload = onReload;
    TlsMaterial material = TlsMaterial.load(certFile, keyFile);
    current.set(new Loaded(SslContexts.server(material), material));
    lastSeenDigest = digest();
    onReload.accept(material);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mcptunnel-cert-reload");
      t.setDaemon(true);
      return t;
    });
    long ms = interval.toMillis();
    timer.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
  }

  public SslContext context() {
    return current.get().context();
  }

  public TlsMaterial material() {
    return current.get().material();
  }

  /** Checks the files once; public so an operator signal or a test can trigger it. */
  public synchronized void poll() {
    byte[] digest;
    try {
      digest = digest();
    } catch (IOException e) {
      if (lastSeenDigest != null) {
        LOG.atWarn().addKeyValue("reason", e.getMessage())
            .log("tls certificate reload failed, keeping the previous certificate");
        lastSeenDigest = null;
      }
      return;
    }
    if (Arrays.equals(digest, lastSeenDigest)) {
      return;
    }
    lastSeenDigest = digest;
    try {
      TlsMaterial material = TlsMaterial.load(certFile, keyFile);
      current.set(new Loaded(SslContexts.server(material), material));
      LOG.atInfo().addKeyValue("subject", material.leaf().getSubjectX500Principal().getName())
          .addKeyValue("sha256", material.fingerprint())
          .addKeyValue("not_after", material.notAfter().toString())
          .log("tls certificate reloaded");
      onReload.accept(material);
    } catch (Exception e) {
      LOG.atWarn().addKeyValue("reason", String.valueOf(e.getMessage()))
          .log("tls certificate reload failed, keeping the previous certificate");
    }
  }

  private byte[] digest() throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Files.readAllBytes(certFile));
      md.update(Files.readAllBytes(keyFile));
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
