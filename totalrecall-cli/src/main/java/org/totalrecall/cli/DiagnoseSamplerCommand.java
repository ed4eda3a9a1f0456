package org.totalrecall.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.sampler.CandidateLayout;
import org.totalrecall.sampler.RowCandidates;
import org.totalrecall.sampler.RowSampler;
import org.totalrecall.sampler.SamplerContext;
import org.totalrecall.train.ModelSpec;
import org.totalrecall.train.Params;
import org.totalrecall.train.SamplerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code totalrecall diagnose-sampler}: how close a per-row sampler's negative items come to the
 * model's exact softmax over the catalogue (AdaSIR's Fig. 2 and Table 3 as numbers).
 */
@Command(
    name = "diagnose-sampler",
    mixinStandardHelpOptions = true,
    description = {
      "Measures how close a sampler's negative items are to the trained model's softmax: for each of a seeded"
          + " sample of users, the empirical distribution of K drawn negatives against p(j|u) = softmax over the"
          + " items the user has no training interaction with of the model's score, as total variation (1/2 sum |p - q|)"
          + " and KL(q || p) of the empirical q, averaged over the users; and the time per draw.",
      "Per-row samplers only (uniform, popularity, dns, aobpr, adasir, adasir-w, pris, kernel); their options as --option"
          + " KEY=VALUE (e.g. --option candidates=20). The model must store its training interactions (models written"
          + " by 'train' do).",
      "A sampler with per-epoch state (AdaSIR's pools, AOBPR's lists) is given a new epoch every --epoch-every draws"
          + " of a user; AdaSIR's Fig. 2 updates the pool for every 10 draws."
    })
