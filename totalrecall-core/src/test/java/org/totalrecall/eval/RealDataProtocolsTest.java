package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.ItemCategories;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.model.FactorModel;

/** Protocols on the shared ML-1M data; skipped when ../shared/data is absent. */
class RealDataProtocolsTest {

  private static Path dataDir(String name) {
    Path root = EvalFixtures.sharedData();
    assumeTrue(
        root != null && Files.isDirectory(root.resolve(name)),
        "../shared/data/" + name + " absent: skipping");
    return root.resolve(name);
  }

  @Test
  void ml1mPumsHas2514QualifyingItemsAndPumsGroupHas54Groups() throws IOException {
    Path dir = dataDir("ml-1m");
    Dataset data = DataLoader.load(dir, null, LoadOptions.defaults());
    assertEquals(1_000_209, data.train().size());
    ProtocolSplit pums = Protocols.split(Protocol.PUMS, data, ProtocolOptions.defaults());
    int testItems = 0;
    int validationItems = 0;
    for (int item = 0; item < data.numItems(); item++) {
      testItems += pums.test().rowLength(item) > 0 ? 1 : 0;
      validationItems += pums.validation().rowLength(item) > 0 ? 1 : 0;
    }
    assertEquals(2514, testItems + validationItems);
    assertEquals(1257, testItems);
    // max(1, round(1% of n)) per item sums to 9,913 = TotalRecall Table 4's 5,125 + 4,788
    assertEquals(9913, pums.test().size() + pums.validation().size());
    assertEquals(1_000_209 - 9913, pums.train().size());

    ItemCategories genres =
        ItemCategories.readMovieLensGenres(dir.resolve("movies.dat"), data.items());
    assertEquals(18, genres.numCategories());
    // without explicit genres, movies.dat is found beside the data file
    ProtocolSplit group = Protocols.split(Protocol.PUMS_GROUP, data, ProtocolOptions.defaults());
    List<ItemGroup> groups = group.groups();
    assertEquals(54, groups.size());
    assertEquals(pums.trainFingerprint(), group.trainFingerprint());
    assertEquals(
        93, find(groups, "Drama/top").size()); // the paper: 'Drama-top10%' contains 93 movies
    assertEquals(3, find(groups, "Documentary/top").size()); // and 'Documentary top10%' only 3

    // An activity model (φ(u, i) = u's training count) ranks the most active users first for every
    // item.
    long[] activity = pums.train().rowCounts();
    float[] userVectors = new float[activity.length];
    for (int u = 0; u < activity.length; u++) {
      userVectors[u] = activity[u];
    }
    float[] ones = new float[data.numItems()];
    java.util.Arrays.fill(ones, 1f);
    FactorModel model = EvalFixtures.model(1, userVectors, ones, pums.train());
    EvaluationResult single =
        Evaluator.evaluate(model, pums, EvalOptions.defaults().withThreads(2));
    EvaluationResult grouped =
        Evaluator.evaluate(model, group, EvalOptions.defaults().withThreads(2));
    System.out.printf(
        "ml-1m activity model: pums P@10 %.4f R@10 %.4f distinct@10 %.0f; pums-group (mean) P@10 %.4f R@10 %.4f "
            + "distinct@10 %.0f over %d groups%n",
        single.metric("precision@10"),
        single.metric("recall@10"),
        single.metric("distinct@10"),
        grouped.metric("precision@10"),
        grouped.metric("recall@10"),
        grouped.metric("distinct@10"),
        grouped.queries());
    assertEquals(1257, single.queries());
    assertEquals(54, grouped.queries() + grouped.skippedQueries());
  }

