package io.mcptunnel.ops.incident;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/**
 * The evidence folder: created 0700, files 0600 (logs can hold personal data). Evidence is never
 * overwritten: the default name carries a timestamp, and an existing non-empty folder is refused
 * before any step runs, so a re-run never mixes or replaces an earlier bundle.
 */
public final class EvidenceBundle {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private final Path directory;

  private EvidenceBundle(Path directory) {
    this.directory = directory;
  }

  /** {@code ./incident-<tunnel-id>-<UTC timestamp>}. */
  public static Path defaultFolder(String tunnelId, Instant now) {
    return Path.of("incident-" + (tunnelId == null ? "unknown-tunnel" : tunnelId) + "-" + STAMP.format(now));
  }

  /**
   * Checks {@code directory} is new or empty and not inside {@code outputDir} (the setup output,
   * which holds secrets); creates it.
   */
  public static EvidenceBundle create(Path directory, Path outputDir) {
    Path dir = directory.toAbsolutePath().normalize();
    if (outputDir != null && dir.startsWith(outputDir.toAbsolutePath().normalize())) {
      throw new McptunnelException("--evidence " + directory + " is inside the setup output "
          + outputDir + "; choose a folder outside it");
    }
    try {
      if (Files.exists(dir)) {
        if (!Files.isDirectory(dir)) {
          throw new McptunnelException("--evidence " + directory + " exists and is not a folder");
        }
        try (Stream<Path> entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new McptunnelException("--evidence " + directory + " already holds files; evidence is never"
                + " overwritten: pass a new folder (or omit --evidence for a timestamped one)");
          }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } else {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new McptunnelException("--evidence " + directory + ": " + e.getMessage(), e);
    }
    return new EvidenceBundle(dir);
  }

  public Path directory() {
    return directory;
  }

  /** A new 0600 file at {@code relative} (parents created 0700), opened for writing. */
  public Writer newFile(String relative) throws IOException {
    Path file = resolve(relative);
    Files.createDirectories(file.getParent(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.createFile(file, PosixFilePermissions.asFileAttribute(SecureFiles.SECRET));
    return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  public void write(String relative, String content) throws IOException {
    try (Writer w = newFile(relative)) {
      w.write(content);
    }
  }

  private Path resolve(String relative) {
    Path file = directory.resolve(relative).normalize();
    if (!file.startsWith(directory)) {
      throw new IllegalArgumentException("outside the bundle: " + relative);
    }
    return file;
  }
}
