package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.totalrecall.model.FactorModel;

/**
 * {@link Evaluator#evaluatePart} and {@link Evaluator#combine}: an evaluation cut into parts, the
 * parts merged in any order (also after Java serialization, as Spark ships them), gives the single
 * evaluation's metrics: the same counts and distinct sets, sums equal up to their order.
 */
class EvaluatorPartsTest {
  @Test
  void partsCombineToTheWholeEvaluation() throws Exception {
    EvalFixtures.RandomCase c = EvalFixtures.randomCase(4, 60, 40, 5, 8);
    ProtocolSplit split = c.split();
    FactorModel model = c.model();
    for (ProtocolSplit s : List.of(split, split.reversed())) {
      EvaluationResult whole = Evaluator.evaluate(model, s, EvalOptions.defaults());
      List<Evaluator.Part> parts = new ArrayList<>();
      for (int p = 0; p < 7; p++) {
        parts.add(roundTrip(Evaluator.evaluatePart(model, s, EvalOptions.defaults(), p, 7)));
      }
      Collections.reverse(parts);
      EvaluationResult combined = Evaluator.combine(s, parts);
      assertEquals(whole.queries(), combined.queries());
      assertEquals(whole.meanCandidates(), combined.meanCandidates(), 1e-9);
      assertEquals(whole.direction(), combined.direction());
      for (Map.Entry<String, Double> e : whole.metrics().entrySet()) {
        assertEquals(e.getValue(), combined.metrics().get(e.getKey()), 1e-12, e.getKey());
      }
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> Evaluator.evaluatePart(model, split, EvalOptions.defaults(), 3, 3));
  }

  private static Evaluator.Part roundTrip(Evaluator.Part p) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(p);
    }
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      return (Evaluator.Part) in.readObject();
    }
  }
}
