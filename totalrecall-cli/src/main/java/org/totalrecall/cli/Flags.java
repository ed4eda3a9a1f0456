package org.totalrecall.cli;

import java.util.Map;

/** Translates the field names in config-record validation messages into the flags that set them. */
final class Flags {
  private Flags() {}

  private static final Map<String, String> FLAG_OF_FIELD =
      Map.ofEntries(
          Map.entry("dim", "--dim"),
          Map.entry("epochs", "--epochs"),
          Map.entry("batchSize", "--batch-size"),
          Map.entry("learningRate", "--lr"),
          Map.entry("l2", "--l2"),
          Map.entry("temperature", "--temperature"),
          Map.entry("threads", "--threads"),
          Map.entry("patience", "--patience"),
          Map.entry("extraNegatives", "--extra-negatives"),
          Map.entry("logQWeight", "--logq-weight"));

  /**
   * "learningRate must be > 0, got -1.0" → "--lr must be > 0, got -1.0"; other messages unchanged.
   */
  static String rename(String message) {
    int space = message.indexOf(' ');
    if (space > 0) {
      String flag = FLAG_OF_FIELD.get(message.substring(0, space));
      if (flag != null) {
        return flag + message.substring(space);
      }
    }
    return message;
  }
}
