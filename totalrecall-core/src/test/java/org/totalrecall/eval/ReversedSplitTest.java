package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
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
    int users = 40;
    int items = 25;
    int dim = 4;
    EvalFixtures.RandomCase c = EvalFixtures.randomCase(11, users, items, dim, 10);
    ProtocolSplit split = c.split();
    FactorModel model = c.model();
    Interactions tr = c.train();
    Interactions te = c.test();
    float[] u = c.users();
    float[] v = c.items();
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
