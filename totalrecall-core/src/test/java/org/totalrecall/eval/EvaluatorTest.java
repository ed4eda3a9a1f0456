package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.ItemCategories;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Aggregation;

class EvaluatorTest {
  private static final double EPS = 1e-9;
  private static final double LOG2_3 = Math.log(3) / Math.log(2);

  @Test
  void fullRankingOfAHandBuiltModel() {
    // One user; item scores φ = [0.9, 0.5, 0.7, 0.5, 0.1, 0.3]; train {0}; test {1, 3} (both 0.5).
    float[] itemScores = {0.9f, 0.5f, 0.7f, 0.5f, 0.1f, 0.3f};
    Interactions train = EvalFixtures.pairs(1, 6, new int[][] {{0, 0}});
    Interactions test = EvalFixtures.pairs(1, 6, new int[][] {{0, 1}, {0, 3}});
    ProtocolSplit split =
        Protocols.split(
            Protocol.FULL,
            EvalFixtures.dataset(train, test, null, DataFormat.LIGHTGCN),
            ProtocolOptions.defaults());
    EvaluationResult r =
        Evaluator.evaluate(
            EvalFixtures.itemScoreModel(1, itemScores), split, EvalOptions.defaults());
    // Candidates: items 1..5 (item 0 excluded). Item 1: competitors >= 0.5 are item 2 (0.7) and
    // item 3 (0.5) → rank 3;
    // item 3 likewise rank 3.
    assertEquals(5.0, r.meanCandidates(), EPS);
    assertEquals(0.0, r.metric("hr@1"));
    assertEquals(1.0, r.metric("hr@5"));
    assertEquals(0.0, r.metric("recall@1"));
    assertEquals(1.0, r.metric("recall@5"));
    assertEquals(2.0 / 5, r.metric("precision@5"), EPS);
    // NDCG@5 = (2 / log2(4)) / (1 + 1/log2(3)) = 1 / 1.6309...
    assertEquals(1.0 / (1 + 1 / LOG2_3), r.metric("ndcg@5"), EPS);
    // AP@5 = (P@3 + P@3) / 2 = (2/3 + 2/3) / 2
    assertEquals(2.0 / 3, r.metric("map@5"), EPS);
    assertEquals(1.0 / 3, r.metric("mrr@5"), EPS);
    // AUC: irrelevant {0.7, 0.1, 0.3}; each relevant beats 0.1 and 0.3 → 4 of 6 pairs
    assertEquals(2.0 / 3, r.metric("auc"), EPS);
    // top-5 = [2, 1, 3, 5, 4]: top-1 holds item 2 only
    assertEquals(1.0, r.metric("distinct@1"));
    assertEquals(5.0, r.metric("distinct@5"));
    assertEquals(5.0 / 6, r.metric("coverage@5"), EPS);
    assertEquals(1, r.queries());
    assertEquals("full", r.variant());
  }

  @Test
  void ncfDuplicatedNegativeAndPositiveAmongNegativesCompeteOnce() {
    // User 0: train {0}, test {1}; listed negatives [2, 2, 1, 3]: 2 twice and the positive itself.
    // φ = [9, 0.5, 0.5, 0.2]. Distinct candidates {1, 2, 3}: item 2 ties the positive → rank 2.
    // Counting the list as given would give rank 4 (2, 2 again, and the positive against itself).
    Interactions train = EvalFixtures.pairs(1, 4, new int[][] {{0, 0}});
    Interactions test = EvalFixtures.pairs(1, 4, new int[][] {{0, 1}});
    Dataset data = EvalFixtures.dataset(train, test, new int[][] {{2, 2, 1, 3}}, DataFormat.NCF);
    ProtocolSplit split = Protocols.split(Protocol.NCF, data, ProtocolOptions.defaults());
    assertTrue(split.hasSampledCandidates());
    assertEquals(3, split.numCandidates(0));
    EvaluationResult r =
        Evaluator.evaluate(
            EvalFixtures.itemScoreModel(1, new float[] {9f, 0.5f, 0.5f, 0.2f}),
            split,
            EvalOptions.defaults().withCutoffs(List.of(1, 10)));
    assertEquals("sampled", r.variant());
    assertEquals(3.0, r.meanCandidates(), EPS);
    assertEquals(0.5, r.metric("mrr@10"), EPS); // 1 / rank 2
    assertEquals(1 / LOG2_3, r.metric("ndcg@10"), EPS); // 1 / log2(2 + 1)
    assertEquals(0.0, r.metric("hr@1"));
    assertEquals(0.75, r.metric("auc"), EPS); // vs item 2: tie 1/2; vs item 3: 1 → 1.5 / 2
  }

