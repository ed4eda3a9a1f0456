package org.totalrecall.train.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.totalrecall.data.Interactions;
import org.totalrecall.linalg.EmbeddingTable;
import org.totalrecall.linalg.VectorOps;
import org.totalrecall.model.FactorModel;
import org.totalrecall.retrieval.TopK;
import org.totalrecall.train.TrainConfig;
import org.totalrecall.train.TrainResult;
import org.totalrecall.train.Trainer;
import org.totalrecall.train.TrainingListener;
import org.totalrecall.train.Validator;

/**
 * Test-scope tool (not a test) that measures the trainer on the ML-1M NCF split (protocol {@code
 * ncf}: HR/NDCG@10 over the held-out item and its distinct negatives, pessimistic ties) and on
 * Gowalla's LightGCN split (protocol {@code full}: Recall/NDCG@20 over all items, train items
 * excluded), before the data and eval packages exist. Usage: {@code AccuracyHarness <ncf|gowalla>
 * <dir> [key=value ...]} with keys epochs, lr, tau, l2, batch, dim, threads, seed, evalEvery,
 * objective, logq, optimizer, initStd.
 */
public final class AccuracyHarness {
  private AccuracyHarness() {}

  public static void main(String[] args) throws IOException {
    String kind = args[0];
    Path dir = Path.of(args[1]);
    TrainConfig c = TrainConfig.defaults().withThreads(2).withPatience(0).withKeepBest(false);
    for (int a = 2; a < args.length; a++) {
      String[] kv = args[a].split("=", 2);
      c =
          switch (kv[0]) {
            case "epochs" -> c.withEpochs(Integer.parseInt(kv[1]));
            case "lr" -> c.withLearningRate(Float.parseFloat(kv[1]));
            case "tau" -> c.withTemperature(Float.parseFloat(kv[1]));
            case "l2" -> c.withL2(Float.parseFloat(kv[1]));
            case "batch" -> c.withBatchSize(Integer.parseInt(kv[1]));
            case "dim" -> c.withDim(Integer.parseInt(kv[1]));
            case "threads" -> c.withThreads(Integer.parseInt(kv[1]));
            case "seed" -> c.withSeed(Long.parseLong(kv[1]));
            case "evalEvery" -> c.withEvalEvery(Integer.parseInt(kv[1]));
            case "objective" ->
                c.withObjective(
                    org.totalrecall.train.ObjectiveSpec.parse(
                        kv[1], org.totalrecall.train.Params.none()));
            case "optimizer" -> c.withOptimizer(org.totalrecall.train.OptimizerKind.parse(kv[1]));
            case "decay" ->
                c.withLearningRateDecay(
                    org.totalrecall.train.LearningRateSchedule.Decay.valueOf(kv[1]));
            case "initStd" -> c.withInitStd(Float.parseFloat(kv[1]));
            default -> throw new IllegalArgumentException("unknown key " + kv[0]);
          };
    }
    System.out.println("vectorOps=" + VectorOps.best().name() + " config=" + c.toMap());
    Interactions train;
    Validator validator;
    if (kind.equals("ncf")) {
      train = readNcfTrain(dir.resolve("ml-1m.train.rating"));
      validator = ncfValidator(dir.resolve("ml-1m.test.negative"));
    } else {
      List<int[]> tr = readLightGcn(dir.resolve("train.txt"));
      List<int[]> te = readLightGcn(dir.resolve("test.txt"));
      train = fromRows(tr, maxItem(tr, te) + 1);
      validator = fullValidator(te, 20);
    }
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void onEpochEnd(int epoch, double meanLoss, long records) {
            System.out.printf("epoch %d loss %.5f records %d%n", epoch, meanLoss, records);
          }

          @Override
          public void onEvaluation(
              int epoch, long records, Map<String, Double> m, boolean improved) {
            System.out.println("eval epoch " + epoch + " " + new java.util.TreeMap<>(m));
          }
        };
    TrainResult r = Trainer.train(train, null, null, c, validator, listener);
    System.out.println("summary " + r.summary().toMap());
  }

  static Interactions readNcfTrain(Path f) throws IOException {
    List<int[]> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(f)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] p = line.split("\t", -1);
        int u = Integer.parseInt(p[0]);
        int i = Integer.parseInt(p[1]);
        while (rows.size() <= u) {
          rows.add(new int[0]);
        }
        int[] old = rows.get(u);
        int[] nw = java.util.Arrays.copyOf(old, old.length + 1);
        nw[old.length] = i;
        rows.set(u, nw);
      }
    }
    return fromRows(rows, 3706);
  }

  static Interactions fromRows(List<int[]> rows, int numItems) {
    int n = 0;
    for (int[] r : rows) {
      n += r.length;
    }
    int[] us = new int[n];
    int[] is = new int[n];
    int k = 0;
    for (int u = 0; u < rows.size(); u++) {
      for (int i : rows.get(u)) {
        us[k] = u;
        is[k++] = i;
      }
    }
    return Interactions.fromPairs(rows.size(), numItems, us, is, null, null, n);
  }

  static int maxItem(List<int[]> a, List<int[]> b) {
    int m = 0;
    for (List<int[]> l : List.of(a, b)) {
      for (int[] r : l) {
        for (int i : r) {
          m = Math.max(m, i);
        }
      }
    }
    return m;
  }

  static List<int[]> readLightGcn(Path f) throws IOException {
    List<int[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(f)) {
      String[] p = line.trim().split(" ", -1);
      int u = Integer.parseInt(p[0]);
      while (rows.size() <= u) {
        rows.add(new int[0]);
      }
      int[] items = new int[p.length - 1];
      for (int j = 1; j < p.length; j++) {
        items[j - 1] = Integer.parseInt(p[j]);
      }
      rows.set(u, items);
    }
    return rows;
  }

  static Validator ncfValidator(Path negFile) throws IOException {
    List<int[]> cands = new ArrayList<>();
    List<Integer> qusers = new ArrayList<>();
    for (String line : Files.readAllLines(negFile)) {
      String[] p = line.split("\t", -1);
      String[] up = p[0].substring(1, p[0].length() - 1).split(",", -1);
      int pos = Integer.parseInt(up[1]);
      LinkedHashSet<Integer> c = new LinkedHashSet<>();
      c.add(pos);
      for (int j = 1; j < p.length; j++) {
        c.add(Integer.parseInt(p[j]));
      }
      qusers.add(Integer.parseInt(up[0]));
      cands.add(c.stream().mapToInt(Integer::intValue).toArray());
    }
    return new Validator() {
      @Override
      public Map<String, Double> validate(FactorModel model) {
        EmbeddingTable u = model.retrievalUsers();
        EmbeddingTable it = model.retrievalItems();
        VectorOps ops = VectorOps.best();
        double hr = 0;
        double nd = 0;
        for (int q = 0; q < qusers.size(); q++) {
          int user = qusers.get(q);
          int[] c = cands.get(q);
          float pos = ops.dot(u.data(), u.offset(user), it.data(), it.offset(c[0]), u.dim());
          int rank = 1;
          for (int j = 1; j < c.length; j++) {
            if (ops.dot(u.data(), u.offset(user), it.data(), it.offset(c[j]), u.dim()) >= pos) {
              rank++;
            }
          }
          if (rank <= 10) {
            hr++;
            nd += 1.0 / (Math.log(rank + 1) / Math.log(2));
          }
        }
        Map<String, Double> m = new HashMap<>();
        m.put("hr@10", hr / qusers.size());
        m.put("ndcg@10", nd / qusers.size());
        return m;
      }
    };
  }

  static Validator fullValidator(List<int[]> test, int k) {
    return new Validator() {
      @Override
      public Map<String, Double> validate(FactorModel model) {
        EmbeddingTable u = model.retrievalUsers();
        EmbeddingTable it = model.retrievalItems();
        Interactions seen = model.seen();
        int d = u.dim();
        int numItems = it.rows();
        int n = (numItems + 63) / 64 * 64; // padded: blocked kernels like whole register tiles
        float[] itT = new float[d * n];
        for (int i = 0; i < numItems; i++) {
          for (int x = 0; x < d; x++) {
            itT[x * n + i] = it.data()[it.offset(i) + x];
          }
        }
        int block = 64;
        float[] out = new float[block * n];
        TopK top = new TopK(k);
        int[] idx = new int[k];
        float[] sc = new float[k];
        double rec = 0;
        double nd = 0;
        int users = 0;
        VectorOps ops = VectorOps.best();
        for (int u0 = 0; u0 < u.rows(); u0 += block) {
          int b = Math.min(block, u.rows() - u0);
          ops.gemmAb(u.data(), u.offset(u0), b, d, itT, 0, n, out, 0);
          for (int r = 0; r < b; r++) {
            int user = u0 + r;
            if (user >= test.size() || test.get(user).length == 0) {
              continue;
            }
            for (int p = seen.start(user); p < seen.end(user); p++) {
              out[r * n + seen.cols()[p]] = Float.NEGATIVE_INFINITY;
            }
            top.clear();
            for (int i = 0; i < numItems; i++) {
              top.offer(i, out[r * n + i]);
            }
            int got = top.drainBestFirst(idx, sc, 0);
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (int i : test.get(user)) {
              truth.add(i);
            }
            int hits = 0;
            double dcg = 0;
            for (int j = 0; j < got; j++) {
              if (truth.contains(idx[j])) {
                hits++;
                dcg += 1.0 / (Math.log(j + 2) / Math.log(2));
              }
            }
            double idcg = 0;
            for (int j = 0; j < Math.min(k, truth.size()); j++) {
              idcg += 1.0 / (Math.log(j + 2) / Math.log(2));
            }
            rec += (double) hits / truth.size();
            nd += dcg / idcg;
            users++;
          }
        }
        Map<String, Double> m = new HashMap<>();
        m.put("recall@" + k, rec / users);
        m.put("ndcg@" + k, nd / users);
        return m;
      }

      @Override
      public String monitoredMetric() {
        return "ndcg@" + k;
      }
    };
  }
}
