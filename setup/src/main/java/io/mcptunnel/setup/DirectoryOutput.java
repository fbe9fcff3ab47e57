package io.mcptunnel.setup;

import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dir:/path}: one file per entry, each replaced atomically ({@link SecureFiles}) with its
 * final mode from the start (secrets 0600, the rest 0644); the directory is created 0700. Files
 * whose content and mode are already right are left untouched, so a re-run changes nothing.
 */
public final class DirectoryOutput implements Output {
  private final Path directory;

  public DirectoryOutput(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  public Path directory() {
    return directory;
  }

  @Override
  public Map<String, String> read() {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String key : OutputKeys.ALL) {
      Path file = directory.resolve(key);
      try {
        entries.put(key, Files.readString(file, StandardCharsets.UTF_8));
      } catch (NoSuchFileException e) {
        // absent entry
      } catch (IOException e) {
        throw new SetupException("read " + file + ": " + e.getMessage(), e);
      }
    }
    return entries;
  }

  @Override
  public void write(Map<String, String> entries) {
    try {
      if (!Files.isDirectory(directory)) {
        Files.createDirectories(directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      for (String key : OutputKeys.ALL) {
        String value = entries.get(key);
        if (value != null) {
          writeIfChanged(directory.resolve(key), value, OutputKeys.SECRETS.contains(key));
        } else {
          Files.deleteIfExists(directory.resolve(key));
        }
      }
    } catch (IOException e) {
      throw new SetupException("write " + describe() + ": " + e.getMessage(), e);
    }
  }

  private static void writeIfChanged(Path file, String value, boolean secret) throws IOException {
    var mode = secret ? SecureFiles.SECRET : SecureFiles.PUBLIC;
    if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(value)
        && Files.getPosixFilePermissions(file).equals(mode)) {
      return;
    }
    SecureFiles.write(file, value, mode);
  }

  @Override
  public String describe() {
    return "dir:" + directory;
  }
}
