package org.totalrecall.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the papers' tables that {@code reproduce} runs: what the paper reports, and the
 * {@code train} / {@code evaluate} flags of ours (the settings of BENCHMARKS.md, chosen on
 * validation parts). Adding a row is one entry here. Rows that share a {@code model} key share
 * one trained model (e.g. Table 5's aggregates of Table 3's Bi-InfoNCE model).
 *
 * <p>Published percentages are stored as fractions, as {@code evaluate} reports them.
 */
final class PaperRows {
  private PaperRows() {}

  /**
   * One row.
   *
   * @param id short name, for {@code --only}
   * @param source paper and table
   * @param method the paper's name of the method
   * @param data folder under the data root
   * @param protocol the protocol trained on (and evaluated on unless {@code evalArgs} says)
   * @param model key of the trained model (rows with one key share it)
   * @param train train flags beyond data, protocol, seed, threads and epochs
   * @param epochs epochs at most (early stopping on validation)
   * @param quickEpochs epochs at most under {@code --quick}
   * @param evalArgs evaluate flags beyond model and data
   * @param published metric → the paper's value
   * @param note what differs from the paper's setting, or empty
   */
  record Row(String id, String source, String method, String data, String protocol, String model, List<String> train,
      int epochs, int quickEpochs, List<String> evalArgs, Map<String, Double> published, String note) {}

