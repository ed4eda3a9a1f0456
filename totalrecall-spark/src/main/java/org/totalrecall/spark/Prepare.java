package org.totalrecall.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.totalrecall.data.DuplicatePolicy;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.UnknownIdPolicy;
import org.totalrecall.util.Checks;

/**
 * Data preparation on Spark: an interaction log read by any Spark reader becomes dense integer
 * (user, item, weight, timestamp) rows, with the CLI's duplicate policies and counts and its id
 * order, so that the same file gives the same data set here and in {@code totalrecall train}.
 *
 * <ul>
 *   <li>Rows: every input row is counted; a null or empty id, or a weight that is not a finite
 *       number &gt; 0, is an error naming the column, how many rows have it and the first such row
 *       (Spark has no line numbers).
 *   <li>Duplicates of a (user, item) pair are merged by {@link DuplicatePolicy} exactly as {@code
 *       PairBuffer} does: SUM adds the weights and keeps the latest timestamp, MAX keeps the
 *       largest weight with the timestamp of the first row holding it, FIRST keeps the first row,
 *       REJECT fails naming the pair; "first" is the order of the rows as read ({@code
 *       monotonically_increasing_id}, file order for one file).
 *   <li>Ids: as the CLI's default ({@code IdOrder.NUMERIC}): if every id of a kind is a canonical
 *       non-negative decimal integer, dense indices follow numeric order, else the order of first
 *       appearance. The ids are sorted and numbered on the cluster; the two {@link IdIndex}es (the
 *       id lists) are collected to the driver and saved with the model.
 * </ul>
 */
public final class Prepare {
  private static final String CANONICAL_ANCHORED = "^(0|[1-9][0-9]{0,17})$";

  private Prepare() {}

  /**
   * Which columns hold what.
   *
   * @param user the user id column
   * @param item the item id column
   * @param weight the weight column, or null (every row weighs 1)
   * @param timestamp the timestamp column (integers), or null
   * @param duplicates what to do with repeated pairs
   * @param knownUsers the dense order of users to keep (an earlier preparation's or a model's), or
   *     null to build it from the log
   * @param knownItems the same for items
   * @param unknownIds what to do with ids outside the known indexes
   */
  public record Options(
      String user,
      String item,
      String weight,
      String timestamp,
      DuplicatePolicy duplicates,
      IdIndex knownUsers,
      IdIndex knownItems,
      UnknownIdPolicy unknownIds) {
    public Options {
      Checks.notNull("user", user);
      Checks.notNull("item", item);
      Checks.notNull("duplicates", duplicates);
      Checks.notNull("unknownIds", unknownIds);
      if ((knownUsers == null) != (knownItems == null)) {
        throw new IllegalArgumentException("give both known id indexes or neither");
      }
    }

    /** No known ids: the index is built from the log. */
    public Options(
        String user, String item, String weight, String timestamp, DuplicatePolicy duplicates) {
      this(user, item, weight, timestamp, duplicates, null, null, UnknownIdPolicy.KEEP);
    }

    /**
     * A copy that keeps the dense order of an earlier preparation or model ({@code users}, {@code
     * items}) and treats ids outside it by {@code policy}: KEEP appends them (in order of first
     * appearance), DROP leaves their rows out (counted), REJECT fails.
     */
    public Options withKnownIds(IdIndex users, IdIndex items, UnknownIdPolicy policy) {
      return new Options(user, item, weight, timestamp, duplicates, users, items, policy);
    }

    /** user, item, no weight or timestamp, SUM. */
    public static Options of(String user, String item) {
      return new Options(user, item, null, null, DuplicatePolicy.SUM);
    }
  }

  /**
   * The counts of a preparation, named as in the CLI's load report.
   *
   * @param rows input rows
   * @param duplicates rows merged into an earlier row of the same pair
   * @param numUsers distinct users
   * @param numItems distinct items
   * @param interactions distinct pairs kept
   * @param unknownIds rows left out for naming an id outside the known indexes (DROP)
   */
  public record Report(
      long rows, long duplicates, int numUsers, int numItems, long interactions, long unknownIds) {}

  /**
   * The prepared data, one row per distinct pair, cached.
   *
   * @param interactions the columns "user" and "item" (dense int indices), "weight" (float) and
   *     "timestamp" (long; 0 without a timestamp column)
   * @param users the user index (external id of each dense index)
   * @param items the item index
   * @param report the counts
   */
  public record Prepared(Dataset<Row> interactions, IdIndex users, IdIndex items, Report report) {}

