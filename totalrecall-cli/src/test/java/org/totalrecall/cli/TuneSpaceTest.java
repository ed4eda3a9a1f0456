package org.totalrecall.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What {@code tune} searches for a method, and that no drawn configuration is refused by train. */
class TuneSpaceTest {
  @Test
  void perRowAndSharedNegativesAreNeverDrawnTogether() {
    Map<String, TuneSpace.Dist> space = TuneSpace.forMethod("logistic", "uniform", Map.of());
    assertTrue(
        space.containsKey("ratio") && space.containsKey("shared"), space.keySet().toString());
    SplittableRandom rnd = new SplittableRandom(3);
    int ratios = 0;
    int shareds = 0;
    for (int t = 0; t < 200; t++) {
      Map<String, String> c = TuneSpace.draw(space, rnd);
      assertFalse(c.containsKey("ratio") && c.containsKey("shared"), c.toString());
      ratios += c.containsKey("ratio") ? 1 : 0;
      shareds += c.containsKey("shared") ? 1 : 0;
    }
    assertTrue(ratios > 50 && shareds > 50, ratios + " per-row, " + shareds + " shared");
  }

  @Test
  void pinningOneTakesTheOtherOutOfTheSearch() {
    Map<String, TuneSpace.Dist> pinnedRatio =
        TuneSpace.forMethod("mfb", null, Map.of("ratio", "8:0", "dim", "96"));
    assertFalse(pinnedRatio.containsKey("shared"), pinnedRatio.keySet().toString());
    assertFalse(pinnedRatio.containsKey("ratio"));
    assertFalse(pinnedRatio.containsKey("dim"));
    assertTrue(pinnedRatio.containsKey("lr"));
    Map<String, TuneSpace.Dist> pinnedShared =
        TuneSpace.forMethod("logistic", "uniform", Map.of("shared", "1024"));
    assertFalse(pinnedShared.containsKey("ratio"), pinnedShared.keySet().toString());
  }
}
