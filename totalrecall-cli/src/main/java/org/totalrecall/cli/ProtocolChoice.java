package org.totalrecall.cli;

import org.totalrecall.data.DataFormat;
import org.totalrecall.data.Dataset;
import org.totalrecall.eval.Protocol;

/**
 * The value of {@code --protocol}: one of the evaluation protocols, or {@code none} (train on every
 * interaction of the data, test part included: a model for serving, which no protocol can then
 * evaluate).
 *
 * @param protocol the protocol, or null for none
 */
record ProtocolChoice(Protocol protocol) {
  static final String NONE = "none";

  boolean isNone() {
    return protocol == null;
  }

  String cliName() {
    return protocol == null ? NONE : protocol.cliName();
  }

  /** Parses a flag value; usage error (64) listing the valid values otherwise. */
  static ProtocolChoice parse(String value, String flag) {
    if (value.strip().equalsIgnoreCase(NONE)) {
      return new ProtocolChoice(null);
    }
    try {
      return new ProtocolChoice(Protocol.parse(value));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(flag + ": " + e.getMessage() + ", or none");
    }
  }

  /**
   * The layout's own split: ncf for NCF data, full for LightGCN data (their fixed test files); none
   * for layouts without a test part (use a self-splitting protocol to hold one out).
   */
  static ProtocolChoice defaultFor(Dataset data) {
    if (data.format() == DataFormat.NCF) {
      return new ProtocolChoice(Protocol.NCF);
    }
    if (data.test() != null) {
      return new ProtocolChoice(Protocol.FULL);
    }
    return new ProtocolChoice(null);
  }
}
