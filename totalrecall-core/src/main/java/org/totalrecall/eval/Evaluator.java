package org.totalrecall.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Aggregation;
import org.totalrecall.retrieval.GroupScores;
import org.totalrecall.retrieval.TopK;
import org.totalrecall.util.Checks;

/**
 * Evaluates a {@link FactorModel} on a {@link ProtocolSplit} with the metrics of {@link
 * RankingMetrics} and {@link MetricAccumulator}.
 *
 * <p><b>Queries and candidates.</b> u2i: each user with a test row ranks items; i2u ({@code pums}):
 * each test item ranks users; {@code pums-group}: each group G ranks users by log(aggregate over
 * the items of G the user has no training interaction with, of exp φ(u, i)) (MEAN, MAX or SUM,
 * computed in log space by {@link GroupScores}, the code of the group audience; the log does not
 * change the ranking), its relevant users being its potential users (a held-out interaction in G;
 * earlier interactions in G exclude those items, not the user: PROTOCOLS.md as clarified on
 * 2026-11-29). Full ranking: the candidates are every user/item except the query's training
 * interactions (for a group: users with every item of G in their training interactions), which get
 * score -Infinity and are not counted. Sampled: exactly the split's candidate set, each distinct
 * candidate once.
 *
 * <p><b>Scoring.</b> Scores are inner products of {@link FactorModel#retrievalUsers()} and {@link
 * FactorModel#retrievalItems()} (the ranking of φ; for groups φ itself, 1/τ included, since exp
 * does not commute with scaling), computed with {@link VectorOps#gemmAbt} for blocks of queries
 * against all candidates into a reused per-worker buffer, or with {@link VectorOps#dot} for sampled
 * candidates. Ranks are pessimistic (PROTOCOLS.md): for a query with few relevant candidates, two
 * {@link VectorOps#countAtLeast} passes over its score row per relevant score (#{c : s_c ≥ s_r} and
 * #{c : s_c > s_r}); with many, one pass that binary-searches each score among the sorted relevant
 * ones; a cost estimate picks per query, and both give the same ranks. Top-N lists come from {@link
 * TopK} (ties to the smaller index), fed by a scan that rejects {@value #SCAN_CHUNK} scores at a
 * time with one {@link VectorOps#max}.
 *
 * <p><b>Threads.</b> Query blocks are scored by a fixed pool of platform threads; each query's
 * ranks, AUC counts and top list go to its own slot, and the sums are taken afterwards in query
 * order on one thread, so the result is identical for any thread count (the query blocks, hence
 * every score's bits, depend only on the universe size, never on the thread count). Stateless; the
 * model and split are only read.
 */
public final class Evaluator {
  private static final int MAX_BLOCK = 64;
  private static final int MAX_BLOCK_FLOATS =
      1 << 22; // 16 MB: bounds score groups (see run) and group chunks

  /**
   * Full ranking: queries per block scored by one gemm call, at most. Each call packs every
   * candidate row once (n · dim scalar copies), so larger blocks pack less per query: 256 against
   * 64 cut the Gowalla scoring from about 2.0 to 1.4 s of CPU (dim 64, 41k items).
   */
  private static final int MAX_FULL_BLOCK = 256;

  private static final int MAX_FULL_BLOCK_FLOATS = 1 << 24; // 64 MB of scores per worker at most

  /**
   * A gemm call with fewer rows than this may sum each entry in another order than a taller one
   * (the SIMD kernel's row tile is 4 rows; below it falls back to dot products); with at least this
   * many, every entry's bits are the same whatever the call's shape.
   */
  private static final int SMALL_GEMM_ROWS = 4;

  /** Scores rejected together by one {@link VectorOps#max} against the top list's threshold. */
  static final int SCAN_CHUNK = 64;

  /**
   * How a query's ranks are counted. Every choice gives the same ranks; AUTO picks the cheaper per
   * query, the others exist so that tests can check both passes on the same queries.
   */
  enum RankPass {
    /** COUNT or HISTOGRAM by a rough cost model (see {@code Worker.rankQuery}). */
    AUTO,
    /** Two {@link VectorOps#countAtLeast} passes over the row per distinct relevant score. */
    COUNT,
    /** One scalar pass over the row with a binary search of the relevant scores per candidate. */
    HISTOGRAM
  }

  private Evaluator() {}

  /**
   * Evaluates {@code model} on the evaluated part of {@code split}. Runs {@link
   * LeakageCheck#checkSeen} first when the model stores its training interactions.
   *
   * @throws IllegalArgumentException if the model's shape does not match the split, or the options
   *     do not fit the split (sampled without candidates, categories for i2u)
   * @throws TestLeakageException if the model's training interactions include test pairs
   * @throws IllegalStateException if the model scores a relevant candidate NaN or infinite
   */
  public static EvaluationResult evaluate(
      FactorModel model, ProtocolSplit split, EvalOptions options) {
    return evaluate(model, split, options, RankPass.AUTO);
  }

  /**
   * {@link #evaluate(FactorModel, ProtocolSplit, EvalOptions)} with the rank pass forced (for
   * tests).
   */
  static EvaluationResult evaluate(
      FactorModel model, ProtocolSplit split, EvalOptions options, RankPass rankPass) {
    return combine(split, List.of(evaluatePart(model, split, options, 0, 1, rankPass)));
  }

