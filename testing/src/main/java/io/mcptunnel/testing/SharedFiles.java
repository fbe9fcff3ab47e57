package io.mcptunnel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The project's shared test vectors ({@code ../shared/conformance} beside the repository). */
public final class SharedFiles {
  private SharedFiles() {}

  /** The path of a shared conformance file; fails loudly when the shared folder cannot be found. */
  public static Path conformance(String name) {
    String configured = System.getProperty("mcptunnel.shared");
    List<Path> candidates = new ArrayList<>();
    if (configured != null) {
      candidates.add(Paths.get(configured));
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve("shared"));
      candidates.add(dir.resolveSibling("shared"));
    }
    for (Path shared : candidates) {
      Path file = shared.resolve("conformance").resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new IllegalStateException("conformance file " + name + " not found; looked in " + candidates);
  }

  /** The rows of a tab-separated conformance table, comments and blank lines left out. */
  public static List<String[]> tsvRows(String name) {
    try {
      List<String[]> rows = new ArrayList<>();
      for (String line : Files.readAllLines(conformance(name))) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(line.split("\t", -1));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
