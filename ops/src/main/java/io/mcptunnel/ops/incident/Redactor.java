package io.mcptunnel.ops.incident;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Defence in depth for copied logs: our parts never log secrets, but an MCP server or a debug
 * setting might. Removes bearer credentials, tunnel tokens ({@code mcpt1.<tunnel>.<token>.<secret>}),
 * JWTs (identity and access tokens), secret-named JSON/form fields, and whole PEM private-key
 * blocks. Stateful only for the PEM block, which spans lines; one instance per file.
 */
public final class Redactor {
  public static final String MARK = "[REDACTED]";

  private static final List<Pattern> SECRETS = List.of(
      Pattern.compile("mcpt1\\.[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9_-]{1,64}\\.[A-Za-z0-9_-]+"),
      Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"),
      Pattern.compile("(?i)(?<=bearer\\s)\\s*[A-Za-z0-9._~+/=-]+"),
      Pattern.compile("(?i)(?<=(?:access_token|refresh_token|id_token|tunnel_token|client_secret|assertion"
          + "|credential|password|secret)\"\\s{0,4}:\\s{0,4}\")[^\"]+"),
      Pattern.compile("(?i)(?<=(?:access_token|refresh_token|id_token|tunnel_token|client_secret|assertion"
          + "|password)=)[^&\\s\"]+"));
  private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----");
  private static final Pattern PEM_END = Pattern.compile("-----END [A-Z0-9 ]*PRIVATE KEY-----");

  private boolean inPrivateKey;
  private long redactions;

  /** The line with every secret replaced by {@link #MARK}. */
  public String redact(String line) {
    if (inPrivateKey) {
      Matcher end = PEM_END.matcher(line);
      if (!end.find()) {
        redactions++;
        return MARK;
      }
      inPrivateKey = false;
      redactions++;
      line = MARK + line.substring(end.end());
    }
    Matcher begin = PEM_BEGIN.matcher(line);
    if (begin.find()) {
      Matcher end = PEM_END.matcher(line);
      redactions++;
      if (end.find(begin.end())) {
        line = line.substring(0, begin.start()) + MARK + line.substring(end.end());
      } else {
        String before = redact(line.substring(0, begin.start()));
        inPrivateKey = true;
        return before + MARK;
      }
    }
    for (Pattern p : SECRETS) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        redactions++;
        line = m.replaceAll(MARK);
      }
    }
    return line;
  }

  /** How many lines had something removed. */
  public long redactions() {
    return redactions;
  }
}
