package org.totalrecall.cli;

import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.eval.Protocol;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.eval.Protocols;

/** Protocol splits as the commands need them, with data errors turned into exit 65. */
final class Splits {
  private Splits() {}

  /**
   * {@code protocol}'s split of {@code data} with the default options and split seed {@code seed}.
   */
  static ProtocolSplit split(Protocol protocol, Dataset data, long seed) {
    return split(protocol, data, ProtocolOptions.defaults().withSeed(seed));
  }

  /** {@code protocol}'s split of {@code data} with {@code options}. */
  static ProtocolSplit split(Protocol protocol, Dataset data, ProtocolOptions options) {
    try {
      return Protocols.split(protocol, data, options);
    } catch (IllegalArgumentException e) {
      throw CliException.data("protocol " + protocol.cliName() + ": " + e.getMessage());
    }
  }

  /** Every interaction of the data set: its training part and, if it has one, its test part. */
  static Interactions allInteractions(Dataset data) {
    Interactions train = data.train();
    Interactions test = data.test();
    if (test == null || test.size() == 0) {
      return train;
    }
    int n = train.size() + test.size();
    int[] rows = new int[n];
    int[] cols = new int[n];
    int p = 0;
    for (Interactions m : new Interactions[] {train, test}) {
      for (int u = 0; u < m.numRows(); u++) {
        for (int q = m.start(u); q < m.end(u); q++) {
          rows[p] = u;
          cols[p] = m.cols()[q];
          p++;
        }
      }
    }
    return Interactions.fromPairs(train.numRows(), train.numCols(), rows, cols, null, null, n);
  }
}