  @Test
  void ncfFullVariantRanksEveryItemOutsideTrain() {
    Interactions train = EvalFixtures.pairs(1, 4, new int[][] {{0, 0}});
    Interactions test = EvalFixtures.pairs(1, 4, new int[][] {{0, 3}});
    Dataset data = EvalFixtures.dataset(train, test, new int[][] {{2}}, DataFormat.NCF);
    ProtocolSplit split = Protocols.split(Protocol.NCF, data, ProtocolOptions.defaults());
    FactorModel model = EvalFixtures.itemScoreModel(1, new float[] {9f, 0.5f, 0.6f, 0.55f});
    List<EvaluationResult> both = Evaluator.evaluateAll(model, split, EvalOptions.defaults());
    assertEquals(2, both.size());
    // sampled: candidates {2, 3}: item 2 (0.6) beats item 3 (0.55) → rank 2
    assertEquals(0.5, both.get(0).metric("mrr@5"), EPS);
    // full: candidates {1, 2, 3}: same rank 2 (item 1 at 0.5 is below), 3 candidates
    assertEquals("full", both.get(1).variant());
    assertEquals(0.5, both.get(1).metric("mrr@5"), EPS);
    assertEquals(3.0, both.get(1).meanCandidates(), EPS);
  }

  @Test
  void allEqualScoresModelIsBad() {
    int numItems = 50;
    Interactions train = EvalFixtures.pairs(2, numItems, new int[][] {{0, 0}, {1, 1}});
    Interactions test = EvalFixtures.pairs(2, numItems, new int[][] {{0, 7}, {1, 30}});
    ProtocolSplit split =
        Protocols.split(
            Protocol.FULL,
            EvalFixtures.dataset(train, test, null, DataFormat.LIGHTGCN),
            ProtocolOptions.defaults());
    float[] flat = new float[numItems];
    Arrays.fill(flat, 1f);
    EvaluationResult r =
        Evaluator.evaluate(EvalFixtures.itemScoreModel(2, flat), split, EvalOptions.defaults());
    // 49 candidates all tied: rank 49 for each user
    assertEquals(0.0, r.metric("hr@20"));
    assertEquals(0.0, r.metric("ndcg@20"));
    assertEquals(1.0, r.metric("hr@50"));
    assertEquals(1.0 / 49, r.metric("mrr@50"), EPS);
    assertEquals(0.5, r.metric("auc"), EPS);
  }

  @Test
  void i2uRanksUsersForATestItem() {
    // 3 users with φ(u, i) = userScore[u]; item 0's held-out user is 2; user 0 has item 0 in train.
    Interactions train = EvalFixtures.pairs(3, 2, new int[][] {{0, 0}, {1, 1}, {2, 1}});
    Interactions testByItem = EvalFixtures.pairs(2, 3, new int[][] {{0, 2}});
    IdIndex users = IdIndex.identity(3);
    IdIndex items = IdIndex.identity(2);
    ProtocolSplit split =
        new ProtocolSplit(
            Protocol.PUMS,
            "test",
            ProtocolOptions.defaults(),
            users,
            items,
            train,
            testByItem,
            null,
            null,
            null,
            null);
    FactorModel model = EvalFixtures.model(1, new float[] {5f, 3f, 1f}, new float[] {1f, 1f}, null);
    EvaluationResult r =
        Evaluator.evaluate(model, split, EvalOptions.defaults().withCutoffs(List.of(2, 5)));
    // candidates for item 0: users 1 (3) and 2 (1); user 0 excluded → rank 2
    assertEquals("i2u", r.direction());
    assertEquals(2.0, r.meanCandidates(), EPS);
    assertEquals(0.5, r.metric("mrr@5"), EPS);
    assertEquals(0.5, r.metric("precision@2"), EPS);
    assertEquals(0.0, r.metric("auc"), EPS);
  }