  /**
   * One share of an evaluation, for a distributed run: the accumulated sums of a slice of the
   * queries (see {@link #evaluatePart}), mergeable with the other slices' by {@link #combine}.
   *
   * @param accumulator the slice's sums and sets
   * @param skipped queries the whole evaluation skips (the same in every part)
   * @param universe candidates per query before exclusions
   * @param sampled whether the sampled candidates were ranked
   */
  public record Part(MetricAccumulator accumulator, long skipped, int universe, boolean sampled)
      implements java.io.Serializable {}

  /**
   * Evaluates slice {@code part} of {@code parts} of the evaluation's queries: the query list cut
   * into {@code parts} runs of consecutive queries, the {@code part}-th of them. The parts of one
   * evaluation, {@link #combine}d, give {@link #evaluate}'s result: the same ranks and top lists
   * for every query, the sums added in another order.
   */
  public static Part evaluatePart(
      FactorModel model, ProtocolSplit split, EvalOptions options, int part, int parts) {
    return evaluatePart(model, split, options, part, parts, RankPass.AUTO);
  }

  private static Part evaluatePart(
      FactorModel model,
      ProtocolSplit split,
      EvalOptions options,
      int part,
      int parts,
      RankPass rankPass) {
    if (parts <= 0 || part < 0 || part >= parts) {
      throw new IllegalArgumentException(
          "part must be in [0, parts), got " + part + " of " + parts);
    }
    Checks.notNull("rankPass", rankPass);
    Checks.notNull("model", model);
    Checks.notNull("split", split);
    Checks.notNull("options", options);
    if (model.numUsers() != split.users().size() || model.numItems() != split.items().size()) {
      throw new IllegalArgumentException(
          "model has "
              + model.numUsers()
              + " users and "
              + model.numItems()
              + " items, the split "
              + split.users().size()
              + " and "
              + split.items().size());
    }
    LeakageCheck.checkSeen(model, split);
    boolean sampled =
        switch (options.variant()) {
          case AUTO -> split.hasSampledCandidates();
          case SAMPLED -> {
            if (!split.hasSampledCandidates()) {
              throw new IllegalArgumentException(
                  "protocol "
                      + split.protocol()
                      + " split has no sampled candidates; use variant FULL");
            }
            yield true;
          }
          case FULL -> false;
        };
    Direction direction = split.direction();
    if (options.categories() != null && direction != Direction.U2I) {
      throw new IllegalArgumentException(
          "categories (DistinctCategories@N) apply to u2i protocols only, not " + split.protocol());
    }
    Task task = Task.of(model, split, options, sampled);
    int n = task.queries.length;
    task.queries =
        java.util.Arrays.copyOfRange(
            task.queries, (int) ((long) part * n / parts), (int) ((long) (part + 1) * n / parts));
    int[] cutoffs = options.cutoffArray();
    MetricAccumulator acc =
        new MetricAccumulator(
            cutoffs,
            task.universe,
            options.popularity() == EvalOptions.PopularitySource.TRAIN
                ? (direction == Direction.U2I
                    ? split.train().colCounts()
                    : split.train().rowCounts())
                : null,
            options.categories());
    if (task.queries.length > 0) {
      Results results = run(task, acc.maxCutoff(), options.threads(), rankPass);
      for (int k = 0; k < task.queries.length; k++) {
        acc.addQuery(
            results.ranks,
            results.rankStart[k],
            results.rankStart[k + 1] - results.rankStart[k],
            results.twiceCorrect[k],
            results.numCandidates[k],
            results.top,
            k * results.maxN,
            results.topSize[k]);
      }
    }
    return new Part(acc, task.skipped, task.universe, sampled);
  }