  @Test
  void popularityModelOnMl1mNcfMatchesThePublishedAnchor() throws IOException {
    Dataset data = DataLoader.load(dataDir("ml-1m-ncf"), DataFormat.NCF, LoadOptions.defaults());
    assertEquals(994_169, data.train().size());
    ProtocolSplit split = Protocols.split(Protocol.NCF, data, ProtocolOptions.defaults());
    // The quirk: in 156 of 6,040 rows the held-out item is among its own 99 negatives, so those
    // users have 99 distinct candidates, the others 100.
    int merged = 0;
    for (int u = 0; u < data.numUsers(); u++) {
      int n = split.numCandidates(u);
      assertTrue(n == 99 || n == 100, "user " + u + " has " + n + " candidates");
      merged += n == 99 ? 1 : 0;
    }
    assertEquals(156, merged);
    // score(u, i) = training count of i: dim 1, user vector 1, item vector = count
    long[] counts = data.train().colCounts();
    float[] itemScores = new float[counts.length];
    for (int i = 0; i < counts.length; i++) {
      itemScores[i] = counts[i];
    }
    FactorModel popularity = EvalFixtures.itemScoreModel(data.numUsers(), itemScores);
    List<EvaluationResult> results =
        Evaluator.evaluateAll(popularity, split, EvalOptions.defaults().withThreads(2));
    EvaluationResult sampled = results.get(0);
    EvaluationResult full = results.get(1);
    System.out.printf(
        "ml-1m-ncf popularity, protocol ncf sampled: HR@10 %.5f NDCG@10 %.5f (published 0.4533 / 0.2542); "
            + "full: HR@10 %.5f NDCG@10 %.5f%n",
        sampled.metric("hr@10"),
        sampled.metric("ndcg@10"),
        full.metric("hr@10"),
        full.metric("ndcg@10"));
    assertEquals(6040, sampled.queries());
    assertEquals(0.4533, sampled.metric("hr@10"), 0.01);
    assertEquals(0.2542, sampled.metric("ndcg@10"), 0.01);
    assertTrue(
        full.metric("hr@10") < sampled.metric("hr@10"),
        "full ranking must be harder than 100 candidates");
  }

  @Test
  void ml100kLeaveLastOutHoldsOutEachUsersLatestTwoWithSampledNegatives() throws IOException {
    Dataset data = DataLoader.load(dataDir("ml-100k"), null, LoadOptions.defaults());
    ProtocolSplit loo = Protocols.split(Protocol.LOO, data, ProtocolOptions.defaults());
    // every ml-100k user has at least 20 ratings: one test and one validation item each
    assertEquals(943, loo.test().size());
    assertEquals(943, loo.validation().size());
    assertEquals(100_000 - 2 * 943, loo.train().size());
    long[] times = data.train().times();
    for (int u = 0; u < data.numUsers(); u++) {
      int testItem = loo.test().cols()[loo.test().start(u)];
      long testTime = times[position(data, u, testItem)];
      for (int p = data.train().start(u); p < data.train().end(u); p++) {
        assertTrue(times[p] <= testTime, "user " + u + " has an interaction after its test item");
      }
      assertEquals(101, loo.numCandidates(u));
    }
    long[] counts = loo.train().colCounts();
    float[] itemScores = new float[counts.length];
    for (int i = 0; i < counts.length; i++) {
      itemScores[i] = counts[i];
    }
    FactorModel popularity = EvalFixtures.itemScoreModel(data.numUsers(), itemScores);
    EvaluationResult sampled = Evaluator.evaluate(popularity, loo, EvalOptions.defaults());
    EvaluationResult validation =
        Evaluator.evaluate(popularity, loo.validationSplit(), EvalOptions.defaults());
    System.out.printf(
        "ml-100k popularity, protocol loo (100 sampled negatives, seed 42): HR@10 %.4f NDCG@10 %.4f; "
            + "validation HR@10 %.4f%n",
        sampled.metric("hr@10"), sampled.metric("ndcg@10"), validation.metric("hr@10"));
    assertEquals(943, sampled.queries());
    assertEquals("validation", validation.part());
  }

  private static int position(Dataset data, int user, int item) {
    for (int p = data.train().start(user); p < data.train().end(user); p++) {
      if (data.train().cols()[p] == item) {
        return p;
      }
    }
    throw new AssertionError("item " + item + " not in user " + user + "'s row");
  }

  private static ItemGroup find(List<ItemGroup> groups, String name) {
    for (ItemGroup g : groups) {
      if (g.name().equals(name)) {
        return g;
      }
    }
    throw new AssertionError("no group " + name + " in " + groups);
  }
}
