package org.totalrecall.cli;

import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.eval.HoldoutValidation;
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

  /**
   * What {@code train --validation} trains on and validates on.
   *
   * @param fit the interactions the model is fitted to
   * @param validation the split whose evaluated part is the validation hold-out
   * @param kind "protocol" (the protocol's own validation part) or "holdout" (one interaction per
   *     user carved from the training part)
   */
  record Validation(Interactions fit, ProtocolSplit validation, String kind) {}

  /**
   * The validation of a model trained on {@code split} (null: protocol none, all of {@code
   * trainPart}) with split seed {@code seed}: the protocol's own validation part, else one
   * interaction per user of {@code trainPart} held out by {@link HoldoutValidation} and validated
   * under the protocol (pums for pums-group; full for protocol none; ncf with its 99 sampled
   * negatives). Deterministic: {@code evaluate --validation} rebuilds exactly what train held out.
   */
  static Validation validation(
      ProtocolSplit split, Protocol protocol, Interactions trainPart, Dataset dataset, long seed) {
    if (split != null && split.validation() != null) {
      return new Validation(split.train(), split.validationSplit(), "protocol");
    }
    HoldoutValidation.Holdout holdout = HoldoutValidation.split(trainPart, seed);
    Protocol vp =
        protocol == null
            ? Protocol.FULL
            : protocol == Protocol.PUMS_GROUP ? Protocol.PUMS : protocol;
    ProtocolSplit vs =
        HoldoutValidation.asSplit(
            vp, holdout, dataset.users(), dataset.items(), seed, vp == Protocol.NCF ? 99 : 0);
    return new Validation(holdout.fit(), vs, "holdout");
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
