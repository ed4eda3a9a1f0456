package org.totalrecall.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.SyntheticData;
import org.totalrecall.eval.EvalOptions;
import org.totalrecall.eval.EvaluationResult;
import org.totalrecall.eval.Evaluator;
import org.totalrecall.eval.Protocol;
import org.totalrecall.eval.ProtocolOptions;
import org.totalrecall.eval.ProtocolSplit;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.Aggregation;
import org.totalrecall.retrieval.Neighbors;
import org.totalrecall.retrieval.Recommender;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.TrainResult;
import org.totalrecall.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall demo}: the whole loop on planted-cluster data in seconds. Generates {@link
 * SyntheticData} (users and items in taste clusters, one held-out item per user), trains
 * Bi-InfoNCE, evaluates full-ranking leave-one-out, shows u2i and i2u results, and measures how
 * much of every top-10 list falls in the query's own cluster against the 1/clusters of chance.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Trains and queries a model on planted-cluster data.",
      "Trains Bi-InfoNCE on generated data with planted taste clusters, evaluates it, shows "
          + "recommendations (u2i) and audiences (i2u), and checks that both directions recover the clusters."
    })
final class DemoCommand implements Callable<Integer> {
  /** Top-list length of the examples and of the planted-structure check. */
  static final int K = 10;

  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(
      names = "--epochs",
      defaultValue = "5",
      paramLabel = "N",
      description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--dim",
      defaultValue = "32",
      paramLabel = "D",
      description = "Embedding width (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(
      names = "--lr",
      defaultValue = "0.01",
      paramLabel = "RATE",
      description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "SEED",
      description = "Training seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "Worker threads (default: all processors).")
  Integer threads;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--quiet", description = "No progress output on stderr.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int t =
        threads == null
            ? Runtime.getRuntime().availableProcessors()
            : Limits.threads(threads, "--threads");
    TrainConfig config;
    try {
      config =
          TrainConfig.defaults()
              .withDim(dim)
              .withEpochs(epochs)
              .withLearningRate(lr)
              .withSeed(seed)
              .withThreads(t)
              .withPatience(0)
              .withKeepBest(false);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(Flags.rename(e.getMessage()));
    }
    boolean human = !json && !quiet && main.errTerminal();
    SyntheticData.Spec planted = SyntheticData.Spec.demo();
    Dataset data = SyntheticData.generate(planted);
    ProtocolSplit split = Splits.split(Protocol.FULL, data, ProtocolOptions.DEFAULT_SEED);
    if (human) {
      err.println(
          "generated "
              + data.numUsers()
              + " users, "
              + data.numItems()
              + " items in "
              + planted.numClusters()
              + " clusters (affinity "
              + planted.affinity()
              + "); "
              + split.train().size()
              + " train, "
              + split.test().size()
              + " held-out interactions");
    }
    ProgressReporter progress =
        new ProgressReporter(
            err,
            ProgressReporter.barWanted(main.errTerminal(), quiet, json) ? main.errStream() : null,
            human,
            config.epochs());
    TrainResult trained =
        Trainer.train(split.train(), data.users(), data.items(), config, null, progress);
    FactorModel model = trained.model();
    EvaluationResult eval =
        Evaluator.evaluate(
            model, split, EvalOptions.defaults().withCutoffs(List.of(K)).withThreads(t));
    Recommender rec = new Recommender(model, t);

    Map<String, Object> examples = new LinkedHashMap<>();
    List<Map<String, Object>> users = new ArrayList<>();
    for (int u = 0; u < 2; u++) {
      users.add(
          example(
              "user",
              data.users().idOf(u),
              SyntheticData.userCluster(planted, u),
              rec.recommendItems(u, K, true),
              data,
              planted,
              false));
    }
    examples.put("recommendations", users);
    int item = 0;
    examples.put(
        "audience",
        example(
            "item",
            data.items().idOf(item),
            SyntheticData.itemCluster(planted, item),
            rec.recommendUsers(item, K, true),
            data,
            planted,
            true));
    // three mid-popularity items of cluster 3 (ranks 30-32): the most popular ones are in the
    // training data of nearly every cluster-3 user, who are then (rightly) excluded
    int groupCluster = 3 % planted.numClusters();
    int[] group = new int[3];
    for (int j = 0; j < group.length; j++) {
      group[j] = groupCluster + (30 + j) * planted.numClusters();
    }
    List<String> groupIds = new ArrayList<>();
    for (int i : group) {
      groupIds.add(data.items().idOf(i));
    }
    Map<String, Object> groupExample =
        example(
            "items",
            String.join(",", groupIds),
            groupCluster,
            rec.recommendUsersForItems(group, K, Aggregation.MEAN, true),
            data,
            planted,
            true);
    examples.put("groupAudience", groupExample);

    double u2i = inClusterShareU2i(rec, planted, data.numUsers());
    double i2u = inClusterShareI2u(rec, planted, data.numItems());
    double chance = 1.0 / planted.numClusters();
    boolean recovered = u2i >= 5 * chance && i2u >= 5 * chance;
    Map<String, Object> structure = new LinkedHashMap<>();
    structure.put("clusters", planted.numClusters());
    structure.put("chance", chance);
    structure.put("u2iInClusterShareAt10", u2i);
    structure.put("i2uInClusterShareAt10", i2u);
    structure.put("recovered", recovered);

    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("command", "demo");
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("users", planted.numUsers());
      d.put("items", planted.numItems());
      d.put("clusters", planted.numClusters());
      d.put("interactionsPerUser", planted.interactionsPerUser());
      d.put("affinity", planted.affinity());
      d.put("seed", planted.seed());
      doc.put("data", d);
      doc.put("config", config.toMap());
      doc.put("summary", trained.summary().toMap());
      doc.put("evaluation", eval.toMap());
      doc.put("examples", examples);
      doc.put("plantedStructure", structure);
      Json.print(out, doc);
    } else {
      out.println(
          String.format(
              Locale.ROOT,
              "trained bi-infonce (dim %d) in %.1f s, %s positives/s",
              config.dim(),
              trained.summary().trainSeconds(),
              Format.count(trained.summary().positivesPerSecond())));
      out.println(
          "held-out item per user, full ranking: "
              + Format.metrics(pick(eval.metrics(), "hr@10", "ndcg@10", "recall@10")));
      for (Map<String, Object> ex : users) {
        printExample(out, "top " + K + " items for user ", ex);
      }
      printExample(out, "top " + K + " users for item ", castMap(examples.get("audience")));
      printExample(out, "top " + K + " users for the item group ", groupExample);
      out.println(
          String.format(
              Locale.ROOT,
              "planted clusters: %.1f%% of top-%d items are in the user's cluster, %.1f%% of top-%d users in the item's (chance %.0f%%): %s",
              100 * u2i,
              K,
              100 * i2u,
              K,
              100 * chance,
              recovered ? "recovered" : "NOT recovered"));
      out.flush();
    }
    return ExitCodes.OK;
  }

  private static Map<String, Double> pick(Map<String, Double> metrics, String... keys) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String k : keys) {
      if (metrics.containsKey(k)) {
        m.put(k, metrics.get(k));
      }
    }
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }

  /**
   * One example query: its id and cluster, and each result with its cluster and whether it matches.
   */
  private static Map<String, Object> example(
      String kind,
      String id,
      int cluster,
      Neighbors top,
      Dataset data,
      SyntheticData.Spec spec,
      boolean resultsAreUsers) {
    Map<String, Object> ex = new LinkedHashMap<>();
    ex.put(kind, id);
    ex.put("cluster", cluster);
    List<Map<String, Object>> rows = new ArrayList<>();
    int in = 0;
    for (int r = 0; r < top.size(); r++) {
      int idx = top.index(r);
      int c =
          resultsAreUsers
              ? SyntheticData.userCluster(spec, idx)
              : SyntheticData.itemCluster(spec, idx);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("rank", r + 1);
      row.put(
          resultsAreUsers ? "user" : "item",
          resultsAreUsers ? data.users().idOf(idx) : data.items().idOf(idx));
      row.put("score", (double) top.score(r));
      row.put("cluster", c);
      rows.add(row);
      in += c == cluster ? 1 : 0;
    }
    ex.put("inCluster", in);
    ex.put("results", rows);
    return ex;
  }

  private static void printExample(PrintWriter out, String title, Map<String, Object> ex) {
    String idKey = ex.containsKey("user") ? "user" : ex.containsKey("item") ? "item" : "items";
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) ex.get("results");
    out.println();
    out.println(
        title
            + ex.get(idKey)
            + " (cluster "
            + ex.get("cluster")
            + "): "
            + ex.get("inCluster")
            + "/"
            + rows.size()
            + " in cluster");
    StringBuilder sb = new StringBuilder("  ");
    for (Map<String, Object> row : rows) {
      Object id = row.containsKey("user") ? row.get("user") : row.get("item");
      sb.append(id).append(row.get("cluster").equals(ex.get("cluster")) ? "" : "*").append(' ');
    }
    out.println(sb.toString().stripTrailing() + "   (* = other cluster)");
  }

  /** Mean over users of the share of their top-K unseen items that lie in their own cluster. */
  static double inClusterShareU2i(Recommender rec, SyntheticData.Spec spec, int numUsers) {
    long in = 0;
    long total = 0;
    for (int u = 0; u < numUsers; u++) {
      Neighbors top = rec.recommendItems(u, K, true);
      for (int r = 0; r < top.size(); r++) {
        in +=
            SyntheticData.itemCluster(spec, top.index(r)) == SyntheticData.userCluster(spec, u)
                ? 1
                : 0;
      }
      total += top.size();
    }
    return (double) in / total;
  }

  /**
   * Mean over items of the share of their top-K audience (users without the item) in the item's
   * cluster.
   */
  static double inClusterShareI2u(Recommender rec, SyntheticData.Spec spec, int numItems) {
    long in = 0;
    long total = 0;
    for (int i = 0; i < numItems; i++) {
      Neighbors top = rec.recommendUsers(i, K, true);
      for (int r = 0; r < top.size(); r++) {
        in +=
            SyntheticData.userCluster(spec, top.index(r)) == SyntheticData.itemCluster(spec, i)
                ? 1
                : 0;
      }
      total += top.size();
    }
    return (double) in / total;
  }
}
