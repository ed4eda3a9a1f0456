package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;

/**
 * {@link Evaluator#evaluatePart} and {@link Evaluator#combine}: an evaluation cut into parts, the
 * parts merged in any order (also after Java serialization, as Spark ships them), gives the single
 * evaluation's metrics: the same counts and distinct sets, sums equal up to their order.
 */
class EvaluatorPartsTest {
  @Test
  void partsCombineToTheWholeEvaluation() throws Exception {
    SplittableRandom rnd = new SplittableRandom(4);
    int users = 60;
    int items = 40;
    int dim = 5;
    List<int[]> train = new ArrayList<>();
    List<int[]> test = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < items; i++) {
        int r = rnd.nextInt(8);
        if (r < 2) {
          train.add(new int[] {u, i});
        } else if (r == 2) {
          test.add(new int[] {u, i});
        }
      }
    }
    Interactions tr = EvalFixtures.pairs(users, items, train.toArray(new int[0][]));
    Interactions te = EvalFixtures.pairs(users, items, test.toArray(new int[0][]));
    ProtocolSplit split =
        Protocols.split(
            Protocol.FULL,
            EvalFixtures.dataset(tr, te, null, DataFormat.LIGHTGCN),
            ProtocolOptions.defaults());
    float[] u = new float[users * dim];
    float[] v = new float[items * dim];
    for (int k = 0; k < u.length; k++) {
      u[k] = (float) rnd.nextGaussian();
    }
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) rnd.nextGaussian();
    }
    FactorModel model = EvalFixtures.model(dim, u, v, tr);
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
