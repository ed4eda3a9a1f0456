package org.totalrecall.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.totalrecall.model.Scorer;

class TrainConfigTest {
  @Test
  void defaultsAreThePaperAndPeerRecipeWithLinearDecay() {
    TrainConfig c = TrainConfig.defaults();
    assertEquals(64, c.dim());
    assertEquals(512, c.batchSize());
    assertEquals(0.125f, c.temperature());
    assertEquals(0.003f, c.learningRate());
    assertEquals(LearningRateSchedule.Decay.LINEAR, c.learningRateDecay());
    assertEquals(0.1f, c.initStd());
    assertEquals(ObjectiveKind.BI_INFONCE, c.objective());
    assertEquals(OptimizerKind.ADAM, c.optimizer());
    assertEquals(Scorer.Kind.COSINE, c.scorer());
    assertTrue(c.logQCorrection());
    assertEquals(0, c.extraNegatives());
    assertEquals(Scorer.cosine(0.125f), c.toScorer());
  }

  @Test
  void invalidFieldsAreRejectedByName() {
    TrainConfig c = TrainConfig.defaults();
    assertMessage("dim", () -> c.withDim(0));
    assertMessage("learningRate", () -> c.withLearningRate(Float.NaN));
    assertMessage("temperature", () -> c.withTemperature(-1f));
    assertMessage("l2", () -> c.withL2(-0.1f));
    assertMessage("beta2", () -> c.withBeta2(1f));
    assertMessage("threads", () -> c.withThreads(0));
    assertMessage("patience", () -> c.withPatience(-1));
    assertMessage("evalEveryRecords", () -> c.withEvalEveryRecords(-5));
    assertMessage("extraNegatives", () -> c.withExtraNegatives(-1));
    assertMessage("extraNegatives", () -> c.withExtraNegatives(46_340 - 511));
    assertMessage("logQWeight", () -> c.withLogQWeight(-0.5f));
    assertMessage("logQWeight", () -> c.withLogQWeight(Float.NaN));
    assertMessage("logQWeight", () -> c.withLogQWeight(11f));
  }

  private static void assertMessage(String field, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
    assertTrue(ex.getMessage().startsWith(field + " "), ex.getMessage());
  }

  @Test
  void objectiveKindsParseTheirCliNames() {
    assertEquals(ObjectiveKind.BI_INFONCE, ObjectiveKind.parse("bi-infonce"));
    assertEquals(ObjectiveKind.INFONCE_U2I, ObjectiveKind.parse("infonce-u2i"));
    assertEquals(ObjectiveKind.INFONCE_I2U, ObjectiveKind.parse("INFONCE_I2U"));
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ObjectiveKind.parse("bpr"));
    assertTrue(ex.getMessage().contains("\"bpr\""), ex.getMessage());
  }

  @Test
  void toMapNamesEnumsByCliName() {
    var m = TrainConfig.defaults().withOptimizer(OptimizerKind.SGD).toMap();
    assertEquals("bi-infonce", m.get("objective"));
    assertEquals("sgd", m.get("optimizer"));
    assertEquals("cosine", m.get("scorer"));
    assertEquals(0, m.get("extraNegatives"));
    assertEquals((double) TrainConfig.defaults().logQWeight(), m.get("logQWeight"));
  }
}
