package org.totalrecall.eval;

import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;
import org.totalrecall.util.Checks;

/**
 * Refuses to evaluate a model on test data it was trained on. Two checks:
 *
 * <ul>
 *   <li>by fingerprint: the model records the fingerprint of the interactions it was trained on
 *       (metadata key {@value #TRAIN_FINGERPRINT_KEY}); it must equal the split's {@link
 *       ProtocolSplit#trainFingerprint()}. If it equals the fingerprint of all the split's data,
 *       the model saw the test part; any other value means another split (another protocol or seed)
 *       or other data;
 *   <li>directly: no test pair of the split may be among the model's stored training interactions
 *       ({@link FactorModel#seen()}).
 * </ul>
 *
 * Stateless.
 */
public final class LeakageCheck {
  /** Model metadata key of the training-data fingerprint (a String). */
  public static final String TRAIN_FINGERPRINT_KEY = "trainFingerprint";

  /** Model metadata key of the protocol the model was trained for (its CLI name). */
  public static final String PROTOCOL_KEY = "protocol";

  /** Model metadata key of the split seed the model's training part was made with (a number). */
  public static final String SPLIT_SEED_KEY = "splitSeed";

  private LeakageCheck() {}

  /**
   * Throws unless {@code modelTrainFingerprint} is the fingerprint of {@code split}'s training
   * part.
   *
   * @throws TestLeakageException if it is missing, is the fingerprint of data including the test
   *     part, or matches neither
   */
  public static void checkFingerprint(String modelTrainFingerprint, ProtocolSplit split) {
    Checks.notNull("split", split);
    String expected = split.trainFingerprint();
    String where =
        "protocol "
            + split.protocol()
            + (split.protocol().selfSplitting() ? " (seed " + split.seed() + ")" : "");
    if (modelTrainFingerprint == null) {
      throw new TestLeakageException(
          "the model records no training-data fingerprint, so it cannot be shown not to have "
              + "seen the test part of "
              + where
              + "; train it with the same protocol and seed");
    }
    if (modelTrainFingerprint.equals(expected)) {
      return;
    }
    if (modelTrainFingerprint.equals(split.allDataFingerprint())) {
      throw new TestLeakageException(
          "model was trained on data that includes this protocol's test part: "
              + where
              + " holds out "
              + split.test().size()
              + " interactions the model was trained on; train with --protocol "
              + split.protocol().cliName()
              + (split.protocol().selfSplitting() ? " --split-seed " + split.seed() : "")
              + " so that only the training part is used");
    }
    throw new TestLeakageException(
        "model's training data does not match "
            + where
            + "'s training part: model "
            + modelTrainFingerprint
            + ", expected "
            + expected
            + "; evaluate with the protocol and seed the model was trained with");
  }

  /** Number of test pairs of {@code split} among {@code seen} (users × items). */
  public static long overlap(Interactions seen, ProtocolSplit split) {
    Checks.notNull("seen", seen);
    return InteractionSets.overlap(split.testPairs(), seen);
  }

  /**
   * Runs the direct check when the model stores its training interactions, and the fingerprint
   * check when its metadata has {@value #TRAIN_FINGERPRINT_KEY}.
   *
   * @throws TestLeakageException on any overlap or fingerprint mismatch
   */
  public static void check(FactorModel model, ProtocolSplit split) {
    Checks.notNull("model", model);
    checkSeen(model, split);
    Object fingerprint = model.metadata().get(TRAIN_FINGERPRINT_KEY);
    if (fingerprint != null) {
      checkFingerprint(fingerprint.toString(), split);
    }
  }

  /**
   * The direct check: throws if any test pair of {@code split} is among {@code model.seen()}
   * (skipped when the model stores no training interactions).
   */
  public static void checkSeen(FactorModel model, ProtocolSplit split) {
    Interactions seen = model.seen();
    if (seen == null) {
      return;
    }
    long shared = overlap(seen, split);
    if (shared > 0) {
      int[] first = InteractionSets.firstShared(split.testPairs(), seen);
      throw new TestLeakageException(
          "model was trained on data that includes this protocol's "
              + split.part()
              + " part: "
              + shared
              + " of its "
              + split.test().size()
              + " pairs are among the model's training interactions, e.g. (user "
              + split.users().idOf(first[0])
              + ", item "
              + split.items().idOf(first[1])
              + "); train with --protocol "
              + split.protocol().cliName());
    }
  }
}
