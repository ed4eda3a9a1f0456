package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.DataFingerprint;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.model.FactorModel;

class LeakageCheckTest {
  private static final Dataset DATA =
      SyntheticData.generate(new SyntheticData.Spec(80, 60, 3, 8, 0.8, 2L));

  @Test
  void modelTrainedOnTheTrainingPartPasses() {
    ProtocolSplit split =
        Protocols.split(Protocol.RANDOM_SPLIT, DATA, ProtocolOptions.defaults().withSeed(9));
    assertDoesNotThrow(() -> LeakageCheck.checkFingerprint(split.trainFingerprint(), split));
    FactorModel model =
        EvalFixtures.model(1, new float[DATA.numUsers()], new float[DATA.numItems()], split.train())
            .withMetadata(Map.of(LeakageCheck.TRAIN_FINGERPRINT_KEY, split.trainFingerprint()));
    assertDoesNotThrow(() -> LeakageCheck.check(model, split));
    assertDoesNotThrow(() -> Evaluator.evaluate(model, split, EvalOptions.defaults()));
  }

  @Test
  void modelTrainedOnAllDataIsRefused() {
    ProtocolSplit split =
        Protocols.split(Protocol.RANDOM_SPLIT, DATA, ProtocolOptions.defaults().withSeed(9));
    Interactions all = InteractionSets.union(DATA.train(), DATA.test());
    TestLeakageException e =
        assertThrows(
            TestLeakageException.class,
            () ->
                LeakageCheck.checkFingerprint(
                    DataFingerprint.of(all, DATA.users(), DATA.items()), split));
    assertTrue(
        e.getMessage()
            .startsWith("model was trained on data that includes this protocol's test part"),
        e.getMessage());
    assertTrue(e.getMessage().contains("--split-seed 9"), e.getMessage());
    // the direct check: the model's stored training interactions contain every test pair
    FactorModel model =
        EvalFixtures.model(1, new float[DATA.numUsers()], new float[DATA.numItems()], all);
    assertEquals(split.test().size(), LeakageCheck.overlap(all, split));
    TestLeakageException direct =
        assertThrows(
            TestLeakageException.class,
            () -> Evaluator.evaluate(model, split, EvalOptions.defaults()));
    assertTrue(
        direct
            .getMessage()
            .contains(split.test().size() + " of its " + split.test().size() + " pairs"),
        direct.getMessage());
  }

  @Test
  void modelTrainedOnAnotherSeedsSplitDoesNotMatch() {
    ProtocolSplit split =
        Protocols.split(Protocol.RANDOM_SPLIT, DATA, ProtocolOptions.defaults().withSeed(9));
    ProtocolSplit other =
        Protocols.split(Protocol.RANDOM_SPLIT, DATA, ProtocolOptions.defaults().withSeed(10));
    TestLeakageException e =
        assertThrows(
            TestLeakageException.class,
            () -> LeakageCheck.checkFingerprint(other.trainFingerprint(), split));
    assertTrue(
        e.getMessage()
            .startsWith(
                "model's training data does not match protocol random-split (seed 9)'s training part"),
        e.getMessage());
    assertThrows(TestLeakageException.class, () -> LeakageCheck.checkFingerprint(null, split));
  }

  @Test
  void pumsLeakageIsFoundThroughTheTransposedTestPart() {
    ProtocolSplit split =
        Protocols.split(Protocol.PUMS, DATA, ProtocolOptions.defaults().withMinUsersPerItem(10));
    Interactions all = InteractionSets.union(DATA.train(), DATA.test());
    assertEquals(split.test().size(), LeakageCheck.overlap(all, split));
    assertEquals(0, LeakageCheck.overlap(split.train(), split));
  }
}