  @Test
  void groupScoresAggregateExpPhiOverTheItemsEachUserHasNotSeen() {
    // dim 2; items 0 = (1, 0), 1 = (0, 1), 2 = (0, 0); group G = {0, 1} (PROTOCOLS.md, clarified).
    // user 0 = (2.6, 2.6): train item 0 (in G) → item 0 leaves its score, not the user: φ over {1}
    // = 2.6;
    //   held-out item 1 → the potential user.
    // user 1 = (2, 2): φ over G = (2, 2): mean 2, max 2, sum 2 + log 2 ≈ 2.693.
    // user 2 = (2.5, -5): mean log((e^2.5 + e^-5) / 2) ≈ 1.807, max 2.5, sum ≈ 2.5006.
    // MEAN: user 0 first. MAX: user 0 first. SUM: user 1 (2.693) before user 0 (2.6): sum and mean
    // differ.
    Interactions train = EvalFixtures.pairs(3, 3, new int[][] {{0, 0}, {1, 2}, {2, 2}});
    Interactions heldByItem = EvalFixtures.pairs(3, 3, new int[][] {{1, 0}});
    ProtocolSplit split =
        new ProtocolSplit(
            Protocol.PUMS_GROUP,
            "test",
            ProtocolOptions.defaults(),
            IdIndex.identity(3),
            IdIndex.identity(3),
            train,
            heldByItem,
            null,
            List.of(new ItemGroup("g", new int[] {0, 1})),
            null,
            null);
    FactorModel model =
        EvalFixtures.model(
            2,
            new float[] {2.6f, 2.6f, 2f, 2f, 2.5f, -5f},
            new float[] {1f, 0f, 0f, 1f, 0f, 0f},
            null);
    EvalOptions opts = EvalOptions.defaults().withCutoffs(List.of(1, 2));
    EvaluationResult mean =
        Evaluator.evaluate(model, split, opts.withAggregation(Aggregation.MEAN));
    EvaluationResult max = Evaluator.evaluate(model, split, opts.withAggregation(Aggregation.MAX));
    EvaluationResult sum = Evaluator.evaluate(model, split, opts.withAggregation(Aggregation.SUM));
    assertEquals(3.0, mean.meanCandidates(), EPS, "every user has an item of G left");
    assertEquals(1.0, mean.metric("hr@1"));
    assertEquals(1.0, max.metric("hr@1"));
    assertEquals(0.0, sum.metric("hr@1"));
    assertEquals(1.0, sum.metric("hr@2"));
    assertEquals(1, mean.queries());
    // a user with every item of G in training is no candidate
    Interactions all = EvalFixtures.pairs(3, 3, new int[][] {{0, 0}, {0, 1}, {1, 2}, {2, 2}});
    Interactions held2 = EvalFixtures.pairs(3, 3, new int[][] {{1, 1}});
    ProtocolSplit split2 =
        new ProtocolSplit(
            Protocol.PUMS_GROUP,
            "test",
            ProtocolOptions.defaults(),
            IdIndex.identity(3),
            IdIndex.identity(3),
            all,
            held2,
            null,
            List.of(new ItemGroup("g", new int[] {0, 1})),
            null,
            null);
    assertEquals(2.0, Evaluator.evaluate(model, split2, opts).meanCandidates(), EPS);
  }

  @Test
  void matchesBruteForcePessimisticRanksWithManyTies() {
    SyntheticData.Spec spec = new SyntheticData.Spec(60, 40, 4, 6, 0.8, 5L);
    Dataset data = SyntheticData.generate(spec);
    ProtocolSplit split =
        Protocols.split(Protocol.RANDOM_SPLIT, data, ProtocolOptions.defaults().withSeed(3));
    // Coarsely quantised vectors make many exact score ties.
    SplittableRandom rng = new SplittableRandom(11);
    int dim = 2;
    float[] u = new float[data.numUsers() * dim];
    float[] v = new float[data.numItems() * dim];
    for (int k = 0; k < u.length; k++) {
      u[k] = rng.nextInt(3) - 1;
    }
    for (int k = 0; k < v.length; k++) {
      v[k] = rng.nextInt(3) - 1;
    }
    FactorModel model = EvalFixtures.model(dim, u, v, null);
    EvaluationResult r =
        Evaluator.evaluate(model, split, EvalOptions.defaults().withCutoffs(List.of(5, 10)));

    Interactions train = split.train();
    Interactions test = split.test();
    double ndcg = 0;
    double recall = 0;
    double auc = 0;
    int queries = 0;
    for (int user = 0; user < data.numUsers(); user++) {
      if (test.rowLength(user) == 0) {
        continue;
      }
      float[] s = new float[data.numItems()];
      boolean[] rel = new boolean[data.numItems()];
      int len = 0;
      int[] relPos = new int[test.rowLength(user)];
      int m = 0;
      for (int i = 0; i < data.numItems(); i++) {
        if (train.contains(user, i)) {
          continue;
        }
        s[len] = model.score(user, i);
        if (test.contains(user, i)) {
          rel[len] = true;
          relPos[m++] = len;
        }
        len++;
      }
      int[] ranks = new int[m];
      for (int j = 0; j < m; j++) {
        ranks[j] = RankingMetrics.pessimisticRank(s, 0, len, relPos[j]);
      }
      Arrays.sort(ranks);
      ndcg += RankingMetrics.ndcg(ranks, 0, m, 10);
      recall += RankingMetrics.recall(ranks, 0, m, 5);
      auc += RankingMetrics.auc(s, rel, len);
      queries++;
    }
    assertEquals(queries, r.queries());
    assertEquals(ndcg / queries, r.metric("ndcg@10"), 1e-12);
    assertEquals(recall / queries, r.metric("recall@5"), 1e-12);
    assertEquals(auc / queries, r.metric("auc"), 1e-12);
  }