  private static Map<String, Double> m(Object... kv) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int k = 0; k < kv.length; k += 2) {
      out.put((String) kv[k], ((Number) kv[k + 1]).doubleValue());
    }
    return out;
  }

  private static final String T1 = "TotalRecall (000) Table 1";
  private static final String T3 = "TotalRecall (000) Table 3";
  private static final String T5 = "TotalRecall (000) Table 5";
  private static final String ONEBP = "OneBP (004) Table 2";
  private static final String ADASIR = "AdaSIR (002) Table 2";
  private static final String ADASIR_NOTE = "AdaSIR's own Gowalla split, d 32, 200 epochs; ours: LightGCN split, d 64";
  private static final String T3_NOTE = "paper: MFb batch 4096; ours: per-example trainer, cosine, Adam";

  static final List<Row> ROWS = List.of(
      new Row("t1-tr", T1, "TR (ours) Bi-InfoNCE", "ml-1m-ncf", "ncf", "t1-tr", List.of("--objective", "bi-infonce"),
          30, 10, List.of(), m("hr@10", 0.7281, "ndcg@10", 0.4541), ""),
      new Row("t1-mfb", T1, "MFb (ours)", "ml-1m-ncf", "ncf", "t1-mfb", List.of("--objective", "mfb", "--ratio", "0:8"),
          30, 8, List.of(), m("hr@10", 0.726, "ndcg@10", 0.4505), ""),
      new Row("t1-ials", T1, "iALS (Dacrema et al. 2021)", "ml-1m-ncf", "ncf", "t1-ials",
          List.of("--objective", "ials", "--l2", "0.003", "--unobserved-weight", "0.3"), 15, 15, List.of(),
          m("hr@10", 0.7109, "ndcg@10", 0.4382), ""),
      new Row("t3-mfb-0-8", T3, "MFb [0:8]", "ml-1m", "pums", "t3-mfb-0-8",
          List.of("--objective", "mfb", "--ratio", "0:8", "--dim", "96"), 30, 6, List.of(),
          m("precision@10", 0.0147, "recall@10", 0.0561), T3_NOTE),
      new Row("t3-mfb-8-0", T3, "MFb [8:0]", "ml-1m", "pums", "t3-mfb-8-0",
          List.of("--objective", "mfb", "--ratio", "8:0", "--dim", "96"), 30, 6, List.of(),
          m("precision@10", 0.0444, "recall@10", 0.1282, "distinct@10", 2046), T3_NOTE),
      new Row("t3-mfb-4-4", T3, "MFb [4:4]", "ml-1m", "pums", "t3-mfb-4-4",
          List.of("--objective", "mfb", "--ratio", "4:4", "--dim", "96"), 30, 6, List.of(),
          m("precision@10", 0.0312, "recall@10", 0.0928), T3_NOTE),
      new Row("t3-mfb-8-8", T3, "MFb [8:8]", "ml-1m", "pums", "t3-mfb-8-8",
          List.of("--objective", "mfb", "--ratio", "8:8", "--dim", "96"), 30, 6, List.of(),
          m("precision@10", 0.0302, "recall@10", 0.0864), T3_NOTE),
      new Row("t3-uni-u2i", T3, "TR [Uni-InfoNCE u2i]", "ml-1m", "pums", "t3-uni-u2i",
          List.of("--objective", "infonce-u2i", "--dim", "96"), 30, 8, List.of(),
          m("precision@10", 0.0119, "recall@10", 0.0451), ""),
      new Row("t3-uni-i2u", T3, "TR [Uni-InfoNCE i2u]", "ml-1m", "pums", "t3-uni-i2u",
          List.of("--objective", "infonce-i2u", "--dim", "96"), 30, 8, List.of(),
          m("precision@10", 0.0435, "recall@10", 0.1278, "distinct@10", 2064), ""),
      new Row("t3-bi", T3, "TR [Bi-InfoNCE]", "ml-1m", "pums", "t3-bi",
          List.of("--objective", "bi-infonce", "--dim", "96", "--logq-weight", "1.5"), 30, 8, List.of(),
          m("precision@10", 0.0458, "recall@10", 0.1382, "distinct@10", 2202), "ours: log-q weight 1.5 (chosen on pums validation)"),
      new Row("t5-bi-mean", T5, "TR [Bi-InfoNCE] mean", "ml-1m", "pums", "t3-bi", List.of(), 30, 8,
          List.of("--protocol", "pums-group", "--aggregate", "mean"),
          m("precision@10", 0.2056, "recall@10", 0.0758, "distinct@10", 258), "PROTOCOLS.md's clarified pums-group"),
      new Row("t5-bi-max", T5, "TR [Bi-InfoNCE] max", "ml-1m", "pums", "t3-bi", List.of(), 30, 8,
          List.of("--protocol", "pums-group", "--aggregate", "max"), m("precision@10", 0.1648, "recall@10", 0.0701),
          "PROTOCOLS.md's clarified pums-group"),
      new Row("t5-bi-sum", T5, "TR [Bi-InfoNCE] sum", "ml-1m", "pums", "t3-bi", List.of(), 30, 8,
          List.of("--protocol", "pums-group", "--aggregate", "sum"), m("precision@10", 0.1241, "recall@10", 0.0679),
          "PROTOCOLS.md's clarified pums-group"),
      new Row("onebp-ml-mf", ONEBP, "MF (InfoNCE, random negatives)", "ml-1m", "random-split", "onebp-ml-mf",
          List.of("--scorer", "dot", "--objective", "sampled-softmax", "--sampler", "uniform", "--ratio", "0:64"), 30, 4,
          List.of(), m("precision@10", 0.3510, "recall@10", 0.1584, "ndcg@10", 0.3930), ""),
      new Row("onebp-ml-onebp", ONEBP, "OneBP", "ml-1m", "random-split", "onebp-ml-onebp",
          List.of("--scorer", "dot", "--objective", "sampled-softmax", "--sampler", "uniform", "--ratio", "0:64", "--update",
              "onebp"), 30, 4, List.of(), m("precision@10", 0.3709, "recall@10", 0.1746, "ndcg@10", 0.4182), ""),
      new Row("onebp-gw-mf", ONEBP, "MF (InfoNCE, random negatives)", "gowalla", "random-split", "onebp-gw-mf",
          List.of("--scorer", "dot", "--objective", "sampled-softmax", "--sampler", "uniform", "--ratio", "0:64"), 30, 2,
          List.of(), m("precision@10", 0.0560, "recall@10", 0.1122, "ndcg@10", 0.1076), ""),
      new Row("onebp-gw-onebp", ONEBP, "OneBP", "gowalla", "random-split", "onebp-gw-onebp",
          List.of("--scorer", "dot", "--objective", "sampled-softmax", "--sampler", "uniform", "--ratio", "0:64", "--update",
              "onebp"), 30, 2, List.of(), m("precision@10", 0.0715, "recall@10", 0.1431, "ndcg@10", 0.1356), ""),
      new Row("adasir-bpr", ADASIR, "BPR", "gowalla", "full", "adasir-bpr",
          List.of("--objective", "bpr", "--sampler", "uniform", "--scorer", "dot", "--l2", "0.003"), 30, 3, List.of(),
          m("ndcg@50", 0.1214, "recall@50", 0.1985), ADASIR_NOTE),
      new Row("adasir-aobpr", ADASIR, "AOBPR", "gowalla", "full", "adasir-aobpr",
          List.of("--objective", "bpr", "--sampler", "aobpr", "--rank-scale", "2000", "--scorer", "dot", "--l2", "0.0001"),
          30, 3, List.of(), m("ndcg@50", 0.1385, "recall@50", 0.2417), ADASIR_NOTE),
      new Row("adasir-warp", ADASIR, "WARP", "gowalla", "full", "adasir-warp", List.of("--objective", "warp", "--margin", "2"),
          30, 3, List.of(), m("ndcg@50", 0.1248, "recall@50", 0.2240), ADASIR_NOTE),
      new Row("adasir-dns", ADASIR, "DNS", "gowalla", "full", "adasir-dns",
          List.of("--objective", "bpr", "--sampler", "dns", "--candidates", "100", "--scorer", "dot", "--l2", "0.0001"), 30, 2,
          List.of(), m("ndcg@50", 0.1412, "recall@50", 0.1839), ADASIR_NOTE),
      new Row("adasir-pris-u", ADASIR, "PRIS(U)", "gowalla", "full", "adasir-pris-u",
          List.of("--objective", "is-bpr", "--sampler", "pris", "--scorer", "dot", "--l2", "0.01"), 30, 3, List.of(),
          m("ndcg@50", 0.1334, "recall@50", 0.2217), ADASIR_NOTE),
      new Row("adasir-pris-p", ADASIR, "PRIS(P)", "gowalla", "full", "adasir-pris-p",
          List.of("--objective", "is-bpr", "--sampler", "pris", "--proposal", "popularity", "--scorer", "dot", "--l2", "0.01"),
          30, 3, List.of(), m("ndcg@50", 0.1385, "recall@50", 0.2282), ADASIR_NOTE),
      new Row("adasir-kernel", ADASIR, "Kernel", "gowalla", "full", "adasir-kernel",
          List.of("--objective", "sampled-softmax", "--sampler", "kernel", "--ratio", "0:32", "--scorer", "dot", "--l2", "0.01"),
          15, 1, List.of(), m("ndcg@50", 0.1399, "recall@50", 0.2264), ADASIR_NOTE),
      new Row("adasir-u", ADASIR, "AdaSIR(U)", "gowalla", "full", "adasir-u",
          List.of("--objective", "is-bpr", "--sampler", "adasir", "--scorer", "dot", "--l2", "0.01"), 30, 3, List.of(),
          m("ndcg@50", 0.1489, "recall@50", 0.2500), ADASIR_NOTE),
      new Row("adasir-p", ADASIR, "AdaSIR(P)", "gowalla", "full", "adasir-p",
          List.of("--objective", "is-bpr", "--sampler", "adasir", "--proposal", "popularity", "--scorer", "dot", "--l2", "0.01"),
          30, 3, List.of(), m("ndcg@50", 0.1519, "recall@50", 0.2516), ADASIR_NOTE),
      new Row("adasir-w", ADASIR, "AdaSIR-W", "gowalla", "full", "adasir-w",
          List.of("--objective", "is-bpr", "--sampler", "adasir-w", "--scorer", "dot", "--l2", "0.01"), 30, 2, List.of(),
          m("ndcg@50", 0.1503, "recall@50", 0.2543), ADASIR_NOTE));
}
