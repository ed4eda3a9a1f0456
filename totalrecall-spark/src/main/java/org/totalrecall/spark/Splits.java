package org.totalrecall.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The protocol splits of PROTOCOLS.md as DataFrames over prepared interactions (columns {@code
 * user}, {@code item}, {@code weight}, {@code timestamp}; see {@link Prepare}), computed where the
 * data are and reproducible by seed: each split is a pure function of the rows and the seed, not of
 * the partitioning or the order of the rows. Each returns the prepared columns plus {@code part}
 * ("train" or "test"; pums adds "validation").
 *
 * <ul>
 *   <li>{@link #randomSplit}: per user, the rows ranked by a seeded hash of (user, item); the first
 *       ⌈fraction·n⌉ of a user with n ≥ 2 rows go to test (a user with one row stays in train);
 *   <li>{@link #leaveLastOut}: per user with at least two rows, the latest row (ties: the larger
 *       item index) is test;
 *   <li>{@link #pums}: items with at least {@code minUsers} users; of each, ⌈fraction·n⌉ users (by
 *       a seeded hash) are held out, and the items themselves are halved by a seeded hash into
 *       validation and test items.
 * </ul>
 *
 * These are the protocols' rules computed by hashes rather than by the CLI's sequential random
 * draws, so a DataFrame split is not the CLI's split of the same data; models trained on one are
 * evaluated on the same one.
 */
public final class Splits {
  private Splits() {}

  /** Per user, the first ⌈fraction·n⌉ rows by a seeded hash go to test (users with n ≥ 2). */
  public static Dataset<Row> randomSplit(Dataset<Row> interactions, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1), got " + fraction);
    }
    Dataset<Row> ranked =
        interactions
            .withColumn("h", xxhash64(lit(seed), col("user"), col("item")))
            .withColumn(
                "k", row_number().over(Window.partitionBy("user").orderBy(col("h"), col("item"))))
            .withColumn("n", count(lit(1)).over(Window.partitionBy("user")));
    return ranked
        .withColumn(
            "part",
            when(
                    col("n")
                        .geq(2)
                        .and(
                            col("k")
                                .leq(
                                    org.apache.spark.sql.functions.ceil(
                                        col("n").multiply(fraction)))),
                    lit("test"))
                .otherwise(lit("train")))
        .drop("h", "k", "n");
  }

  /** Per user with at least two rows, the latest row (ties: the larger item) is test. */
  public static Dataset<Row> leaveLastOut(Dataset<Row> interactions) {
    Dataset<Row> ranked =
        interactions
            .withColumn(
                "k",
                row_number()
                    .over(
                        Window.partitionBy("user")
                            .orderBy(col("timestamp").desc(), col("item").desc())))
            .withColumn("n", count(lit(1)).over(Window.partitionBy("user")));
    return ranked
        .withColumn(
            "part",
            when(col("n").geq(2).and(col("k").equalTo(1)), lit("test")).otherwise(lit("train")))
        .drop("k", "n");
  }

  /**
   * Items with at least {@code minUsers} users hold out ⌈fraction·n⌉ of them (by a seeded hash);
   * the held-out rows of half the items (by a seeded hash) are validation, of the other half test.
   */
  public static Dataset<Row> pums(
      Dataset<Row> interactions, int minUsers, double fraction, long seed) {
    if (minUsers < 1 || !(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("minUsers must be >= 1 and fraction in (0, 1)");
    }
    Dataset<Row> ranked =
        interactions
            .withColumn("h", xxhash64(lit(seed), col("item"), col("user")))
            .withColumn(
                "k", row_number().over(Window.partitionBy("item").orderBy(col("h"), col("user"))))
            .withColumn("n", count(lit(1)).over(Window.partitionBy("item")))
            .withColumn("half", xxhash64(lit(seed + 1), col("item")).bitwiseAND(1L));
    return ranked
        .withColumn(
            "part",
            when(
                    col("n")
                        .geq(minUsers)
                        .and(
                            col("k")
                                .leq(
                                    org.apache.spark.sql.functions.ceil(
                                        col("n").multiply(fraction)))),
                    when(col("half").equalTo(0L), lit("validation")).otherwise(lit("test")))
                .otherwise(lit("train")))
        .drop("h", "k", "n", "half");
  }
}
