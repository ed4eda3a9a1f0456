package org.totalrecall.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.totalrecall.data.DataFingerprint;
import org.totalrecall.data.IdIndex;
import org.totalrecall.data.Interactions;
import org.totalrecall.util.Checks;

/**
 * One protocol's split of a data set: the training part (what a model may be trained on) and the
 * part it is evaluated on, with the candidates and groups the protocol needs. Built by {@link
 * Protocols#split} (the test part) or {@link #validationSplit()} / {@link HoldoutValidation} (a
 * validation part); evaluated by {@link Evaluator}.
 *
 * <p><b>Orientation.</b> {@link #train()} is always users × items. {@link #test()} has the queries
 * as rows: users × items for u2i protocols, items × users for i2u protocols ({@code pums}: row =
 * the test item, columns = its held-out users; {@code pums-group}: row = an item, columns = its
 * held-out users, from which each group's potential users follow). {@link #testPairs()} gives it as
 * users × items in every case.
 *
 * <p><b>Sampled candidates.</b> When {@link #hasSampledCandidates()}, {@code candidates(q)} is
 * query q's whole candidate set (relevant and sampled negatives), distinct and increasing; a
 * negative listed twice in the data (the NCF quirk) or equal to the positive was merged, so every
 * candidate competes once. Queries without a test row have an empty set.
 *
 * <p>Train and test are disjoint (checked on construction): a split never leaks its test part into
 * its training part. Immutable; arrays are internal and never handed out.
 */
public final class ProtocolSplit {
  private final Protocol protocol;
  private final String part;
  private final long seed;
  private final ProtocolOptions options;
  private final IdIndex users;
  private final IdIndex items;
  private final Interactions train;
  private final Interactions test;
  private final int[][] candidates;
  private final List<ItemGroup> groups;
  private final Interactions validation;
  private final int[][] validationCandidates;
  private final Direction direction;
  private volatile String trainFingerprint;

  /**
   * @param part "test" or "validation": which part {@link #test()} holds
   * @param options the options the split was made with (its seed is the split seed)
   * @param validation the validation part in the orientation of {@code test}, kept out of {@code
   *     train}, or null
   * @param candidates sampled candidate sets per test row (not copied), or null for full ranking
   * @param validationCandidates the same for {@code validation}, or null
   */
  ProtocolSplit(
      Protocol protocol,
      String part,
      ProtocolOptions options,
      IdIndex users,
      IdIndex items,
      Interactions train,
      Interactions test,
      int[][] candidates,
      List<ItemGroup> groups,
      Interactions validation,
      int[][] validationCandidates) {
    this(
        protocol,
        part,
        options,
        users,
        items,
        train,
        test,
        candidates,
        groups,
        validation,
        validationCandidates,
        protocol.direction());
  }

  private ProtocolSplit(
      Protocol protocol,
      String part,
      ProtocolOptions options,
      IdIndex users,
      IdIndex items,
      Interactions train,
      Interactions test,
      int[][] candidates,
      List<ItemGroup> groups,
      Interactions validation,
      int[][] validationCandidates,
      Direction direction) {
    this.protocol = Checks.notNull("protocol", protocol);
    this.direction = Checks.notNull("direction", direction);
    this.part = Checks.notNull("part", part);
    this.options = Checks.notNull("options", options);
    this.seed = options.seed();
    this.users = Checks.notNull("users", users);
    this.items = Checks.notNull("items", items);
    this.train = Checks.notNull("train", train);
    this.test = Checks.notNull("test", test);
    if (train.numUsers() != users.size() || train.numItems() != items.size()) {
      throw new IllegalArgumentException(
          "train is "
              + train.numUsers()
              + " x "
              + train.numItems()
              + " but there are "
              + users.size()
              + " users and "
              + items.size()
              + " items");
    }
    checkQueryShape("test", test);
    if (validation != null) {
      checkQueryShape("validation", validation);
    }
    checkCandidates("candidates", candidates, test);
    checkCandidates("validationCandidates", validationCandidates, validation);
    this.candidates = candidates;
    this.groups = groups == null ? null : List.copyOf(groups);
    this.validation = validation;
    this.validationCandidates = validationCandidates;
    checkDisjoint("test", test);
    if (validation != null) {
      checkDisjoint("validation", validation);
    }
  }

