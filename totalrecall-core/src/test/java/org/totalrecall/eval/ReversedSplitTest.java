package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.model.FactorModel;
import org.totalrecall.model.Scorer;

/**
 * {@link ProtocolSplit#reversed()}: the held-out pairs queried the other way give exactly the
 * metrics of the transposed problem (users and items swapped in the data and the model), and a
 * hand-computed case.
 */
class ReversedSplitTest {
  @Test
  void reversedEqualsTheTransposedProblem() {
    SplittableRandom rnd = new SplittableRandom(11);
    int users = 40;
    int items = 25;
    int dim = 4;
    List<int[]> train = new ArrayList<>();
    List<int[]> test = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      for (int i = 0; i < items; i++) {
        int r = rnd.nextInt(10);
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
    ProtocolSplit reversed = split.reversed();
    assertEquals(Direction.I2U, reversed.direction());
    EvaluationResult r = Evaluator.evaluate(model, reversed, EvalOptions.defaults());

    FactorModel swapped =
        new FactorModel(
            new EmbeddingTable(items, dim, v.clone()),
            new EmbeddingTable(users, dim, u.clone()),
            null,
            null,
            Scorer.dot(),
            null,
            tr.transpose());
    ProtocolSplit transposed =
        new ProtocolSplit(
            Protocol.FULL,
            "test",
            ProtocolOptions.defaults(),
            IdIndex.identity(items),
            IdIndex.identity(users),
            tr.transpose(),
            te.transpose(),
            null,
            null,
            null,
            null);
    EvaluationResult t = Evaluator.evaluate(swapped, transposed, EvalOptions.defaults());
    assertEquals(t.queries(), r.queries());
    for (Map.Entry<String, Double> e : t.metrics().entrySet()) {
      assertEquals(e.getValue(), r.metrics().get(e.getKey()), 1e-12, e.getKey());
    }
    assertEquals("i2u", r.direction());
    ProtocolSplit back = reversed.reversed();
    assertEquals(
        Evaluator.evaluate(model, split, EvalOptions.defaults()).metrics(),
        Evaluator.evaluate(model, back, EvalOptions.defaults()).metrics());
  }

  @Test
  void anItemRanksItsHeldOutUsersAmongTheOthers() {
    // 4 users, 1 item; user scores for the item = user vector (dim 1, item vector 1): [0.9, 0.2,
    // 0.5, 0.7]
    // train: user 0 has the item (excluded); test: user 2. Candidates 1, 2, 3 → user 2 (0.5) ranks
    // 2nd.
    FactorModel m =
        EvalFixtures.model(
            1,
            new float[] {0.9f, 0.2f, 0.5f, 0.7f},
            new float[] {1f},
            EvalFixtures.pairs(4, 1, new int[][] {{0, 0}}));
    Interactions tr = EvalFixtures.pairs(4, 1, new int[][] {{0, 0}});
    Interactions te = EvalFixtures.pairs(4, 1, new int[][] {{2, 0}});
    ProtocolSplit split =
        Protocols.split(
            Protocol.FULL,
            EvalFixtures.dataset(tr, te, null, DataFormat.LIGHTGCN),
            ProtocolOptions.defaults());
    EvaluationResult r = Evaluator.evaluate(m, split.reversed(), EvalOptions.defaults());
    assertEquals(1, r.queries());
    assertEquals(3.0, r.meanCandidates(), 1e-12);
    assertEquals(0.0, r.metric("recall@1"));
    assertEquals(1.0, r.metric("hr@5"));
    assertEquals(0.5, r.metric("mrr@5"), 1e-12);
    assertEquals(1.0 / (Math.log(3) / Math.log(2)), r.metric("ndcg@5"), 1e-12);
  }

  @Test
  void pumsGroupHasNoReverse() {
    ProtocolSplit groups =
        new ProtocolSplit(
            Protocol.PUMS_GROUP,
            "test",
            ProtocolOptions.defaults(),
            IdIndex.identity(2),
            IdIndex.identity(2),
            EvalFixtures.pairs(2, 2, new int[][] {{0, 0}}),
            EvalFixtures.pairs(2, 2, new int[][] {{1, 1}}),
            null,
            List.of(),
            null,
            null);
    assertThrows(IllegalStateException.class, groups::reversed);
  }
}