  @Test
  void groupEvaluationMatchesBruteForceWithCosineTemperature(@TempDir Path tmp) throws IOException {
    Dataset data =
        EvalFixtures.withIdentityIds(
            SyntheticData.generate(new SyntheticData.Spec(150, 90, 3, 10, 0.8, 17L)));
    String[] genres = new String[data.numItems()];
    for (int i = 0; i < genres.length; i++) {
      genres[i] = i % 2 == 0 ? "even" : "even|odd";
    }
    ItemCategories cats = EvalFixtures.categories(tmp, data.items(), genres);
    ProtocolSplit split =
        Protocols.split(
            Protocol.PUMS_GROUP,
            data,
            ProtocolOptions.defaults()
                .withMinUsersPerItem(15)
                .withHeldOutFraction(0.2)
                .withGroupFraction(0.3),
            cats);
    SplittableRandom rng = new SplittableRandom(8);
    int dim = 4;
    FactorModel model =
        new FactorModel(
            new org.totalrecall.linalg.EmbeddingTable(
                data.numUsers(),
                dim,
                org.totalrecall.testkit.Fixtures.randomFloats(rng, data.numUsers() * dim)),
            new org.totalrecall.linalg.EmbeddingTable(
                data.numItems(),
                dim,
                org.totalrecall.testkit.Fixtures.randomFloats(rng, data.numItems() * dim)),
            null,
            null,
            org.totalrecall.model.Scorer.cosine(0.2f),
            null,
            null);
    EvalOptions opts =
        EvalOptions.defaults().withCutoffs(List.of(10)).withAggregation(Aggregation.MEAN);
    EvaluationResult one = Evaluator.evaluate(model, split, opts);
    EvaluationResult three = Evaluator.evaluate(model, split, opts.withThreads(3));
    assertEquals(one.metrics(), three.metrics());

    // Brute force: score(u, G) = log mean over the items of G u has not seen in train of exp φ(u,
    // i), φ with
    // 1/τ; candidates = users with an item of G left; relevant = users with a held-out interaction
    // in G.
    Interactions heldPairs = split.testPairs();
    double recall = 0;
    int queries = 0;
    for (ItemGroup g : split.groups()) {
      float[] s = new float[data.numUsers()];
      int len = 0;
      int[] relPos = new int[data.numUsers()];
      int m = 0;
      for (int u = 0; u < data.numUsers(); u++) {
        int left = 0;
        boolean held = false;
        double sum = 0;
        for (int k = 0; k < g.size(); k++) {
          held |= heldPairs.contains(u, g.item(k));
          if (!split.train().contains(u, g.item(k))) {
            sum += Math.exp(model.score(u, g.item(k)));
            left++;
          }
        }
        if (left == 0) {
          continue; // every item of G seen: no candidate
        }
        s[len] = (float) Math.log(sum / left);
        if (held) {
          relPos[m++] = len;
        }
        len++;
      }
      if (m == 0) {
        continue;
      }
      int[] ranks = new int[m];
      for (int j = 0; j < m; j++) {
        ranks[j] = RankingMetrics.pessimisticRank(s, 0, len, relPos[j]);
      }
      Arrays.sort(ranks);
      recall += RankingMetrics.recall(ranks, 0, m, 10);
      queries++;
    }
    assertTrue(queries >= 2, "fixture must give groups with potential users, got " + queries);
    assertEquals(queries, one.queries());
    assertEquals(recall / queries, one.metric("recall@10"), 1e-12);
  }