  private void checkQueryShape(String name, Interactions m) {
    boolean u2i = direction == Direction.U2I;
    int rows = u2i ? users.size() : items.size();
    int cols = u2i ? items.size() : users.size();
    if (m.numRows() != rows || m.numCols() != cols) {
      throw new IllegalArgumentException(
          name
              + " of protocol "
              + protocol
              + " must be "
              + (u2i ? "users x items" : "items x users")
              + " = "
              + rows
              + " x "
              + cols
              + ", got "
              + m.numRows()
              + " x "
              + m.numCols());
    }
  }

  private static void checkCandidates(String name, int[][] cands, Interactions relevant) {
    if (cands == null) {
      return;
    }
    if (relevant == null || cands.length != relevant.numRows()) {
      throw new IllegalArgumentException(name + " must have one row per query");
    }
    for (int q = 0; q < cands.length; q++) {
      int[] row = cands[q];
      if (row == null) {
        throw new IllegalArgumentException(name + "[" + q + "] is null");
      }
      for (int k = 0; k < row.length; k++) {
        if (row[k] < 0 || row[k] >= relevant.numCols() || (k > 0 && row[k] <= row[k - 1])) {
          throw new IllegalArgumentException(
              name + "[" + q + "] must be distinct increasing indices < " + relevant.numCols());
        }
      }
      for (int p = relevant.start(q); p < relevant.end(q); p++) {
        if (java.util.Arrays.binarySearch(row, relevant.cols()[p]) < 0) {
          throw new IllegalArgumentException(
              name + "[" + q + "] misses relevant candidate " + relevant.cols()[p]);
        }
      }
    }
  }

  private void checkDisjoint(String name, Interactions heldOut) {
    int[] shared = InteractionSets.firstShared(asUserItem(heldOut), train);
    if (shared != null) {
      throw new IllegalArgumentException(
          "the "
              + name
              + " part of protocol "
              + protocol
              + " shares the pair (user "
              + users.idOf(shared[0])
              + ", item "
              + items.idOf(shared[1])
              + ") with its training part");
    }
  }

  private Interactions asUserItem(Interactions m) {
    return direction == Direction.U2I ? m : m.transpose();
  }

  /** The protocol that made the split. */
  public Protocol protocol() {
    return protocol;
  }

  /**
   * Which way queries go: the protocol's direction, or the other for a {@link #reversed()} split.
   */
  public Direction direction() {
    return direction;
  }

  /**
   * The same held-out pairs queried the other way, full ranking: for a u2i split, each item with
   * held-out users ranks every user except its training users, its relevant users being the
   * held-out ones (and the reverse for i2u). The training part is unchanged, so a model trained on
   * this split is evaluated in both directions on one set of pairs; sampled candidates (which were
   * drawn for the protocol's direction), groups and the validation part do not carry over.
   *
   * @throws IllegalStateException for {@code pums-group}, whose queries are groups
   */
  public ProtocolSplit reversed() {
    if (protocol == Protocol.PUMS_GROUP) {
      throw new IllegalStateException(
          protocol + " queries item groups; it has no reverse direction");
    }
    Direction other = direction == Direction.U2I ? Direction.I2U : Direction.U2I;
    return new ProtocolSplit(
        protocol,
        part,
        options,
        users,
        items,
        train,
        test.transpose(),
        null,
        null,
        null,
        null,
        other);
  }

  /** "test" or "validation": which part {@link #test()} holds. */
  public String part() {
    return part;
  }

  /** The split seed (recorded in the model so that {@code evaluate} can rebuild the split). */
  public long seed() {
    return seed;
  }

  /** The options the split was made with. */
  public ProtocolOptions options() {
    return options;
  }

  /** External user ids of the dense user indices. */
  public IdIndex users() {
    return users;
  }

  /** External item ids of the dense item indices. */
  public IdIndex items() {
    return items;
  }

  /**
   * The training part, users × items: everything a model evaluated on this split may be trained on.
   */
  public Interactions train() {
    return train;
  }

  /** The evaluated part, queries × candidates (see the class comment for its orientation). */
  public Interactions test() {
    return test;
  }

