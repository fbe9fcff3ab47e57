package io.mcptunnel.ops.incident;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.io.InputStreamReader;

/**
 * Copies the lines of one log file that fall in the window into {@code logs/<name>.log}, each
 * through a {@link Redactor}. Refuses files of the setup output: they are credentials, not logs.
 */
public final class CollectLog implements Step {
  private final EvidenceBundle bundle;
  private final String name;
  private final Path file;
  private final TimeWindow window;
  private final Path outputDir;

  public CollectLog(EvidenceBundle bundle, String name, Path file, TimeWindow window, Path outputDir) {
    this.bundle = bundle;
    this.name = name;
    this.file = file;
    this.window = window;
    this.outputDir = outputDir;
  }

  /** Log names become file names: letters, digits, '.', '_' and '-' only. */
  public static boolean validName(String name) {
    return name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  }

  @Override
  public String name() {
    return "collect " + name + " log";
  }

  @Override
  public Result run() throws IOException {
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      return Result.failed(file + " does not exist");
    }
    if (outputDir != null && Files.exists(outputDir) && real.startsWith(outputDir.toRealPath())) {
      return Result.failed("refused to copy " + file + ": it is in the setup output (credentials, not logs)");
    }
    LogWindow filter = new LogWindow(window);
    Redactor redactor = new Redactor();
    long read = 0;
    long kept = 0;
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(real), decoder));
        Writer out = bundle.newFile("logs/" + name + ".log")) {
      for (String line; (line = in.readLine()) != null; ) {
        read++;
        if (filter.keep(line)) {
          kept++;
          out.write(redactor.redact(line));
          out.write('\n');
        }
      }
    }
    return Result.done("logs/" + name + ".log: " + kept + " of " + read + " lines in the window"
        + (redactor.redactions() > 0 ? ", " + redactor.redactions() + " secrets redacted" : ""));
  }
}
