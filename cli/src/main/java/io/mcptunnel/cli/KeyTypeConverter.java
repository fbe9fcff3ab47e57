package io.mcptunnel.cli;

import io.mcptunnel.pki.KeyType;
import io.mcptunnel.pki.PkiException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --key-type ecdsa-p256|…}: the ids of {@link KeyType}, not the Java constant names. */
final class KeyTypeConverter implements ITypeConverter<KeyType> {
  @Override
  public KeyType convert(String value) {
    try {
      return KeyType.parse(value);
    } catch (PkiException e) {
      throw new TypeConversionException("\"" + value + "\" (expected: " + KeyType.ids() + ")");
    }
  }
}
