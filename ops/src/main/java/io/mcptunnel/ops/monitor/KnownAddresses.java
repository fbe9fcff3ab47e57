package io.mcptunnel.ops.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The connector source addresses seen so far and the end of the learning period, optionally kept
 * in a state file ({@code {"learning_until": "...", "connector_hosts": [...]}}, written atomically,
 * owner-only) so a restarted monitor neither re-learns nor re-alerts. A missing file is a first
 * run: learning starts now.
 */
public final class KnownAddresses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Instant learningUntil;
  private final Set<String> hosts;

  private KnownAddresses(Path file, Instant learningUntil, Set<String> hosts) {
    this.file = file;
    this.learningUntil = learningUntil;
    this.hosts = hosts;
  }

  /** Kept in memory only: every run learns for {@code learn} from {@code now}. */
  public static KnownAddresses inMemory(Instant now, Duration learn) {
    return new KnownAddresses(null, now.plus(learn), new TreeSet<>());
  }

  public static KnownAddresses load(Path file, Instant now, Duration learn) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      KnownAddresses fresh = new KnownAddresses(file, now.plus(learn), new TreeSet<>());
      fresh.save();
      return fresh;
    } catch (IOException e) {
      throw new MonitorException("state file " + file + ": " + e.getMessage());
    }
    try {
      JsonNode root = JSON.readTree(text);
      Instant until = Instant.parse(root.path("learning_until").asText());
      Set<String> hosts = new TreeSet<>();
      root.path("connector_hosts").forEach(h -> hosts.add(h.asText()));
      return new KnownAddresses(file, until, hosts);
    } catch (IOException | DateTimeParseException e) {
      throw new MonitorException("state file " + file
          + ": not a monitor state file (expected JSON with learning_until and connector_hosts)");
    }
  }

  public boolean learning(Instant now) {
    return now.isBefore(learningUntil);
  }

  public boolean known(String host) {
    return hosts.contains(host);
  }

  public Set<String> hosts() {
    return Set.copyOf(hosts);
  }

  public void add(String host) {
    if (hosts.add(host)) {
      save();
    }
  }

  private void save() {
    if (file == null) {
      return;
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("learning_until", learningUntil.toString());
    hosts.forEach(root.putArray("connector_hosts")::add);
    try {
      SecureFiles.write(file, root.toPrettyString() + "\n", SecureFiles.SECRET);
    } catch (IOException e) {
      throw new MonitorException("state file " + file + ": cannot write: " + e.getMessage());
    }
  }
}
