package org.totalrecall.cli;

import picocli.CommandLine;

/**
 * Base of the per-enum converters picocli instantiates by class (it needs a no-argument
 * constructor): a subclass passes its enum type to {@link EnumConverter}.
 */
abstract class EnumConverterAdapter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
  private final EnumConverter<E> delegate;

  EnumConverterAdapter(Class<E> type) {
    this.delegate = new EnumConverter<>(type);
  }

  @Override
  public E convert(String value) {
    return delegate.convert(value);
  }
}
