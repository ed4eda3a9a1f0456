package org.totalrecall.train;

/** The trainer contract: WARP with its default 32 uniform trials. */
class WarpTrainerTest extends TrainerContractTest {
  @Override
  TrainConfig config(long seed) {
    return checkerboardConfig(ObjectiveSpec.parse("warp", Params.none()), seed);
  }

  /**
   * WARP's margin ties the withheld item with the other class (see {@link #minimumCorrect}): 80%
   * here.
   */
  @Override
  int minimumCorrect() {
    return N * 4 / 5;
  }

  /** What WARP does learn: each user's training items outrank every item of the other class. */
  @org.junit.jupiter.api.Test
  void trainingItemsOutrankTheOtherClass() {
    org.totalrecall.data.Interactions data =
        org.totalrecall.testkit.Fixtures.checkerboardWithoutDiagonal(N);
    org.totalrecall.model.FactorModel m = train(data, 23L);
    long ordered = 0;
    long pairs = 0;
    for (int u = 0; u < N; u++) {
      for (int i = 0; i < N; i++) {
        if (!data.contains(u, i)) {
          continue;
        }
        for (int j = 0; j < N; j++) {
          if (j % 2 != u % 2) {
            pairs++;
            ordered += m.score(u, i) > m.score(u, j) ? 1 : 0;
          }
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        ordered >= 0.99 * pairs, ordered + " of " + pairs + " pairs ordered");
  }
}
