package org.totalrecall.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * Converts a flag value to an enum constant, accepting the constant's name in any case with dashes
 * for underscores ({@code random-split}, {@code bi-infonce}, {@code RANDOM_SPLIT}); the error lists
 * the accepted spellings.
 */
final class EnumConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
  private final Class<E> type;

  EnumConverter(Class<E> type) {
    this.type = type;
  }

  /** The spelling the CLI shows for a constant: lower case, dashes. */
  static String spell(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** All spellings of {@code type}, comma-separated. */
  static String spellings(Class<? extends Enum<?>> type) {
    StringBuilder sb = new StringBuilder();
    for (Enum<?> e : type.getEnumConstants()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(spell(e));
    }
    return sb.toString();
  }

  /**
   * Converts {@code value}; a usage error (exit 64) naming {@code flag} if it is not a constant.
   */
  E convertOrUsage(String value, String flag) {
    try {
      return convert(value);
    } catch (CommandLine.TypeConversionException e) {
      throw CliException.usage(flag + ": " + e.getMessage());
    }
  }

  @Override
  public E convert(String value) {
    String key = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(key)) {
        return e;
      }
    }
    @SuppressWarnings("unchecked")
    Class<? extends Enum<?>> t = (Class<? extends Enum<?>>) (Class<?>) type;
    throw new CommandLine.TypeConversionException("'" + value + "' is not one of " + spellings(t));
  }
}