  /**
   * The result of an evaluation from its parts (any order), merged in the order given into the
   * first part's accumulator.
   */
  public static EvaluationResult combine(ProtocolSplit split, List<Part> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no part to combine");
    }
    Part first = parts.get(0);
    MetricAccumulator acc = first.accumulator();
    for (int k = 1; k < parts.size(); k++) {
      acc.merge(parts.get(k).accumulator());
    }
    return new EvaluationResult(
        split.protocol().cliName(),
        split.direction().label(),
        first.sampled() ? "sampled" : "full",
        split.part(),
        split.seed(),
        acc.metrics(),
        acc.queries(),
        first.skipped(),
        first.universe(),
        acc.meanCandidates());
  }

  /**
   * Evaluates {@code model} on the evaluated part of {@code split} with the top lists of {@code
   * retriever} (for example an HNSW index over the candidates), to measure what approximate search
   * costs: full ranking only. Each query's top-maxN comes from {@link Retriever#forEachTopK} with
   * its training interactions excluded; a relevant candidate in that list has its position as rank,
   * one outside it rank maxN + 1, which no metric@N with N ≤ maxN counts. With an exact retriever
   * every metric@N equals {@link #evaluate(FactorModel, ProtocolSplit, EvalOptions)}'s (up to
   * ties); AUC needs every rank and is left out.
   *
   * <p>{@code pums-group}: see {@code groupsThrough} (the retriever answers i2u for each item of a
   * group; the group scores are exact).
   *
   * @throws IllegalArgumentException for a sampled variant, or a retriever whose candidates are not
   *     the model's retrieval table of the candidate side
   */
  public static EvaluationResult evaluate(
      FactorModel model,
      ProtocolSplit split,
      EvalOptions options,
      org.totalrecall.retrieval.Retriever retriever) {
    Checks.notNull("model", model);
    Checks.notNull("split", split);
    Checks.notNull("options", options);
    Checks.notNull("retriever", retriever);
    if (options.variant() == EvalOptions.Variant.SAMPLED) {
      throw new IllegalArgumentException(
          "an evaluation through a retriever ranks every candidate: use variant FULL");
    }
    if (model.numUsers() != split.users().size() || model.numItems() != split.items().size()) {
      throw new IllegalArgumentException(
          "model has "
              + model.numUsers()
              + " users and "
              + model.numItems()
              + " items, the split "
              + split.users().size()
              + " and "
              + split.items().size());
    }
    LeakageCheck.checkSeen(model, split);
    Direction direction = split.direction();
    Task task = Task.of(model, split, options, false);
    if (split.protocol() == Protocol.PUMS_GROUP) {
      return groupsThrough(model, split, options, retriever, task);
    }
    if (retriever.candidates().rows() != task.candidateTable.rows()
        || retriever.candidates().dim() != task.candidateTable.dim()) {
      throw new IllegalArgumentException(
          "the retriever's candidates are not the model's "
              + (direction == Direction.U2I ? "items" : "users"));
    }
    int[] cutoffs = options.cutoffArray();
    MetricAccumulator acc =
        new MetricAccumulator(
            cutoffs,
            task.universe,
            options.popularity() == EvalOptions.PopularitySource.TRAIN
                ? (direction == Direction.U2I
                    ? split.train().colCounts()
                    : split.train().rowCounts())
                : null,
            options.categories());
    int maxN = Math.max(1, Math.min(acc.maxCutoff(), task.universe));
    Results results = new Results(task, maxN);
    int rows = task.relevant.numRows();
    int[] slot = new int[rows];
    Arrays.fill(slot, -1);
    for (int k = 0; k < task.queries.length; k++) {
      slot[task.queries[k]] = k;
    }
    Interactions rel = task.relevant;
    retriever.forEachTopK(
        task.queryTable,
        0,
        rows,
        maxN,
        task.exclude,
        (q, idx, sc, count) -> {
          int k = slot[q];
          if (k < 0) {
            return;
          }
          System.arraycopy(idx, 0, results.top, k * maxN, count);
          results.topSize[k] = count;
          results.numCandidates[k] = task.universe - task.exclude.rowLength(q);
          int off = results.rankStart[k];
          int n = 0;
          for (int p = rel.start(q); p < rel.end(q); p++) {
            int c = rel.cols()[p];
            int rank = maxN + 1;
            for (int t = 0; t < count; t++) {
              if (idx[t] == c) {
                rank = t + 1;
                break;
              }
            }
            results.ranks[off + n++] = rank;
          }
          Arrays.sort(results.ranks, off, off + n);
        });
    for (int k = 0; k < task.queries.length; k++) {
      acc.addQuery(
          results.ranks,
          results.rankStart[k],
          results.rankStart[k + 1] - results.rankStart[k],
          0,
          results.numCandidates[k],
          results.top,
          k * maxN,
          results.topSize[k]);
    }
    java.util.Map<String, Double> metrics = new java.util.LinkedHashMap<>(acc.metrics());
    metrics.remove("auc");
    return new EvaluationResult(
        split.protocol().cliName(),
        direction.label(),
        "full",
        split.part(),
        split.seed(),
        metrics,
        acc.queries(),
        task.skipped,
        task.universe,
        acc.meanCandidates());
  }

  /**
   * pums-group through an i2u retriever: each group's top-maxN from {@link
   * org.totalrecall.retrieval.Recommender#recommendUsersForItems} over it (the union of the group
   * items' retrieved users, scored exactly with the group score), users with a training interaction
   * in the group excluded (the model's stored training interactions, which the leakage check has
   * matched to the split's).
   */
  private static EvaluationResult groupsThrough(
      FactorModel model,
      ProtocolSplit split,
      EvalOptions options,
      org.totalrecall.retrieval.Retriever retriever,
      Task task) {
    if (model.seen() == null) {
      throw new IllegalArgumentException(
          "the model stores no training interactions, which pums-group through an index"
              + " needs to exclude each group's known users");
    }
    org.totalrecall.retrieval.Recommender rec =
        new org.totalrecall.retrieval.Recommender(model, options.threads(), null, retriever);
    int[] cutoffs = options.cutoffArray();
    MetricAccumulator acc =
        new MetricAccumulator(
            cutoffs,
            task.universe,
            options.popularity() == EvalOptions.PopularitySource.TRAIN
                ? split.train().rowCounts()
                : null,
            null);
    int maxN = Math.max(1, Math.min(acc.maxCutoff(), task.universe));
    Results results = new Results(task, maxN);
    for (int k = 0; k < task.queries.length; k++) {
      int q = task.queries[k];
      ItemGroup g = task.groups.get(q);
      int[] items = new int[g.size()];
      for (int j = 0; j < items.length; j++) {
        items[j] = g.item(j);
      }
      org.totalrecall.retrieval.Neighbors top =
          rec.recommendUsersForItems(items, maxN, task.aggregation, true);
      int count = top.size();
      System.arraycopy(top.indices(), 0, results.top, k * maxN, count);
      results.topSize[k] = count;
      results.numCandidates[k] = task.universe - task.exclude.rowLength(q);
      int off = results.rankStart[k];
      int n = 0;
      for (int p = task.relevant.start(q); p < task.relevant.end(q); p++) {
        int c = task.relevant.cols()[p];
        int rank = maxN + 1;
        for (int t = 0; t < count; t++) {
          if (top.index(t) == c) {
            rank = t + 1;
            break;
          }
        }
        results.ranks[off + n++] = rank;
      }
      Arrays.sort(results.ranks, off, off + n);
      acc.addQuery(
          results.ranks, off, n, 0, results.numCandidates[k], results.top, k * maxN, count);
    }
    java.util.Map<String, Double> metrics = new java.util.LinkedHashMap<>(acc.metrics());
    metrics.remove("auc");
    return new EvaluationResult(
        split.protocol().cliName(),
        split.direction().label(),
        "full",
        split.part(),
        split.seed(),
        metrics,
        acc.queries(),
        task.skipped,
        task.universe,
        acc.meanCandidates());
  }

  /**
   * The split's default evaluation and, for a split with sampled candidates, the full-ranking
   * variant beside it (PROTOCOLS.md asks for both under ncf: sampled metrics flatter models).
   */
  public static List<EvaluationResult> evaluateAll(
      FactorModel model, ProtocolSplit split, EvalOptions options) {
    List<EvaluationResult> out = new ArrayList<>();
    if (split.hasSampledCandidates()) {
      out.add(evaluate(model, split, options.withVariant(EvalOptions.Variant.SAMPLED)));
    }
    out.add(evaluate(model, split, options.withVariant(EvalOptions.Variant.FULL)));
    return out;
  }

  /** What to evaluate: query rows, their relevant and excluded candidates, how to score. */
  private static final class Task {
    EmbeddingTable queryTable; // null for groups
    EmbeddingTable candidateTable;
    Interactions relevant; // queries × candidates
    Interactions exclude; // queries × candidates, null when sampled
    ProtocolSplit sampledFrom; // non-null when sampled
    List<ItemGroup> groups; // pums-group
    EmbeddingTable groupItems; // item table for groups
    float groupScale;
    Aggregation aggregation;
    Interactions
        groupSeen; // users × items: each user's training items, left out of their group score
    int universe;
    int[] queries; // evaluated query rows, increasing
    long skipped;
    int maxRelevant;

    static Task of(FactorModel model, ProtocolSplit split, EvalOptions options, boolean sampled) {
      Task t = new Task();
      Interactions train = split.train();
      switch (split.protocol()) {
        case PUMS_GROUP -> {
          if (sampled) {
            throw new IllegalArgumentException("pums-group has no sampled variant");
          }
          t.groups = split.groups();
          t.candidateTable = model.retrievalUsers();
          t.groupItems = model.retrievalItems();
          t.groupScale = model.scorer().isCosine() ? 1f / model.scorer().temperature() : 1f;
          t.aggregation = options.aggregation();
          Interactions[] parts = groupParts(split);
          t.groupSeen = split.train();
          t.relevant = parts[0];
          t.exclude = parts[1];
        }
        default -> {
          boolean u2i = split.direction() == Direction.U2I;
          t.queryTable = u2i ? model.retrievalUsers() : model.retrievalItems();
          t.candidateTable = u2i ? model.retrievalItems() : model.retrievalUsers();
          t.relevant = split.test();
          if (sampled) {
            t.sampledFrom = split;
          } else {
            t.exclude = u2i ? train : train.transpose();
          }
        }
      }
      t.universe = t.candidateTable.rows();
      int rows = t.relevant.numRows();
      int[] eligible = new int[rows];
      int n = 0;
      for (int q = 0; q < rows; q++) {
        if (t.relevant.rowLength(q) > 0) {
          eligible[n++] = q;
        } else if (t.groups != null) {
          t.skipped++; // a group is a query even without potential users
        }
      }
      int keep = options.maxQueries() == 0 ? n : Math.min(n, options.maxQueries());
      t.queries = new int[keep];
      for (int k = 0; k < keep; k++) {
        t.queries[k] = eligible[(int) ((long) k * n / keep)];
      }
      t.skipped += n - keep;
      for (int q : t.queries) {
        t.maxRelevant = Math.max(t.maxRelevant, t.relevant.rowLength(q));
      }
      return t;
    }

    /**
     * Each group's potential users (relevant: a held-out interaction in the group) and the users
     * with no item of it left to score (excluded: a training interaction with every item), groups ×
     * users (PROTOCOLS.md, clarified 2026-11-29: earlier interactions exclude items, not users).
     */
    private static Interactions[] groupParts(ProtocolSplit split) {
      Interactions trainByItem = split.train().transpose();
      Interactions held = split.test();
      int numUsers = split.users().size();
      List<ItemGroup> groups = split.groups();
      int g = groups.size();
      int[] inTrain = new int[numUsers];
      boolean[] inHeld = new boolean[numUsers];
      int[] relStart = new int[g + 1];
      int[] exStart = new int[g + 1];
      int[] relCols = new int[0];
      int[] exCols = new int[0];
      int nr = 0;
      int ne = 0;
      for (int k = 0; k < g; k++) {
        Arrays.fill(inTrain, 0);
        Arrays.fill(inHeld, false);
        ItemGroup group = groups.get(k);
        for (int j = 0; j < group.size(); j++) {
          int item = group.item(j);
          for (int p = trainByItem.start(item); p < trainByItem.end(item); p++) {
            inTrain[trainByItem.cols()[p]]++;
          }
          for (int p = held.start(item); p < held.end(item); p++) {
            inHeld[held.cols()[p]] = true;
          }
        }
        for (int u = 0; u < numUsers; u++) {
          if (inTrain[u] == group.size()) {
            if (ne == exCols.length) {
              exCols = Arrays.copyOf(exCols, Math.max(16, 2 * ne));
            }
            exCols[ne++] = u;
          } else if (inHeld[u]) {
            if (nr == relCols.length) {
              relCols = Arrays.copyOf(relCols, Math.max(16, 2 * nr));
            }
            relCols[nr++] = u;
          }
        }
        relStart[k + 1] = nr;
        exStart[k + 1] = ne;
      }
      return new Interactions[] {
        new Interactions(g, numUsers, relStart, Arrays.copyOf(relCols, nr), null, null),
        new Interactions(g, numUsers, exStart, Arrays.copyOf(exCols, ne), null, null)
      };
    }
  }

  /** Per-query outputs, one slot per evaluated query (written by exactly one worker). */
  private static final class Results {
    final int maxN;
    final int[] rankStart;
    final int[] ranks;
    final long[] twiceCorrect;
    final int[] numCandidates;
    final int[] top;
    final int[] topSize;

    Results(Task task, int maxN) {
      int nq = task.queries.length;
      this.maxN = maxN;
      this.rankStart = new int[nq + 1];
      for (int k = 0; k < nq; k++) {
        rankStart[k + 1] = rankStart[k] + task.relevant.rowLength(task.queries[k]);
      }
      this.ranks = new int[rankStart[nq]];
      this.twiceCorrect = new long[nq];
      this.numCandidates = new int[nq];
      this.top = new int[Math.multiplyExact(nq, maxN)];
      this.topSize = new int[nq];
    }
  }

  private static Results run(Task task, int maxN, int threads, RankPass rankPass) {
    Results results = new Results(task, maxN);
    int nq = task.queries.length;
    int universe = Math.max(1, task.universe);
    // Scores are bitwise those of gemm calls over "score groups" of this many consecutive
    // queries (the block size of earlier versions, kept so that no result changes): a call
    // with fewer than 4 rows may sum in another order than the tiled kernel, so a group of
    // fewer than 4 queries is always scored by its own call (see Worker.scoreBlock).
    int scoreGroup = Math.max(1, Math.min(MAX_BLOCK, MAX_BLOCK_FLOATS / universe));
    // Item groups are few and each scores every user: one per block spreads them over the workers.
    int block =
        task.groups != null
            ? 1
            : task.sampledFrom != null
                ? MAX_BLOCK
                : scoreGroup
                    * (int)
                        Math.max(
                            1,
                            Math.min(
                                MAX_FULL_BLOCK / scoreGroup,
                                MAX_FULL_BLOCK_FLOATS / ((long) scoreGroup * universe)));
    if (task.groups == null && task.sampledFrom == null) {
      // At least about 4 blocks per worker (whole score groups, so no score changes) keep every
      // core busy.
      int perBlock = Math.ceilDiv(Math.ceilDiv(nq, 4 * threads), scoreGroup) * scoreGroup;
      block = Math.min(block, Math.max(scoreGroup, perBlock));
    }
    int numBlocks = (nq + block - 1) / block;
    AtomicInteger nextBlock = new AtomicInteger();
    int workers = Math.min(threads, Math.max(1, numBlocks));
    if (workers == 1) {
      new Worker(task, results, block, scoreGroup, nextBlock, numBlocks, rankPass).run();
      return results;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread th = new Thread(r, "totalrecall-eval");
              th.setDaemon(true);
              return th;
            });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        futures.add(
            pool.submit(
                new Worker(task, results, block, scoreGroup, nextBlock, numBlocks, rankPass)));
      }
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first =
                e.getCause() instanceof RuntimeException re
                    ? re
                    : new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("evaluation interrupted", e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  /** Scores blocks of queries; owns its scratch buffers, allocated once. */
  private static final class Worker implements Runnable {
    private final Task task;
    private final RankPass rankPass;
    private final Results out;
    private final int block;
    private final int scoreGroup; // block is a multiple of it; see run()
    private final AtomicInteger nextBlock;
    private final int numBlocks;
    private final VectorOps ops = VectorOps.best();
    private final int dim;
    private final float[] scores;
    private final float[] queryBuffer;
    private final float[] groupBuffer;
    private final float[] groupScores;
    // group scores: retrieval.GroupScores in its blocks, as the audience of a group is scored
    private final float[] relevantScores;
    private final int[] relevantPos;
    private final int[] atLeastCount; // per sorted relevant score: #{c : s_c ≥ rs[j]}
    private final int[] greaterCount; // per sorted relevant score: #{c : s_c > rs[j]}
    private final TopK topK;
    private final int[] topPositions;
    private final float[] chunkMax; // per scan chunk of the query being ranked: its max score
    private final TopK chunkTop; // the largest chunk maxima, for the scan's lower bound

    Worker(
        Task task,
        Results out,
        int block,
        int scoreGroup,
        AtomicInteger nextBlock,
        int numBlocks,
        RankPass rankPass) {
      this.task = task;
      this.rankPass = rankPass;
      this.out = out;
      this.block = block;
      this.scoreGroup = scoreGroup;
      this.nextBlock = nextBlock;
      this.numBlocks = numBlocks;
      this.dim = task.candidateTable.dim();
      int width = task.universe;
      if (task.sampledFrom != null) {
        int maxCandidates = 0;
        for (int q : task.queries) {
          maxCandidates = Math.max(maxCandidates, task.sampledFrom.numCandidates(q));
        }
        width = maxCandidates;
      }
      this.scores =
          new float[task.sampledFrom != null || task.groups != null ? width : block * width];
      this.queryBuffer = task.queryTable == null ? null : new float[block * dim];
      int maxGroup = 0;
      if (task.groups != null) {
        for (ItemGroup g : task.groups) {
          maxGroup = Math.max(maxGroup, g.size());
        }
      }
      this.groupBuffer = task.groups == null ? null : new float[Math.max(1, maxGroup) * dim];
      this.groupScores =
          task.groups == null ? null : new float[GroupScores.BLOCK_FLOATS + Math.max(1, maxGroup)];
      this.relevantScores = new float[task.maxRelevant];
      this.relevantPos = new int[task.maxRelevant];
      this.atLeastCount = new int[task.maxRelevant + 1];
      this.greaterCount = new int[task.maxRelevant + 1];
      this.topK = new TopK(out.maxN);
      this.topPositions = new int[out.maxN];
      this.chunkMax = new float[(width + SCAN_CHUNK - 1) / SCAN_CHUNK];
      this.chunkTop = new TopK(out.maxN);
    }

    @Override
    public void run() {
      for (int b = nextBlock.getAndIncrement(); b < numBlocks; b = nextBlock.getAndIncrement()) {
        int from = b * block;
        int to = Math.min(task.queries.length, from + block);
        if (task.groups != null) {
          for (int k = from; k < to; k++) {
            scoreGroup(task.queries[k]);
            evaluateFull(k, 0);
          }
        } else if (task.sampledFrom != null) {
          for (int k = from; k < to; k++) {
            evaluateSampled(k);
          }
        } else {
          scoreBlock(from, to);
          for (int k = from; k < to; k++) {
            evaluateFull(k, (k - from) * task.universe);
          }
        }
      }
    }

    /** scores[(k - from) · universe + c] = ⟨query k, candidate c⟩ for the block's queries. */
    private void scoreBlock(int from, int to) {
      EmbeddingTable q = task.queryTable;
      for (int k = from; k < to; k++) {
        System.arraycopy(q.data(), q.offset(task.queries[k]), queryBuffer, (k - from) * dim, dim);
      }
      // One call for every run of whole score groups; a short group (only the last query group
      // can be short) alone, as it always was, so that every score keeps its bits.
      int runStart = from;
      for (int g = from; g < to; g += scoreGroup) {
        int gEnd = Math.min(to, g + scoreGroup);
        if (gEnd - g < SMALL_GEMM_ROWS) {
          gemmRows(from, runStart, g);
          gemmRows(from, g, gEnd);
          runStart = gEnd;
        }
      }
      gemmRows(from, runStart, to);
    }

    /** scores of block queries [a, b) (block starting at {@code from}), if any. */
    private void gemmRows(int from, int a, int b) {
      if (b > a) {
        EmbeddingTable c = task.candidateTable;
        ops.gemmAbt(
            queryBuffer,
            (a - from) * dim,
            b - a,
            c.data(),
            0,
            c.rows(),
            dim,
            scores,
            (a - from) * task.universe,
            task.universe);
      }
    }

    /** scores[u] = log aggregate over the group's items of exp φ(u, i). */
    private void scoreGroup(int g) {
      ItemGroup group = task.groups.get(g);
      int size = group.size();
      EmbeddingTable items = task.groupItems;
      for (int j = 0; j < size; j++) {
        System.arraycopy(items.data(), items.offset(group.item(j)), groupBuffer, j * dim, dim);
      }
      EmbeddingTable users = task.candidateTable;
      int[] groupItems = new int[size];
      for (int j = 0; j < size; j++) {
        groupItems[j] = group.item(j);
      }
      int[] position = GroupScores.positions(groupItems, task.groupItems.rows());
      int block = GroupScores.userBlock(size);
      for (int u0 = 0; u0 < task.universe; u0 += block) {
        int rows = Math.min(block, task.universe - u0);
        GroupScores.score(
            users,
            u0,
            rows,
            groupBuffer,
            size,
            task.groupScale,
            task.aggregation,
            ops,
            groupScores,
            scores,
            u0,
            task.groupSeen,
            position);
      }
    }

    /** Full ranking of query slot k whose scores are at scores[off, off + universe). */
    private void evaluateFull(int k, int off) {
      int q = task.queries[k];
      Interactions ex = task.exclude;
      for (int p = ex.start(q); p < ex.end(q); p++) {
        scores[off + ex.cols()[p]] = Float.NEGATIVE_INFINITY;
      }
      Interactions rel = task.relevant;
      int m = rel.rowLength(q);
      for (int j = 0; j < m; j++) {
        relevantPos[j] = rel.cols()[rel.start(q) + j];
      }
      rankQuery(k, off, task.universe, ex.rowLength(q), m, null);
    }

    /** Sampled ranking of query slot k: scores its candidate set with dot products. */
    private void evaluateSampled(int k) {
      int q = task.queries[k];
      ProtocolSplit split = task.sampledFrom;
      int len = split.numCandidates(q);
      EmbeddingTable qt = task.queryTable;
      EmbeddingTable ct = task.candidateTable;
      int qOff = qt.offset(q);
      for (int c = 0; c < len; c++) {
        scores[c] = ops.dot(qt.data(), qOff, ct.data(), ct.offset(split.candidate(q, c)), dim);
      }
      Interactions rel = task.relevant;
      int m = rel.rowLength(q);
      for (int j = 0; j < m; j++) {
        relevantPos[j] = candidatePosition(split, q, len, rel.cols()[rel.start(q) + j]);
      }
      rankQuery(k, 0, len, 0, m, split);
    }

    private static int candidatePosition(ProtocolSplit split, int q, int len, int candidate) {
      int lo = 0;
      int hi = len - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = split.candidate(q, mid);
        if (c < candidate) {
          lo = mid + 1;
        } else if (c > candidate) {
          hi = mid - 1;
        } else {
          return mid;
        }
      }
      throw new IllegalStateException(
          "relevant candidate " + candidate + " of query " + q + " is not among its candidates");
    }

    /**
     * Pessimistic ranks, AUC counts and top list of one query from scores[off, off + len) ({@code
     * excluded} of them set to -Infinity) and the positions relevantPos[0, m). With the relevant
     * scores sorted ascending (rs), it needs per j: atLeast[j] = #{c : s_c ≥ rs[j]} (rs[j]'s
     * pessimistic rank, the candidate itself included) and greater[j] = #{c : s_c > rs[j]} (for
     * AUC's ties), from {@link #countRanks} or {@link #histogramRanks}; the top list comes from
     * {@link #scanTop}.
     */
    private void rankQuery(int k, int off, int len, int excluded, int m, ProtocolSplit sampled) {
      final float[] s = scores;
      final float[] rs = relevantScores;
      for (int j = 0; j < m; j++) {
        float v = s[off + relevantPos[j]];
        if (!Float.isFinite(v)) {
          throw new IllegalStateException(
              "the model scores a relevant candidate "
                  + v
                  + " (query "
                  + task.queries[k]
                  + "); it may have diverged");
        }
        rs[j] = v;
      }
      Arrays.sort(rs, 0, m);
      scanTop(k, off, len);
      // Rough cost model from measurements on the project machine: a countAtLeast pass costs
      // about 0.05 ns per score (16 lanes), the histogram pass about 0.5 ns per score plus about
      // 15 ns per score at or above the lowest relevant one (a binary search). Counting costs two
      // passes per relevant score, so it wins while m ≤ 5 + 150 · (share of scores ≥ rs[0]).
      // Either way the ranks are the same; only the time differs.
      int atLeastLowest = ops.countAtLeast(s, off, len, rs[0]);
      boolean count =
          switch (rankPass) {
            case COUNT -> true;
            case HISTOGRAM -> false;
            case AUTO -> m <= 5 + 150L * atLeastLowest / Math.max(1, len);
          };
      if (count) {
        countRanks(off, len, m, atLeastLowest);
      } else {
        histogramRanks(off, len, m);
      }
      int numCandidates = len - excluded;
      int numIrrelevant = numCandidates - m;
      long twice = 0;
      int rankBase = out.rankStart[k];
      for (int j = m - 1; j >= 0; j--) {
        // rank = 1 + #{c ≠ r : s_c ≥ s_r}; atLeast counts r itself.
        out.ranks[rankBase + (m - 1 - j)] = atLeastCount[j];
        int relevantGreater = m - countAtOrBelow(rs, m, rs[j]);
        int relevantAtLeast = m - countBelow(rs, m, rs[j]);
        int irrelevantGreater = greaterCount[j] - relevantGreater;
        int irrelevantAtLeast = atLeastCount[j] - relevantAtLeast;
        int below = numIrrelevant - irrelevantAtLeast;
        int tied = irrelevantAtLeast - irrelevantGreater;
        twice += 2L * below + tied;
      }
      out.twiceCorrect[k] = twice;
      out.numCandidates[k] = numCandidates;
      int n = topK.drainBestFirst(topPositions, null, 0);
      int topOff = k * out.maxN;
      for (int t = 0; t < n; t++) {
        out.top[topOff + t] =
            sampled == null ? topPositions[t] : sampled.candidate(task.queries[k], topPositions[t]);
      }
      out.topSize[k] = n;
    }

    /**
     * Fills {@link #topK} with the best of scores[off, off + len) (ties to the smaller position)
     * and rejects a NaN score anywhere. Two passes over chunks of {@value #SCAN_CHUNK} scores:
     *
     * <ol>
     *   <li>one {@link VectorOps#max} per chunk (NaN propagates through max, so a NaN chunk is
     *       walked to name the first NaN); the N-th largest chunk max is a lower bound of the N-th
     *       largest score (the N chunks holding the N largest maxima each hold a score at least
     *       that high), so a chunk whose max is below it holds no top-N score and is skipped;
     *   <li>the remaining chunks in increasing position order, each skipped too when its max does
     *       not beat the heap's threshold; a walked chunk offers the scores that beat it. A score
     *       tying the threshold would lose the tie to the smaller positions already held, so only
     *       strictly better ones are offered; −∞ (excluded) never is.
     * </ol>
     *
     * The heap ends holding the N best of all non-excluded positions, exactly as if every score had
     * been offered in order.
     */
    private void scanTop(int k, int off, int len) {
      final float[] s = scores;
      final int chunks = (len + SCAN_CHUNK - 1) / SCAN_CHUNK;
      for (int b = 0; b < chunks; b++) {
        int c = b * SCAN_CHUNK;
        float max = ops.max(s, off + c, Math.min(SCAN_CHUNK, len - c));
        if (Float.isNaN(max)) {
          offerRange(k, off, c, len, Float.POSITIVE_INFINITY); // throws at the first NaN
        }
        chunkMax[b] = max;
      }
      float bound = Float.NEGATIVE_INFINITY;
      if (chunks >= topK.k()) {
        chunkTop.clear();
        float admit = Float.NEGATIVE_INFINITY;
        for (int b = 0; b < chunks; b++) {
          if (chunkMax[b] > admit) {
            chunkTop.offer(b, chunkMax[b]);
            admit = chunkTop.threshold();
          }
        }
        bound = chunkTop.threshold();
      }
      topK.clear();
      float admit = Float.NEGATIVE_INFINITY; // TopK's threshold, cached
      for (int b = 0; b < chunks; b++) {
        float max = chunkMax[b];
        if (max > admit && max >= bound) {
          int c = b * SCAN_CHUNK;
          admit = offerRange(k, off, c, Math.min(len, c + SCAN_CHUNK), admit);
        }
      }
    }

    /**
     * Offers positions [from, to) that beat {@code admit} to {@link #topK}; returns the new
     * threshold.
     */
    private float offerRange(int k, int off, int from, int to, float admit) {
      final float[] s = scores;
      for (int c = from; c < to; c++) {
        float v = s[off + c];
        if (v > admit) {
          topK.offer(c, v);
          admit = topK.threshold();
        } else if (Float.isNaN(v)) {
          throw new IllegalStateException(
              "the model scores candidate " + c + " NaN (query " + task.queries[k] + ")");
        }
      }
      return admit;
    }

    /**
     * atLeast[j] and greater[j] by one {@link VectorOps#countAtLeast} pass over the row per
     * distinct relevant score (the lowest one's, {@code atLeastLowest}, already counted) and one
     * per distinct successor: for finite t and non-NaN s, s > t ⟺ s ≥ {@link Math#nextUp(float)
     * nextUp}(t). −∞ (excluded) never counts against a finite score. O(m · len) vector compares,
     * cheap for the small m of most queries.
     */
    private void countRanks(int off, int len, int m, int atLeastLowest) {
      final float[] rs = relevantScores;
      for (int j = m - 1; j >= 0; j--) {
        if (j < m - 1 && rs[j] == rs[j + 1]) {
          atLeastCount[j] = atLeastCount[j + 1];
          greaterCount[j] = greaterCount[j + 1];
          continue;
        }
        atLeastCount[j] = j == 0 ? atLeastLowest : ops.countAtLeast(scores, off, len, rs[j]);
        float up = Math.nextUp(rs[j]);
        greaterCount[j] =
            j < m - 1 && up == rs[j + 1]
                ? atLeastCount[j + 1]
                : ops.countAtLeast(scores, off, len, up);
      }
    }

    /**
     * atLeast[j] and greater[j] in one pass over the candidates, for queries with many relevant
     * candidates: each candidate c adds 1 to low[#rs < s_c] and high[#rs ≤ s_c] (index 0, the
     * common case of a candidate below every relevant one, is not needed and skipped); then
     * greater[j] and atLeast[j] are the suffix sums of low and high above j. NaN scores were
     * rejected by {@link #scanTop}.
     */
    private void histogramRanks(int off, int len, int m) {
      final float[] s = scores;
      final float[] rs = relevantScores;
      final int[] low = greaterCount;
      final int[] high = atLeastCount;
      Arrays.fill(low, 0, m + 1, 0);
      Arrays.fill(high, 0, m + 1, 0);
      final float r0 = rs[0];
      for (int c = 0; c < len; c++) {
        float v = s[off + c];
        if (v < r0) {
          continue; // below every relevant score (excluded ones too): counts nowhere
        }
        int atOrBelow = countAtOrBelow(rs, m, v);
        int below = atOrBelow;
        while (below > 0 && rs[below - 1] == v) {
          below--; // exact ties with relevant scores are rare: walk down instead of a second search
        }
        low[below]++;
        high[atOrBelow]++;
      }
      // In place: index j takes the suffix sum over (j, m]; each count is read before it is
      // overwritten.
      int greater = 0;
      int atLeast = 0;
      int nextLow = low[m];
      int nextHigh = high[m];
      for (int j = m - 1; j >= 0; j--) {
        greater += nextLow;
        atLeast += nextHigh;
        nextLow = low[j];
        nextHigh = high[j];
        low[j] = greater;
        high[j] = atLeast;
      }
    }

    /** #{j < m : rs[j] < v}, rs ascending (NaN v counts as below everything). */
    private static int countBelow(float[] rs, int m, float v) {
      int lo = 0;
      int hi = m;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (rs[mid] < v) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    /**
     * #{j < m : rs[j] ≤ v}, rs ascending, m ≥ 1. The search narrows [base, base + n) with a select
     * rather than a branch (the JIT emits a conditional move), because on random-looking scores the
     * comparison is unpredictable and mispredictions dominate.
     */
    private static int countAtOrBelow(float[] rs, int m, float v) {
      int base = 0;
      int n = m;
      while (n > 1) {
        int half = n >>> 1;
        base = rs[base + half] <= v ? base + half : base;
        n -= half;
      }
      return base + (rs[base] <= v ? 1 : 0);
    }
  }
}