  /**
   * evaluate (pums-group) and audience (Recommender.recommendUsersForItems) rank a group
   * identically.
   */
  @Test
  void groupEvaluationRanksAsTheGroupAudienceDoes(@TempDir Path tmp) throws IOException {
    Dataset data =
        EvalFixtures.withIdentityIds(
            SyntheticData.generate(new SyntheticData.Spec(150, 90, 3, 10, 0.8, 17L)));
    String[] genres = new String[data.numItems()];
    for (int i = 0; i < genres.length; i++) {
      genres[i] = i % 3 == 0 ? "a" : "a|b";
    }
    ItemCategories cats = EvalFixtures.categories(tmp, data.items(), genres);
    ProtocolSplit split =
        Protocols.split(
            Protocol.PUMS_GROUP,
            data,
            ProtocolOptions.defaults()
                .withMinUsersPerItem(15)
                .withHeldOutFraction(0.2)
                .withGroupFraction(0.3),
            cats);
    SplittableRandom rng = new SplittableRandom(21);
    int dim = 6;
    for (Aggregation agg : Aggregation.values()) {
      FactorModel model =
          new FactorModel(
              new org.totalrecall.linalg.EmbeddingTable(
                  data.numUsers(),
                  dim,
                  org.totalrecall.testkit.Fixtures.randomFloats(rng, data.numUsers() * dim)),
              new org.totalrecall.linalg.EmbeddingTable(
                  data.numItems(),
                  dim,
                  org.totalrecall.testkit.Fixtures.randomFloats(rng, data.numItems() * dim)),
              data.users(),
              data.items(),
              org.totalrecall.model.Scorer.cosine(0.3f),
              null,
              split.train());
      EvaluationResult r =
          Evaluator.evaluate(
              model,
              split,
              EvalOptions.defaults().withCutoffs(List.of(5, 10)).withAggregation(agg));
      org.totalrecall.retrieval.Recommender rec =
          new org.totalrecall.retrieval.Recommender(model, 2);
      Interactions held = split.testPairs();
      double recall = 0;
      double ndcg = 0;
      int queries = 0;
      for (ItemGroup g : split.groups()) {
        int[] items = new int[g.size()];
        for (int k = 0; k < items.length; k++) {
          items[k] = g.item(k);
        }
        org.totalrecall.retrieval.Neighbors top = rec.recommendUsersForItems(items, 10, agg, true);
        List<Integer> list = new java.util.ArrayList<>();
        for (int x : top.indices()) {
          list.add(x);
        }
        List<Integer> ranks = new java.util.ArrayList<>();
        for (int u = 0; u < data.numUsers(); u++) {
          boolean isHeld = false;
          for (int item : items) {
            isHeld |= held.contains(u, item);
          }
          if (isHeld) {
            int pos = list.indexOf(u);
            ranks.add(pos < 0 ? 11 : pos + 1);
          }
        }
        if (ranks.isEmpty()) {
          continue;
        }
        int[] rk = ranks.stream().mapToInt(Integer::intValue).sorted().toArray();
        recall += RankingMetrics.recall(rk, 0, rk.length, 10);
        ndcg += RankingMetrics.ndcg(rk, 0, rk.length, 10);
        queries++;
      }
      assertTrue(queries >= 2, "fixture must give groups with potential users, got " + queries);
      assertEquals(recall / queries, r.metric("recall@10"), 1e-12, agg.name());
      assertEquals(ndcg / queries, r.metric("ndcg@10"), 1e-12, agg.name());
      // through an i2u retriever (an exact one behind the contract, so the index path is taken):
      // candidates are the union of the items' best users, scored exactly; close to the exact
      // figures
      org.totalrecall.retrieval.ExactRetriever exact =
          new org.totalrecall.retrieval.ExactRetriever(model.retrievalUsers(), 1);
      org.totalrecall.retrieval.Retriever delegate =
          new org.totalrecall.retrieval.Retriever() {
            @Override
            public org.totalrecall.linalg.EmbeddingTable candidates() {
              return exact.candidates();
            }

            @Override
            public int threads() {
              return 1;
            }

            @Override
            public String describe() {
              return "delegate";
            }

            @Override
            public org.totalrecall.retrieval.Neighbors search(
                float[] q, int off, int k, int[] ex, int a, int b) {
              return exact.search(q, off, k, ex, a, b);
            }

            @Override
            public void forEachTopK(
                org.totalrecall.linalg.EmbeddingTable qs,
                int from,
                int to,
                int k,
                Interactions ex,
                org.totalrecall.retrieval.TopKConsumer c) {
              exact.forEachTopK(qs, from, to, k, ex, c);
            }
          };
      EvaluationResult through =
          Evaluator.evaluate(
              model,
              split,
              EvalOptions.defaults().withCutoffs(List.of(5, 10)).withAggregation(agg),
              delegate);
      assertEquals(r.queries(), through.queries());
      assertEquals(
          r.metric("recall@10"),
          through.metric("recall@10"),
          0.05,
          agg.name() + " through the retriever");
      if (agg
          == Aggregation
              .MAX) { // max over items: the best user of the group is some item's best user
        assertEquals(r.metric("hr@5"), through.metric("hr@5"), 1e-12);
      }
    }
  }

  @Test
  void resultsAreIdenticalForAnyThreadCount() {
    Dataset data = SyntheticData.generate(new SyntheticData.Spec(300, 200, 5, 10, 0.9, 9L));
    ProtocolSplit split = Protocols.split(Protocol.FULL, data, ProtocolOptions.defaults());
    SplittableRandom rng = new SplittableRandom(4);
    int dim = 8;
    FactorModel model =
        EvalFixtures.model(
            dim,
            org.totalrecall.testkit.Fixtures.randomFloats(rng, data.numUsers() * dim),
            org.totalrecall.testkit.Fixtures.randomFloats(rng, data.numItems() * dim),
            null);
    EvaluationResult one = Evaluator.evaluate(model, split, EvalOptions.defaults().withThreads(1));
    EvaluationResult three =
        Evaluator.evaluate(model, split, EvalOptions.defaults().withThreads(3));
    assertEquals(one.metrics(), three.metrics());
    assertEquals(one.queries(), three.queries());
  }

