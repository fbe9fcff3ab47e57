package io.mcptunnel.ops.incident;

import io.mcptunnel.setup.OutputKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes a {@code dir:} output's credentials: {@link #CREDENTIALS} (the token, both private keys
 * and the certificates they belong to), keeping {@code tunnel-id}, {@code tunnel-domain},
 * {@code token-version} and any other config; with {@code all}, the whole folder. Plain deletes:
 * overwriting first gives no guarantee on journaling or copy-on-write filesystems.
 */
public final class DeleteOutputFiles implements Step {
  public static final List<String> CREDENTIALS = List.of(OutputKeys.TUNNEL_TOKEN, OutputKeys.CA_KEY,
      OutputKeys.TLS_KEY, OutputKeys.TLS_CRT, OutputKeys.CA_CRT);

  private final Path directory;
  private final boolean all;

  public DeleteOutputFiles(Path directory, boolean all) {
    this.directory = directory;
    this.all = all;
  }

  @Override
  public String name() {
    return all ? "delete output folder " + directory : "delete credentials in " + directory;
  }

  @Override
  public Result run() throws IOException {
    if (!Files.exists(directory)) {
      return Result.already("not found (nothing stored)");
    }
    if (all) {
      long count;
      try (Stream<Path> walk = Files.walk(directory)) {
        List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
        for (Path p : paths) {
          Files.delete(p);
        }
        count = paths.size() - 1;
      }
      return Result.done("removed the folder and its " + count + " entries");
    }
    List<String> deleted = new ArrayList<>();
    for (String name : CREDENTIALS) {
      if (Files.deleteIfExists(directory.resolve(name))) {
        deleted.add(name);
      }
    }
    if (deleted.isEmpty()) {
      return Result.already("no credential file left (non-secret config kept)");
    }
    return Result.done("deleted " + String.join(", ", deleted) + " (kept tunnel-id, tunnel-domain,"
        + " token-version and other config; --all removes the folder)");
  }
}