final class DiagnoseSamplerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "Model file written by 'train'.")
  Path model;

  @Option(
      names = "--sampler",
      required = true,
      paramLabel = "NAME",
      description =
          "A per-row sampler (uniform, popularity, dns, aobpr, adasir, adasir-w, pris, kernel).")
  String sampler;

  @Option(
      names = "--option",
      paramLabel = "KEY=VALUE",
      description = "A parameter of the sampler, e.g. candidates=20.")
  List<String> options = new ArrayList<>();

  @Option(
      names = "--users",
      defaultValue = "100",
      paramLabel = "N",
      description = "Users sampled (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--user",
      paramLabel = "ID",
      description = "One user (external id) instead of a sample.")
  String user;

  @Option(
      names = "--draws",
      defaultValue = "20000",
      paramLabel = "K",
      description = "Negatives drawn per user (default: ${DEFAULT-VALUE}).")
  int draws;

  @Option(
      names = "--epoch-every",
      defaultValue = "0",
      paramLabel = "K",
      description =
          "Start a new sampler epoch every K draws of a user (0, the default: one epoch for all draws).")
  int epochEvery;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "SEED",
      description = "Seed of the users and the draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (users <= 0 || draws <= 0) {
      throw CliException.usage("--users and --draws must be > 0");
    }
    if (epochEvery < 0) {
      throw CliException.usage("--epoch-every must be >= 0, got " + epochEvery);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String o : options) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw CliException.usage("--option must be KEY=VALUE, got '" + o + "'");
      }
      values.put(o.substring(0, eq), o.substring(eq + 1));
    }
    SamplerSpec spec0;
    try {
      spec0 = SamplerSpec.parse(sampler, Params.of(values));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    if (spec0.layout() != CandidateLayout.PER_ROW) {
      throw CliException.usage(
          "--sampler "
              + sampler
              + " gives "
              + spec0.layout()
              + " candidates; diagnose-sampler measures"
              + " per-row samplers (uniform, popularity, dns)");
    }
    FactorModel m = ModelFiles.load(model);
    Interactions seen = m.seen();
    if (seen == null) {
      throw CliException.data(
          model + " stores no training interactions, which the sampler and the softmax need");
    }
    boolean cosine = m.scorer().isCosine();
    String modelProblem =
        spec0.modelProblem(
            new ModelSpec(
                m.dim(), m.scorer().kind(), cosine ? m.scorer().temperature() : 1f, 0.1f));
    if (modelProblem != null) {
      throw CliException.usage(
          modelProblem.replace(
              "give --scorer dot", "diagnose it on a model trained with --scorer dot"));
    }
    float phi = cosine ? 1f / m.scorer().temperature() : 1f;
    RowSampler rows =
        spec0
            .createRows(
                new SamplerContext(
                    seen, 1, m.userTable(), m.itemTable(), true, true, cosine, phi, seed))
            .forWorker();
    int width = rows.width();
    int[] chosen = pickUsers(m, seen);
    SplittableRandom rng = new SplittableRandom(seed);
    VectorOps ops = VectorOps.best();
    EmbeddingTable ru = m.retrievalUsers();
    EmbeddingTable ri = m.retrievalItems();
    int numItems = m.numItems();
    double tvSum = 0;
    double klSum = 0;
    long drawn = 0;
    long nanos = 0;
    RowCandidates out = new RowCandidates(1, width);
    long[] counts = new long[numItems];
    double[] p = new double[numItems];
    List<Map<String, Object>> perUser = new ArrayList<>();
    for (int u : chosen) {
      java.util.Arrays.fill(counts, 0);
      int positive = seen.cols()[seen.start(u)];
      int[] us = {u};
      int[] is = {positive};
      int got = 0;
      int epoch = 1;
      int sinceEpoch = 0;
      long t0 = System.nanoTime();
      rows.beginEpoch(epoch);
      while (got < draws) {
        if (epochEvery > 0 && sinceEpoch >= epochEvery) {
          rows.beginEpoch(++epoch);
          sinceEpoch = 0;
        }
        sinceEpoch += width - 1;
        rows.sample(us, is, null, 0, 1, rng, out);
        for (int k = 1; k < width && got < draws; k++) {
          counts[out.items()[k]]++;
          got++;
        }
      }
      nanos += System.nanoTime() - t0;
      drawn += got;
      // the model's softmax over the items the user has no training interaction with
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < numItems; j++) {
        p[j] =
            seen.contains(u, j)
                ? Double.NEGATIVE_INFINITY
                : phi * ops.dot(ru.data(), ru.offset(u), ri.data(), ri.offset(j), ru.dim());
        max = Math.max(max, p[j]);
      }
      double z = 0;
      for (int j = 0; j < numItems; j++) {
        p[j] = Math.exp(p[j] - max);
        z += p[j];
      }
      double tv = 0;
      double kl = 0;
      for (int j = 0; j < numItems; j++) {
        double pj = p[j] / z;
        double qj = counts[j] / (double) got;
        tv += Math.abs(pj - qj);
        if (qj > 0) {
          kl += qj * Math.log(qj / Math.max(pj, Double.MIN_NORMAL));
        }
      }
      tv /= 2;
      tvSum += tv;
      klSum += kl;
      if (user != null) {
        perUser.add(Map.of("user", m.userIds().idOf(u), "totalVariation", tv, "kl", kl));
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("command", "diagnose-sampler");
    doc.put("model", model.toString());
    doc.put("sampler", spec0.toMap());
    doc.put("users", chosen.length);
    doc.put("drawsPerUser", draws);
    doc.put("epochEvery", epochEvery);
    doc.put("meanTotalVariation", tvSum / chosen.length);
    doc.put("meanKlEmpiricalToSoftmax", klSum / chosen.length);
    doc.put("microsPerDraw", nanos / 1e3 / Math.max(1, drawn));
    if (!perUser.isEmpty()) {
      doc.put("perUser", perUser);
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Json.print(w, doc);
    } else {
      w.printf(
          Locale.ROOT,
          "%s against the model's softmax, %d users x %,d draws: total variation %.4f, KL(q||p) %.4f,"
              + " %.3f us per draw%n",
          sampler,
          chosen.length,
          draws,
          tvSum / chosen.length,
          klSum / chosen.length,
          nanos / 1e3 / Math.max(1, drawn));
    }
    w.flush();
    return ExitCodes.OK;
  }

  /** The --user, or a seeded sample of --users users with training interactions. */
  private int[] pickUsers(FactorModel m, Interactions seen) {
    if (user != null) {
      int u = ModelFiles.resolve(m.userIds(), user, "user");
      if (seen.rowLength(u) == 0) {
        throw CliException.data(
            "user \"" + user + "\" has no training interactions to take a positive from");
      }
      return new int[] {u};
    }
    List<Integer> eligible = new ArrayList<>();
    for (int u = 0; u < m.numUsers(); u++) {
      if (seen.rowLength(u) > 0) {
        eligible.add(u);
      }
    }
    java.util.Collections.shuffle(eligible, new java.util.Random(seed));
    int n = Math.min(users, eligible.size());
    int[] out = new int[n];
    for (int k = 0; k < n; k++) {
      out[k] = eligible.get(k);
    }
    java.util.Arrays.sort(out);
    return out;
  }
}
