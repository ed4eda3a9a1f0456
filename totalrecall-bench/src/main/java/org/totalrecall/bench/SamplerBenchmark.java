package org.totalrecall.bench;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.sampler.BatchCandidates;
import org.totalrecall.sampler.BatchSampler;
import org.totalrecall.sampler.RowCandidates;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;
import org.totalrecall.train.Params;
import org.totalrecall.train.SamplerSpec;

/**
 * The cost of drawing a step's negatives on a Gowalla-shaped catalogue (29,858 users, 40,981 items,
 * 27 pairs per user with Zipf-like item popularity, d = 64): a per-row chunk of 256 positives with
 * one negative each ({@code rows}, the BPR trainer's step) and a shared batch of 512 ({@code
 * batch}, the Bi-InfoNCE trainer's step; queue and moco with r = 4,096). Average time per step;
 * divide by the step's time in training for the sampler's share of an epoch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SamplerBenchmark {
  private static final int USERS = 29_858;
  private static final int ITEMS = 40_981;
  private static final int PER_USER = 27;
  private static final int CHUNK = 256;
  private static final int BATCH = 512;

  /** The sampler, as on the command line: NAME or NAME:KEY=VALUE. */
  @Param({
    "rows:uniform",
    "rows:popularity",
    "batch:in-batch",
    "batch:queue:queue=4096",
    "batch:moco:queue=4096"
  })
  public String sampler;

  private int[] users;
  private int[] items;
  private RowSampler rowSampler;
  private RowCandidates rowOut;
  private BatchSampler batchSampler;
  private BatchCandidates batchOut;
  private SplittableRandom rng;
  private int from;

  @Setup
  public void setUp() {
    SplittableRandom init = new SplittableRandom(5);
    int n = USERS * PER_USER;
    users = new int[n];
    items = new int[n];
    for (int p = 0; p < n; p++) {
      users[p] = p / PER_USER;
      // Zipf-like popularity: item ⌊ITEMS·x³⌋ for uniform x
      double x = init.nextDouble();
      items[p] = (int) (ITEMS * x * x * x);
    }
    Interactions train = Interactions.fromPairs(USERS, ITEMS, users, items, null, null, n);
    EmbeddingTable userTable = EmbeddingTable.gaussian(USERS, 64, 0.1f, init);
    EmbeddingTable itemTable = EmbeddingTable.gaussian(ITEMS, 64, 0.1f, init);
    String[] parts = sampler.split(":", -1);
    Map<String, String> values =
        parts.length > 2
            ? Map.of(parts[2].split("=", -1)[0], parts[2].split("=", -1)[1])
            : Map.of();
    SamplerSpec spec = SamplerSpec.parse(parts[1], Params.of(values));
    // a random pair order, as an epoch's shuffle gives
    for (int p = n - 1; p > 0; p--) {
      int q = init.nextInt(p + 1);
      int u = users[p];
      users[p] = users[q];
      users[q] = u;
      int i = items[p];
      items[p] = items[q];
      items[q] = i;
    }
    if (parts[0].equals("rows")) {
      rowSampler =
          spec.createRows(new SamplerContext(train, CHUNK, userTable, itemTable)).forWorker();
      rowSampler.beginEpoch(1);
      rowOut = new RowCandidates(CHUNK, rowSampler.width());
    } else {
      batchSampler =
          spec.create(new SamplerContext(train, BATCH, userTable, itemTable)).forWorker();
      batchSampler.beginEpoch(1);
      batchOut = new BatchCandidates(batchSampler.maxUsers(BATCH), batchSampler.maxItems(BATCH));
    }
    rng = new SplittableRandom(7);
  }

  /** One trainer step's draws. */
  @Benchmark
  public int step() {
    int step = rowSampler != null ? CHUNK : BATCH;
    if (from + step > users.length) {
      from = 0;
    }
    int f = from;
    from += step;
    if (rowSampler != null) {
      rowSampler.sample(users, items, null, f, CHUNK, rng, rowOut);
      return rowOut.items()[1];
    }
    batchSampler.sample(users, items, f, BATCH, rng, batchOut);
    return batchOut.numItems();
  }
}