  @Test
  void throughAnExactRetrieverEveryMetricAtNIsTheEvaluators() {
    Dataset data = SyntheticData.generate(new SyntheticData.Spec(300, 200, 5, 10, 0.9, 9L));
    SplittableRandom rng = new SplittableRandom(6);
    int dim = 8;
    FactorModel model =
        EvalFixtures.model(
            dim,
            org.totalrecall.testkit.Fixtures.randomFloats(rng, data.numUsers() * dim),
            org.totalrecall.testkit.Fixtures.randomFloats(rng, data.numItems() * dim),
            null);
    for (Protocol protocol : new Protocol[] {Protocol.FULL, Protocol.RANDOM_SPLIT}) {
      ProtocolSplit split = Protocols.split(protocol, data, ProtocolOptions.defaults());
      EvalOptions options = EvalOptions.defaults().withCutoffs(List.of(5, 20));
      EvaluationResult exact = Evaluator.evaluate(model, split, options);
      EvaluationResult through =
          Evaluator.evaluate(
              model,
              split,
              options,
              new org.totalrecall.retrieval.ExactRetriever(model.retrievalItems(), 2));
      assertEquals(exact.queries(), through.queries());
      for (var e : exact.metrics().entrySet()) {
        if (e.getKey().equals("auc")) {
          assertTrue(!through.metrics().containsKey("auc"), "auc needs every rank");
          continue;
        }
        assertEquals(
            e.getValue(), through.metrics().get(e.getKey()), 1e-12, protocol + " " + e.getKey());
      }
    }
    // a retriever that finds nothing: every relevant item is ranked beyond the cut-off
    ProtocolSplit split = Protocols.split(Protocol.FULL, data, ProtocolOptions.defaults());
    EvaluationResult none =
        Evaluator.evaluate(
            model,
            split,
            EvalOptions.defaults(),
            new org.totalrecall.retrieval.Retriever() {
              final org.totalrecall.retrieval.ExactRetriever inner =
                  new org.totalrecall.retrieval.ExactRetriever(model.retrievalItems(), 1);

              @Override
              public org.totalrecall.linalg.EmbeddingTable candidates() {
                return inner.candidates();
              }

              @Override
              public int threads() {
                return 1;
              }

              @Override
              public String describe() {
                return "nothing";
              }

              @Override
              public org.totalrecall.retrieval.Neighbors search(
                  float[] q, int off, int k, int[] ex, int a, int b) {
                return new org.totalrecall.retrieval.Neighbors(new int[0], new float[0]);
              }

              @Override
              public void forEachTopK(
                  org.totalrecall.linalg.EmbeddingTable queries,
                  int from,
                  int to,
                  int k,
                  Interactions exclude,
                  org.totalrecall.retrieval.TopKConsumer consumer) {
                for (int q = from; q < to; q++) {
                  consumer.accept(q, new int[0], new float[0], 0);
                }
              }
            });
    assertEquals(0.0, none.metric("recall@20"));
    assertEquals(0.0, none.metric("ndcg@10"));
  }

  @Test
  void maxQueriesEvaluatesAnEvenlySpacedSubset() {
    Dataset data = SyntheticData.generate(new SyntheticData.Spec(100, 100, 5, 10, 0.9, 9L));
    ProtocolSplit split = Protocols.split(Protocol.FULL, data, ProtocolOptions.defaults());
    FactorModel model = EvalFixtures.model(1, new float[100], new float[100], null);
    EvaluationResult r =
        Evaluator.evaluate(model, split, EvalOptions.defaults().withMaxQueries(10));
    assertEquals(10, r.queries());
    assertEquals(90, r.skippedQueries());
  }

