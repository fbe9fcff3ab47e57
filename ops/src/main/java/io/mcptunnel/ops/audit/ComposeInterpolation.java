package io.mcptunnel.ops.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compose's variable substitution: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR-default}}, {@code ${VAR:?message}}, {@code ${VAR?message}} and {@code $$} for a
 * literal dollar. Values come from the environment first, then the {@code .env} file next to the
 * compose file (Compose's precedence). Unset variables are collected, not guessed.
 */
final class ComposeInterpolation {
  /** A variable without a value and without a default; {@code message} from {@code :?}, or null. */
  record Unset(String name, String message) {}

  private final Map<String, String> values;
  private final List<Unset> unset = new ArrayList<>();

  ComposeInterpolation(Map<String, String> values) {
    this.values = values;
  }

  /** Environment over {@code .env}: a variable set in both takes the environment's value. */
  static ComposeInterpolation forFile(Path composeFile, Map<String, String> environment) throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    Path dotEnv = composeFile.toAbsolutePath().getParent().resolve(".env");
    if (Files.isRegularFile(dotEnv)) {
      values.putAll(parseDotEnv(Files.readAllLines(dotEnv)));
    }
    values.putAll(environment);
    return new ComposeInterpolation(values);
  }

  static Map<String, String> parseDotEnv(List<String> lines) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      } else {
        int comment = value.indexOf(" #");
        if (comment >= 0) {
          value = value.substring(0, comment).strip();
        }
      }
      out.put(line.substring(0, eq).strip(), value);
    }
    return out;
  }

  List<Unset> unset() {
    return List.copyOf(unset);
  }

  String apply(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$' || i + 1 >= text.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = text.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
      } else if (next == '{') {
        int close = matchingBrace(text, i + 2);
        if (close < 0) {
          out.append(text, i, text.length());
          break;
        }
        out.append(braced(text.substring(i + 2, close)));
        i = close + 1;
      } else if (Character.isLetter(next) || next == '_') {
        int end = i + 1;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          end++;
        }
        out.append(lookup(text.substring(i + 1, end), null, false, null));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The '}' closing a "${" whose body starts at {@code from}, skipping nested "${...}". */
  private static int matchingBrace(String text, int from) {
    int depth = 1;
    for (int j = from; j < text.length(); j++) {
      char c = text.charAt(j);
      if (c == '$' && j + 1 < text.length() && text.charAt(j + 1) == '{') {
        depth++;
        j++;
      } else if (c == '}' && --depth == 0) {
        return j;
      }
    }
    return -1;
  }

  private String braced(String expr) {
    int op = 0;
    while (op < expr.length() && (Character.isLetterOrDigit(expr.charAt(op)) || expr.charAt(op) == '_')) {
      op++;
    }
    String name = expr.substring(0, op);
    String rest = expr.substring(op);
    if (rest.startsWith(":-")) {
      return lookup(name, apply(rest.substring(2)), true, null);
    }
    if (rest.startsWith("-")) {
      return lookup(name, apply(rest.substring(1)), false, null);
    }
    if (rest.startsWith(":?")) {
      return lookup(name, null, true, rest.substring(2));
    }
    if (rest.startsWith("?")) {
      return lookup(name, null, false, rest.substring(1));
    }
    return lookup(name, null, false, null);
  }

  /** @param emptyIsUnset the {@code :} forms treat an empty value like a missing one */
  private String lookup(String name, String fallback, boolean emptyIsUnset, String message) {
    String v = values.get(name);
    boolean missing = v == null || emptyIsUnset && v.isEmpty();
    if (!missing) {
      return v;
    }
    if (fallback != null) {
      return fallback;
    }
    if (unset.stream().noneMatch(u -> u.name().equals(name))) {
      unset.add(new Unset(name, message == null || message.isEmpty() ? null : message));
    }
    return v == null ? "" : v;
  }
}
