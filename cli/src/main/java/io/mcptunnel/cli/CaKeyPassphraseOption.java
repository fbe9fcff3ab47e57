package io.mcptunnel.cli;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.KeyPassphraseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The CA key's passphrase, for every command that writes or reads ca.key: {@code
 * --ca-key-passphrase-file FILE}, {@value #ENV} or {@value #ENV_FILE}; exactly one of them or none
 * (none: ca.key is plaintext). The passphrase lives only for the command's run and is wiped after.
 */
final class CaKeyPassphraseOption {
  static final String OPTION = "--ca-key-passphrase-file";
  static final String ENV = "MCPTUNNEL_CA_KEY_PASSPHRASE";
  static final String ENV_FILE = "MCPTUNNEL_CA_KEY_PASSPHRASE_FILE";

  @Option(names = OPTION, paramLabel = "FILE",
      description = "Encrypt / decrypt ca.key with the passphrase in this file (mode 0600 or 0400;"
          + " one trailing newline is ignored). Or set " + ENV + " or " + ENV_FILE + ".")
  Path file;

  /** Where a passphrase comes from; null fields are not given. */
  record Source(String name, Path file, String value) {}

  /**
   * The one source given, or null for none.
   *
   * @throws McptunnelException when more than one is given
   */
  static Source choose(Path option, String env, String envFile) {
    List<Source> given = new ArrayList<>();
    if (option != null) {
      given.add(new Source(OPTION, option, null));
    }
    if (env != null) {
      given.add(new Source(ENV, null, env));
    }
    if (envFile != null) {
      given.add(new Source(ENV_FILE, Path.of(envFile), null));
    }
    if (given.size() > 1) {
      throw new McptunnelException("the CA key passphrase is given more than once ("
          + String.join(", ", given.stream().map(Source::name).toList()) + "); give exactly one");
    }
    return given.isEmpty() ? null : given.get(0);
  }

  /**
   * Runs {@code action} with the passphrase (null when none is given), wipes it afterwards, and
   * turns "encrypted but no passphrase" into a line saying how to give one.
   */
  <T> T with(Function<KeyPassphrase, T> action) {
    Function<String, String> env = SetupCommand.environment;
    Source source = choose(file, env.apply(ENV), env.apply(ENV_FILE));
    KeyPassphrase passphrase = source == null ? null
        : source.file() != null ? KeyPassphrase.read(source.file())
        : KeyPassphrase.of(source.value().toCharArray(), source.name());
    try {
      return action.apply(passphrase);
    } catch (KeyPassphraseException e) {
      if (e.missing()) {
        throw new McptunnelException(e.source() + " is encrypted: give " + OPTION + " FILE or set " + ENV, e);
      }
      throw e;
    } finally {
      if (passphrase != null) {
        passphrase.close();
      }
    }
  }
}