  @Test
  void sampledVariantNeedsSampledCandidatesAndCategoriesNeedU2i() {
    Dataset data = SyntheticData.generate(new SyntheticData.Spec(20, 40, 2, 5, 0.9, 9L));
    ProtocolSplit split = Protocols.split(Protocol.FULL, data, ProtocolOptions.defaults());
    FactorModel model = EvalFixtures.model(1, new float[20], new float[40], null);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Evaluator.evaluate(
                model, split, EvalOptions.defaults().withVariant(EvalOptions.Variant.SAMPLED)));
    FactorModel wrongShape = EvalFixtures.model(1, new float[21], new float[40], null);
    assertThrows(
        IllegalArgumentException.class,
        () -> Evaluator.evaluate(wrongShape, split, EvalOptions.defaults()));
  }

  /**
   * Both rank passes (counting passes over the row, one histogram pass), forced and as chosen per
   * query, and the chunked top-list scan against a reference built from definitions: pessimistic
   * ranks by {@link RankingMetrics#pessimisticRank}, AUC pairs counted one by one, top lists from a
   * full sort (score descending, ties to the smaller index). Scores are quarter-integers, so every
   * product is exact, ties are everywhere, and the reference can score with {@link
   * FactorModel#score}. |R| ranges from 1 to 120; about 860 candidates per user span 14 scan
   * chunks, so the chunk-max lower bound of the top-list scan applies to top-10 lists (at least 10
   * chunks) and not to top-50 lists. Every metric must be equal, not just close.
   */
  @Test
  void fastRankPassMatchesDefinitionsOnTieHeavyScoresForAnyRelevantCount() {
    int numUsers = 44;
    int numItems = 1000;
    int[] relevantCounts = {1, 2, 3, 5, 8, 13, 32, 33, 60, 120, 0};
    SplittableRandom rng = new SplittableRandom(21);
    List<int[]> trainPairs = new java.util.ArrayList<>();
    List<int[]> testPairs = new java.util.ArrayList<>();
    for (int u = 0; u < numUsers; u++) {
      boolean[] used = new boolean[numItems];
      for (int k = 0; k < numItems / 7; k++) {
        int i = rng.nextInt(numItems);
        if (!used[i]) {
          used[i] = true;
          trainPairs.add(new int[] {u, i});
        }
      }
      int want = relevantCounts[u % relevantCounts.length];
      while (want > 0) {
        int i = rng.nextInt(numItems);
        if (!used[i]) {
          used[i] = true;
          testPairs.add(new int[] {u, i});
          want--;
        }
      }
    }
    Interactions train = EvalFixtures.pairs(numUsers, numItems, trainPairs.toArray(new int[0][]));
    Interactions test = EvalFixtures.pairs(numUsers, numItems, testPairs.toArray(new int[0][]));
    ProtocolSplit split =
        Protocols.split(
            Protocol.FULL,
            EvalFixtures.dataset(train, test, null, DataFormat.LIGHTGCN),
            ProtocolOptions.defaults());
    for (int levels : new int[] {1, 4}) { // entries in {-1, 0, 1}, then in {-1, -3/4, ..., 1}
      int dim = 3;
      float[] u = new float[numUsers * dim];
      float[] v = new float[numItems * dim];
      for (float[] x : new float[][] {u, v}) {
        for (int k = 0; k < x.length; k++) {
          x[k] = (rng.nextInt(2 * levels + 1) - levels) / (float) levels;
        }
      }
      FactorModel model = EvalFixtures.model(dim, u, v, null);
      EvalOptions[] options = {
        EvalOptions.defaults(), EvalOptions.defaults().withCutoffs(List.of(1, 3, 10))
      };
      MetricAccumulator[] reference = new MetricAccumulator[options.length];
      for (int o = 0; o < options.length; o++) {
        reference[o] =
            new MetricAccumulator(options[o].cutoffArray(), numItems, train.colCounts(), null);
      }
      for (int user = 0; user < numUsers; user++) {
        float[] row = new float[numItems];
        for (int i = 0; i < numItems; i++) {
          row[i] = model.score(user, i);
        }
        addReferenceQuery(reference, row, train, test, user);
      }
      for (int o = 0; o < options.length; o++) {
        for (Evaluator.RankPass pass : Evaluator.RankPass.values()) {
          for (int threads : new int[] {1, 3}) {
            EvaluationResult r =
                Evaluator.evaluate(model, split, options[o].withThreads(threads), pass);
            assertEquals(reference[o].queries(), r.queries());
            assertEquals(
                reference[o].metrics(),
                r.metrics(),
                pass
                    + ", levels "
                    + levels
                    + ", threads "
                    + threads
                    + ", cutoffs "
                    + options[o].cutoffs());
          }
        }
      }
    }
  }

  @Test
  void aNaNScoreOfAnyCandidateIsAnErrorEvenAfterTheTopListIsFull() {
    int numUsers = 3;
    int numItems = 500;
    int[][] testPairs = {{0, 1}, {1, 2}, {2, 3}};
    Interactions train =
        EvalFixtures.pairs(numUsers, numItems, new int[][] {{0, 0}, {1, 0}, {2, 0}});
    Interactions test = EvalFixtures.pairs(numUsers, numItems, testPairs);
    ProtocolSplit split =
        Protocols.split(
            Protocol.FULL,
            EvalFixtures.dataset(train, test, null, DataFormat.LIGHTGCN),
            ProtocolOptions.defaults());
    float[] items = new float[numItems];
    for (int i = 0; i < numItems; i++) {
      items[i] = i % 17; // ties, and the top list is full long before the NaN
    }
    items[450] = Float.NaN;
    FactorModel model = EvalFixtures.itemScoreModel(numUsers, items);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> Evaluator.evaluate(model, split, EvalOptions.defaults()));
    assertTrue(e.getMessage().contains("candidate 450 NaN"), e.getMessage());
  }

  /**
   * Adds one query to each reference accumulator from its full score row (dense item index), by the
   * definitions: candidates = items outside the user's train row; pessimistic ranks by {@link
   * RankingMetrics#pessimisticRank}; AUC pairs one by one; the top list by a full sort (score
   * descending, ties to the smaller index). Users without test items are skipped.
   */
  private static void addReferenceQuery(
      MetricAccumulator[] reference, float[] row, Interactions train, Interactions test, int user) {
    int m = test.rowLength(user);
    if (m == 0) {
      return;
    }
    int numItems = row.length;
    float[] s = new float[numItems];
    int[] itemAt = new int[numItems];
    boolean[] rel = new boolean[numItems];
    int[] relPos = new int[m];
    int len = 0;
    int r = 0;
    for (int i = 0; i < numItems; i++) {
      if (train.contains(user, i)) {
        continue;
      }
      s[len] = row[i];
      itemAt[len] = i;
      if (test.contains(user, i)) {
        rel[len] = true;
        relPos[r++] = len;
      }
      len++;
    }
    int[] ranks = new int[m];
    for (int j = 0; j < m; j++) {
      ranks[j] = RankingMetrics.pessimisticRank(s, 0, len, relPos[j]);
    }
    Arrays.sort(ranks);
    long twice = 0;
    for (int a : relPos) {
      for (int b = 0; b < len; b++) {
        if (!rel[b]) {
          twice += s[b] < s[a] ? 2 : s[b] == s[a] ? 1 : 0;
        }
      }
    }
    Integer[] order = new Integer[len];
    for (int c = 0; c < len; c++) {
      order[c] = c;
    }
    Arrays.sort(order, (x, y) -> s[x] != s[y] ? Float.compare(s[y], s[x]) : Integer.compare(x, y));
    for (MetricAccumulator ref : reference) {
      int topSize = Math.min(ref.maxCutoff(), len);
      int[] top = new int[topSize];
      for (int t = 0; t < topSize; t++) {
        top[t] = itemAt[order[t]];
      }
      ref.addQuery(ranks, 0, m, twice, len, top, 0, topSize);
    }
  }

  /**
   * Scores keep their bits from earlier versions, which scored full ranking by one gemm call per 64
   * queries: blocks now span several such groups, and a last group of fewer than 4 queries (which
   * the SIMD gemm sums in another order) must still be scored alone. 1,154 users end in a group of
   * 2 inside a block of 130 (one thread); items a few ulps apart make any reordering of a sum
   * visible in the metrics.
   */
  @Test
  void fullRankingScoresAreThoseOfOneGemmCallPer64Queries() {
    int numUsers = 1154;
    int numItems = 90;
    int dim = 24;
    SplittableRandom rng = new SplittableRandom(33);
    List<int[]> trainPairs = new java.util.ArrayList<>();
    List<int[]> testPairs = new java.util.ArrayList<>();
    for (int u = 0; u < numUsers; u++) {
      for (int i = 0; i < numItems; i++) {
        int x = rng.nextInt(10);
        if (i == u % numItems || x == 1) {
          testPairs.add(new int[] {u, i}); // every user is a query
        } else if (x == 0) {
          trainPairs.add(new int[] {u, i});
        }
      }
    }
    Interactions train = EvalFixtures.pairs(numUsers, numItems, trainPairs.toArray(new int[0][]));
    Interactions test = EvalFixtures.pairs(numUsers, numItems, testPairs.toArray(new int[0][]));
    ProtocolSplit split =
        Protocols.split(
            Protocol.FULL,
            EvalFixtures.dataset(train, test, null, DataFormat.LIGHTGCN),
            ProtocolOptions.defaults());
    float[] users = org.totalrecall.testkit.Fixtures.randomFloats(rng, numUsers * dim);
    // Items a few ulps apart: their scores differ at the rounding level, so summing in another
    // order reorders them.
    float[] base = org.totalrecall.testkit.Fixtures.randomFloats(rng, dim);
    float[] items = new float[numItems * dim];
    for (int k = 0; k < items.length; k++) {
      items[k] = base[k % dim] * (1f + (rng.nextInt(9) - 4) * 1.2e-7f);
    }
    FactorModel model = EvalFixtures.model(dim, users, items, null);
    EvalOptions options = EvalOptions.defaults().withThreads(1);
    MetricAccumulator[] reference = {
      new MetricAccumulator(options.cutoffArray(), numItems, train.colCounts(), null)
    };
    org.totalrecall.linalg.VectorOps ops = org.totalrecall.linalg.VectorOps.best();
    float[] rows = new float[64 * numItems];
    for (int from = 0; from < numUsers; from += 64) {
      int m = Math.min(64, numUsers - from);
      ops.gemmAbt(users, from * dim, m, items, 0, numItems, dim, rows, 0, numItems);
      for (int k = 0; k < m; k++) {
        addReferenceQuery(
            reference,
            Arrays.copyOfRange(rows, k * numItems, (k + 1) * numItems),
            train,
            test,
            from + k);
      }
    }
    assertEquals(numUsers % 64, 2, "fixture: the last group must be short");
    for (int threads : new int[] {1, 2}) {
      EvaluationResult r = Evaluator.evaluate(model, split, options.withThreads(threads));
      assertEquals(numUsers, r.queries());
      assertEquals(reference[0].metrics(), r.metrics(), "threads " + threads);
    }
  }
}
