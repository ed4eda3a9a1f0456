package org.totalrecall.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.totalrecall.data.Interactions;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.train.FoldIn;

/**
 * How well fold-in reproduces trained users: for a seeded sample of users with training items, each
 * is folded in as a new user from its own training items ({@link FoldIn#user} with no known
 * vector), and its top-10 (training items excluded) is compared with the trained user's top-10.
 * Reports the mean overlap |A ∩ B| / 10, the share of users with overlap ≥ 0.8, and the median and
 * 95th-percentile latency of one fold-in (the vector only, not the retrieval).
 */
public final class FoldInBenchmark {
  private FoldInBenchmark() {}

  public static Map<String, Object> run(FactorModel model, int users, long seed) {
    Interactions seen = model.seen();
    if (seen == null) {
      throw new IllegalArgumentException(
          "the model stores no training interactions to fold users in from");
    }
    Recommender rec = new Recommender(model, 1);
    SplittableRandom rng = new SplittableRandom(seed);
    int n = Math.min(users, model.numUsers());
    double overlapSum = 0;
    int atLeast80 = 0;
    long[] nanos = new long[n];
    String method = null;
    int done = 0;
    int attempts = 0;
    while (done < n && attempts < 100 * n) {
      attempts++;
      int u = rng.nextInt(model.numUsers());
      if (seen.rowLength(u) == 0) {
        continue;
      }
      int[] items = java.util.Arrays.copyOfRange(seen.cols(), seen.start(u), seen.end(u));
      long t0 = System.nanoTime();
      FoldIn.Result folded = FoldIn.user(model, items, -1);
      nanos[done] = System.nanoTime() - t0;
      method = folded.method();
      Neighbors trained = rec.recommendItems(u, 10, true);
      Neighbors fresh = rec.recommendItems(folded.vector(), 10, items);
      int common = 0;
      for (int a = 0; a < trained.size(); a++) {
        for (int b = 0; b < fresh.size(); b++) {
          common += trained.index(a) == fresh.index(b) ? 1 : 0;
        }
      }
      double overlap = common / 10.0;
      overlapSum += overlap;
      atLeast80 += overlap >= 0.8 ? 1 : 0;
      done++;
    }
    long[] sorted = java.util.Arrays.copyOf(nanos, done);
    java.util.Arrays.sort(sorted);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", method);
    out.put("users", done);
    out.put("meanOverlapAt10", done == 0 ? 0 : overlapSum / done);
    out.put("shareWithOverlapAtLeast0.8", done == 0 ? 0 : atLeast80 / (double) done);
    out.put("medianFoldInMillis", done == 0 ? 0 : sorted[done / 2] / 1e6);
    out.put(
        "p95FoldInMillis", done == 0 ? 0 : sorted[Math.min(done - 1, (int) (0.95 * done))] / 1e6);
    return out;
  }
}
