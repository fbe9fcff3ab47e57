package io.mcptunnel.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A small table printed two ways: aligned plain text for the terminal, and Markdown for
 * {@code results.md}, whose tables can be pasted into {@code docs/performance.md} as they are.
 * Columns after the first are right-aligned (numbers).
 */
final class Table {
  private final String title;
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  Table(String title, String... headers) {
    this.title = title;
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "–" : c.toString());
    }
    while (r.size() < headers.size()) {
      r.add("");
    }
    rows.add(r);
    return this;
  }

  /** A line printed under the table (plain text) or as a list item after it (Markdown). */
  Table note(String text) {
    notes.add(text);
    return this;
  }

  String text() {
    int[] w = new int[headers.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = headers.get(i).length();
      for (List<String> r : rows) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder(title).append('\n');
    line(b, headers, w);
    for (List<String> r : rows) {
      line(b, r, w);
    }
    for (String n : notes) {
      b.append("  ").append(n).append('\n');
    }
    return b.toString();
  }

  private static void line(StringBuilder b, List<String> cells, int[] w) {
    b.append(' ');
    for (int i = 0; i < w.length; i++) {
      String c = cells.get(i);
      String pad = " ".repeat(w[i] - c.length());
      b.append(' ').append(i == 0 ? c + pad : pad + c).append(' ');
    }
    b.setLength(b.length() - 1);
    b.append('\n');
  }

  String markdown() {
    StringBuilder b = new StringBuilder("#### ").append(title).append("\n\n|");
    for (String h : headers) {
      b.append(' ').append(h).append(" |");
    }
    b.append("\n|");
    for (int i = 0; i < headers.size(); i++) {
      b.append(i == 0 ? "---|" : "---:|");
    }
    b.append('\n');
    for (List<String> r : rows) {
      b.append('|');
      for (String c : r) {
        b.append(' ').append(c.replace("|", "\\|")).append(" |");
      }
      b.append('\n');
    }
    if (!notes.isEmpty()) {
      b.append('\n');
      for (String n : notes) {
        b.append("- ").append(n).append('\n');
      }
    }
    return b.append('\n').toString();
  }
}