  /** Prepares {@code log}; see the class comment. */
  public static Prepared prepare(Dataset<Row> log, Options o) {
    List<String> columns = List.of(log.columns());
    for (String c : new String[] {o.user(), o.item(), o.weight(), o.timestamp()}) {
      if (c != null && !columns.contains(c)) {
        throw new IllegalArgumentException("no column \"" + c + "\"; the columns are " + columns);
      }
    }
    Column weight = o.weight() == null ? lit(1f) : col(o.weight()).cast(DataTypes.FloatType);
    Column time = o.timestamp() == null ? lit(0L) : col(o.timestamp()).cast(DataTypes.LongType);
    Dataset<Row> rows =
        log.select(
                col(o.user()).cast(DataTypes.StringType).as("u"),
                col(o.item()).cast(DataTypes.StringType).as("i"),
                weight.as("w"),
                time.as("t"))
            .withColumn("row", monotonically_increasing_id())
            .cache();
    long total = rows.count();
    requireNone(rows, col("u").isNull().or(col("u").equalTo("")), o.user(), "is null or empty");
    requireNone(rows, col("i").isNull().or(col("i").equalTo("")), o.item(), "is null or empty");
    if (o.weight() != null) {
      requireNone(
          rows,
          col("w")
              .isNull()
              .or(col("w").isNaN())
              .or(col("w").leq(0f))
              .or(col("w").equalTo(Float.POSITIVE_INFINITY)),
          o.weight(),
          "is not a finite number > 0");
    }
    if (o.timestamp() != null) {
      requireNone(rows, col("t").isNull(), o.timestamp(), "is null or not an integer");
    }

    Dataset<Row> pairs = merge(rows, o.duplicates());
    Indexed userIndex =
        o.knownUsers() == null
            ? index(rows, "u", "user")
            : indexed(extend(rows, "u", o.knownUsers(), o, o.user()), rows, "u", "user");
    Indexed itemIndex =
        o.knownItems() == null
            ? index(rows, "i", "item")
            : indexed(extend(rows, "i", o.knownItems(), o, o.item()), rows, "i", "item");
    IdIndex users = userIndex.index();
    IdIndex items = itemIndex.index();
    Dataset<Row> userIds = userIndex.table();
    Dataset<Row> itemIds = itemIndex.table();
    Dataset<Row> dense =
        pairs
            .join(userIds, "u")
            .join(itemIds, "i")
            .select(col("user"), col("item"), col("w").as("weight"), col("t").as("timestamp"))
            .cache();
    long interactions = dense.count();
    long unknown = 0;
    if (o.knownUsers() != null && o.unknownIds() == UnknownIdPolicy.DROP) {
      unknown =
          rows.join(userIds, rows.col("u").equalTo(userIds.col("u")), "left")
              .join(itemIds, rows.col("i").equalTo(itemIds.col("i")), "left")
              .filter(col("user").isNull().or(col("item").isNull()))
              .count();
    }
    rows.unpersist();
    return new Prepared(
        dense,
        users,
        items,
        new Report(
            total,
            total - unknown - interactions,
            users.size(),
            items.size(),
            interactions,
            unknown));
  }