  /** The evaluated part as users × items, whatever the direction. */
  public Interactions testPairs() {
    return asUserItem(test);
  }

  /** True if queries rank a sampled candidate set rather than every candidate. */
  public boolean hasSampledCandidates() {
    return candidates != null;
  }

  /**
   * Number of sampled candidates of query {@code q} (0 if it has no test row).
   *
   * @throws IllegalStateException if the split has no sampled candidates
   */
  public int numCandidates(int q) {
    return sampled()[q].length;
  }

  /** The k-th sampled candidate of query {@code q}, in increasing index order. */
  public int candidate(int q, int k) {
    return sampled()[q][k];
  }

  /** A copy of query q's sampled candidate set. */
  public int[] candidates(int q) {
    return sampled()[q].clone();
  }

  private int[][] sampled() {
    if (candidates == null) {
      throw new IllegalStateException(
          "this " + protocol + " split ranks every candidate; it has no sampled candidate sets");
    }
    return candidates;
  }

  /** The item groups of {@code pums-group}, in order, or an empty list for other protocols. */
  public List<ItemGroup> groups() {
    return groups == null ? List.of() : groups;
  }

  /**
   * The validation part (orientation of {@link #test()}), kept out of the training part, or null.
   */
  public Interactions validation() {
    return validation;
  }

  /**
   * The same training part with the validation part as the evaluated part, for early stopping and
   * tuning (its {@link #part()} is "validation").
   *
   * @throws IllegalStateException if the protocol's split has no validation part
   */
  public ProtocolSplit validationSplit() {
    if (validation == null) {
      throw new IllegalStateException(
          "this "
              + protocol
              + " split has no validation part"
              + (protocol == Protocol.PUMS_GROUP
                  ? " (tune on the pums validation items: same training part for the same seed)"
                  : "; carve one from the training part with HoldoutValidation"));
    }
    return new ProtocolSplit(
        protocol,
        "validation",
        options,
        users,
        items,
        train,
        validation,
        validationCandidates,
        groups,
        null,
        null,
        direction);
  }

  /**
   * The fingerprint of the training part ({@link DataFingerprint#of}: order-independent hash of its
   * external-id pairs). A model trained for this protocol records it; evaluation compares (see
   * {@link LeakageCheck}).
   */
  public String trainFingerprint() {
    String f = trainFingerprint;
    if (f == null) {
      f = DataFingerprint.of(train, users, items);
      trainFingerprint = f;
    }
    return f;
  }

  /** The fingerprint of everything the split was made from: train ∪ validation ∪ test. */
  public String allDataFingerprint() {
    Interactions all = InteractionSets.union(train, testPairs());
    if (validation != null) {
      all = InteractionSets.union(all, asUserItem(validation));
    }
    return DataFingerprint.of(all, users, items);
  }

  /**
   * What a model trained on this split records in its metadata, as an ordered map: "protocol" (CLI
   * name), "splitSeed", "protocolOptions" ({@link ProtocolOptions#toMap()}, from which {@link
   * ProtocolOptions#fromMap} rebuilds the same split), "part", the sizes of the parts, and {@value
   * LeakageCheck#TRAIN_FINGERPRINT_KEY} (see {@link #trainFingerprint()}).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(LeakageCheck.PROTOCOL_KEY, protocol.cliName());
    m.put(LeakageCheck.SPLIT_SEED_KEY, seed);
    m.put("protocolOptions", options.toMap());
    m.put("part", part);
    m.put("trainInteractions", train.size());
    m.put(part + "Interactions", test.size());
    if (validation != null) {
      m.put("validationInteractions", validation.size());
    }
    if (groups != null) {
      m.put("groups", groups.size());
    }
    m.put("sampledCandidates", candidates != null);
    m.put(LeakageCheck.TRAIN_FINGERPRINT_KEY, trainFingerprint());
    return m;
  }

  @Override
  public String toString() {
    return "ProtocolSplit["
        + protocol
        + ", "
        + part
        + ", seed "
        + seed
        + ", train "
        + train.size()
        + ", "
        + part
        + " "
        + test.size()
        + (candidates != null ? ", sampled" : "")
        + (groups != null ? ", " + groups.size() + " groups" : "")
        + "]";
  }
}