  private static void requireNone(Dataset<Row> rows, Column bad, String column, String problem) {
    Dataset<Row> offending = rows.filter(bad);
    long n = offending.count();
    if (n > 0) {
      Row first = offending.orderBy("row").first();
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "column \"%s\" %s in %,d row(s); the first: user \"%s\", item \"%s\", weight %s, timestamp %s",
              column,
              problem,
              n,
              first.get(0),
              first.get(1),
              first.get(2),
              first.get(3)));
    }
  }

  /** One row per (u, i): weight and timestamp merged by the policy, as {@code PairBuffer.build}. */
  private static Dataset<Row> merge(Dataset<Row> rows, DuplicatePolicy policy) {
    return switch (policy) {
      case SUM ->
          rows.groupBy("u", "i")
              .agg(sum(col("w")).cast(DataTypes.FloatType).as("w"), max(col("t")).as("t"));
      case MAX ->
          rows.groupBy("u", "i")
              .agg(max(struct(col("w"), col("row").multiply(-1).as("r"), col("t"))).as("m"))
              .select(col("u"), col("i"), col("m.w").as("w"), col("m.t").as("t"));
      case FIRST ->
          rows.groupBy("u", "i")
              .agg(min(struct(col("row"), col("w"), col("t"))).as("m"))
              .select(col("u"), col("i"), col("m.w").as("w"), col("m.t").as("t"));
      case REJECT -> {
        Dataset<Row> repeated =
            rows.groupBy("u", "i").agg(count(lit(1)).as("n")).filter(col("n").gt(1));
        if (!repeated.isEmpty()) {
          Row r = repeated.first();
          throw new IllegalArgumentException(
              "the pair (user \""
                  + r.get(0)
                  + "\", item \""
                  + r.get(1)
                  + "\") repeats "
                  + r.getLong(2)
                  + " times (duplicate policy REJECT; "
                  + repeated.count()
                  + " pairs repeat)");
        }
        yield rows.select(col("u"), col("i"), col("w"), col("t"));
      }
    };
  }

  /** One kind of id's dense order, and the same as a table (external id, dense index). */
  private record Indexed(IdIndex index, Dataset<Row> table) {}

  /**
   * The dense order of one kind of id: numeric if all are canonical integers, else first
   * appearance; sorted and numbered on the cluster ({@code zipWithIndex} of the sorted ids), so
   * only the id list itself comes to the driver.
   */
  private static Indexed index(Dataset<Row> rows, String column, String dense) {
    Dataset<Row> firsts = rows.groupBy(column).agg(min(col("row")).as("first"));
    boolean numeric = firsts.filter(not(col(column).rlike(CANONICAL_ANCHORED))).isEmpty();
    Dataset<Row> ordered =
        (numeric ? firsts.orderBy(col(column).cast(DataTypes.LongType)) : firsts.orderBy("first"))
            .select(column)
            .cache();
    JavaRDD<Row> numbered =
        ordered
            .javaRDD()
            .zipWithIndex()
            .map(t -> RowFactory.create(t._1().getString(0), Math.toIntExact(t._2())));
    Dataset<Row> table =
        rows.sparkSession().createDataFrame(numbered, schema(column, dense)).cache();
    List<String> ids = ordered.as(Encoders.STRING()).collectAsList();
    ordered.unpersist();
    return new Indexed(IdIndex.of(ids), table);
  }

  /** A known (or extended) order as a table, for the ids the log names. */
  private static Indexed indexed(IdIndex index, Dataset<Row> rows, String column, String dense) {
    return new Indexed(index, ids(rows.sparkSession(), index, column, dense));
  }

  private static StructType schema(String key, String dense) {
    return DataTypes.createStructType(
        List.of(
            DataTypes.createStructField(key, DataTypes.StringType, false),
            DataTypes.createStructField(dense, DataTypes.IntegerType, false)));
  }

  /**
   * The known order, and the log's other ids by the policy: KEEP appends them in order of first
   * appearance, DROP leaves them out (their rows drop at the join), REJECT fails.
   */
  private static IdIndex extend(
      Dataset<Row> rows, String column, IdIndex known, Options o, String name) {
    java.util.Set<String> have = new java.util.HashSet<>(known.ids());
    List<Row> firsts =
        rows.groupBy(column).agg(min(col("row")).as("first")).orderBy("first").collectAsList();
    List<String> ids = new ArrayList<>(known.ids());
    long unknown = 0;
    String example = null;
    for (Row r : firsts) {
      String id = r.getString(0);
      if (!have.contains(id)) {
        unknown++;
        if (example == null) {
          example = id;
        }
        if (o.unknownIds() == UnknownIdPolicy.KEEP) {
          ids.add(id);
        }
      }
    }
    if (unknown > 0 && o.unknownIds() == UnknownIdPolicy.REJECT) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "column \"%s\" has %,d id(s) outside the known index, e.g. \"%s\" (unknown-id policy REJECT)",
              name,
              unknown,
              example));
    }
    return IdIndex.of(ids);
  }

  private static Dataset<Row> ids(
      org.apache.spark.sql.SparkSession spark, IdIndex index, String key, String dense) {
    List<Row> rows = new ArrayList<>(index.size());
    for (int k = 0; k < index.size(); k++) {
      rows.add(org.apache.spark.sql.RowFactory.create(index.idOf(k), k));
    }
    return spark.createDataFrame(rows, schema(key, dense));
  }
}
