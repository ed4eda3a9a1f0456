package org.totalrecall.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.Interactions;
import org.totalrecall.data.ItemCategories;
import org.totalrecall.data.SyntheticData;

class ProtocolsTest {
  private static final Dataset SYNTHETIC =
      SyntheticData.generate(new SyntheticData.Spec(200, 120, 4, 12, 0.8, 21L));

  @Test
  void parseAcceptsCliNamesAndListsValidOnesOnError() {
    assertEquals(Protocol.RANDOM_SPLIT, Protocol.parse("random-split"));
    assertEquals(Protocol.PUMS_GROUP, Protocol.parse("PUMS_GROUP"));
    assertEquals(Protocol.NCF, Protocol.parse(" ncf "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Protocol.parse("leave-one-out"));
    assertTrue(e.getMessage().contains("\"leave-one-out\""), e.getMessage());
    assertTrue(
        e.getMessage().contains("ncf, full, loo, random-split, pums, pums-group"), e.getMessage());
    assertEquals(Direction.I2U, Protocol.PUMS.direction());
    assertFalse(Protocol.NCF.selfSplitting());
    assertTrue(Protocol.LOO.selfSplitting());
  }

  @Test
  void randomSplitIsDeterministicForASeedAndDiffersForAnother() {
    ProtocolOptions opts = ProtocolOptions.defaults().withSeed(5);
    ProtocolSplit a = Protocols.split(Protocol.RANDOM_SPLIT, SYNTHETIC, opts);
    ProtocolSplit b = Protocols.split(Protocol.RANDOM_SPLIT, SYNTHETIC, opts);
    ProtocolSplit c = Protocols.split(Protocol.RANDOM_SPLIT, SYNTHETIC, opts.withSeed(6));
    assertArrayEquals(a.test().cols(), b.test().cols());
    assertArrayEquals(a.train().cols(), b.train().cols());
    assertEquals(a.trainFingerprint(), b.trainFingerprint());
    assertFalse(Arrays.equals(a.test().cols(), c.test().cols()));
    assertFalse(a.trainFingerprint().equals(c.trainFingerprint()));
  }

  @Test
  void randomSplitHoldsOutTheFractionPerUserDisjointly() {
    ProtocolSplit s = Protocols.split(Protocol.RANDOM_SPLIT, SYNTHETIC, ProtocolOptions.defaults());
    Interactions all = InteractionSets.union(SYNTHETIC.train(), SYNTHETIC.test());
    assertEquals(0, InteractionSets.overlap(s.test(), s.train()));
    assertEquals(all.size(), s.train().size() + s.test().size());
    for (int u = 0; u < all.numRows(); u++) {
      int n = all.rowLength(u);
      // round(0.2 · n) clamped to [1, n − 1]
      assertEquals(
          Math.max(1, Math.min(n - 1, Math.round(0.2 * n))), s.test().rowLength(u), "user " + u);
    }
    assertNull(s.validation());
    ProtocolSplit v =
        Protocols.split(
            Protocol.RANDOM_SPLIT,
            SYNTHETIC,
            ProtocolOptions.defaults().withValidationFraction(0.1));
    assertEquals(all.size(), v.train().size() + v.test().size() + v.validation().size());
    assertEquals(0, InteractionSets.overlap(v.validation(), v.train()));
    assertEquals(0, InteractionSets.overlap(v.validation(), v.test()));
  }

  @Test
  void leaveLastOutPicksTheLatestTimestamps() {
    // user 0: items 3@5, 1@9, 2@7, 0@1 → test 1, validation 2, train {0, 3}
    // user 1: two interactions → all train (fewer than 3)
    // user 2: items 0@4, 4@4, 2@1 → tie at time 4 goes to the larger item: test 4, validation 0
    Interactions data =
        EvalFixtures.timed(
            3,
            5,
            new long[][] {
              {0, 3, 5}, {0, 1, 9}, {0, 2, 7}, {0, 0, 1}, {1, 0, 3}, {1, 1, 2}, {2, 0, 4},
              {2, 4, 4}, {2, 2, 1}
            });
    ProtocolSplit s =
        Protocols.split(
            Protocol.LOO,
            EvalFixtures.dataset(data, null, null, DataFormat.MOVIELENS_UDATA),
            ProtocolOptions.defaults().withLooNegatives(0));
    assertTrue(s.test().contains(0, 1));
    assertEquals(1, s.test().rowLength(0));
    assertTrue(s.validation().contains(0, 2));
    assertArrayEquals(
        new int[] {0, 3},
        Arrays.copyOfRange(s.train().cols(), s.train().start(0), s.train().end(0)));
    assertEquals(0, s.test().rowLength(1));
    assertEquals(2, s.train().rowLength(1));
    assertTrue(s.test().contains(2, 4));
    assertTrue(s.validation().contains(2, 0));
    assertFalse(s.hasSampledCandidates());
    ProtocolSplit v = s.validationSplit();
    assertEquals("validation", v.part());
    assertTrue(v.test().contains(0, 2));
  }

  @Test
  void leaveLastOutWithoutTimestampsIsAClearError() {
    Interactions data = EvalFixtures.pairs(1, 3, new int[][] {{0, 0}, {0, 1}, {0, 2}});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Protocols.split(
                    Protocol.LOO,
                    EvalFixtures.dataset(data, null, null, DataFormat.DELIMITED),
                    ProtocolOptions.defaults()));
    assertTrue(e.getMessage().contains("timestamps"), e.getMessage());
  }

  @Test
  void leaveLastOutSamplesDistinctUnseenNegativesFromTheSeed() {
    ProtocolSplit a =
        Protocols.split(Protocol.LOO, SYNTHETIC, ProtocolOptions.defaults().withLooNegatives(30));
    ProtocolSplit b =
        Protocols.split(Protocol.LOO, SYNTHETIC, ProtocolOptions.defaults().withLooNegatives(30));
    ProtocolSplit c =
        Protocols.split(
            Protocol.LOO, SYNTHETIC, ProtocolOptions.defaults().withLooNegatives(30).withSeed(7));
    Interactions all = InteractionSets.union(SYNTHETIC.train(), SYNTHETIC.test());
    boolean anyDifferent = false;
    for (int u = 0; u < all.numRows(); u++) {
      if (a.test().rowLength(u) == 0) {
        continue;
      }
      int[] cands = a.candidates(u);
      assertEquals(31, cands.length, "user " + u); // test item + 30 distinct negatives
      int negatives = 0;
      for (int item : cands) {
        if (!a.test().contains(u, item)) {
          assertFalse(
              all.contains(u, item), "negative " + item + " of user " + u + " was interacted with");
          negatives++;
        }
      }
      assertEquals(30, negatives);
      assertArrayEquals(cands, b.candidates(u));
      anyDifferent |= !Arrays.equals(cands, c.candidates(u));
    }
    assertTrue(anyDifferent);
    // the synthetic data's last interaction (by time) is its fixed test item: loo must find the
    // same ones
    assertEquals(0, InteractionSets.overlap(SYNTHETIC.test(), a.train()));
    assertEquals(SYNTHETIC.test().size(), InteractionSets.overlap(SYNTHETIC.test(), a.test()));
  }

  @Test
  void pumsHoldsOutAtLeastOneUserPerQualifyingItemAndSplitsItemsInHalf() {
    int minUsers = 25;
    ProtocolOptions opts =
        ProtocolOptions.defaults().withMinUsersPerItem(minUsers).withHeldOutFraction(0.05);
    ProtocolSplit s = Protocols.split(Protocol.PUMS, SYNTHETIC, opts);
    Interactions byItem = InteractionSets.union(SYNTHETIC.train(), SYNTHETIC.test()).transpose();
    int qualifying = 0;
    int testItems = 0;
    int validationItems = 0;
    for (int item = 0; item < byItem.numRows(); item++) {
      int n = byItem.rowLength(item);
      int held = s.test().rowLength(item) + s.validation().rowLength(item);
      if (n >= minUsers) {
        qualifying++;
        assertEquals(Math.max(1, Math.round(0.05 * n)), held, "item " + item);
        assertTrue(
            s.test().rowLength(item) == 0 || s.validation().rowLength(item) == 0,
            "item in both halves");
        testItems += s.test().rowLength(item) > 0 ? 1 : 0;
        validationItems += s.validation().rowLength(item) > 0 ? 1 : 0;
      } else {
        assertEquals(0, held, "item " + item + " does not qualify");
      }
    }
    assertTrue(qualifying > 10, "fixture should have qualifying items, has " + qualifying);
    assertEquals(qualifying / 2, validationItems);
    assertEquals(qualifying - qualifying / 2, testItems);
    assertEquals(byItem.size(), s.train().size() + s.test().size() + s.validation().size());
    assertEquals(0, InteractionSets.overlap(s.testPairs(), s.train()));
    ProtocolSplit again = Protocols.split(Protocol.PUMS, SYNTHETIC, opts);
    assertEquals(s.trainFingerprint(), again.trainFingerprint());
  }

  @Test
  void pumsGroupSharesPumsTrainingPartAndBuildsTopMiddleBottomGroups(@TempDir Path tmp)
      throws IOException {
    // Categories: item i belongs to category i % 3 ("c0", "c1", "c2").
    Dataset data = EvalFixtures.withIdentityIds(SYNTHETIC);
    String[] genres = new String[data.numItems()];
    for (int i = 0; i < genres.length; i++) {
      genres[i] = "c" + (i % 3);
    }
    ItemCategories cats = EvalFixtures.categories(tmp, data.items(), genres);
    ProtocolOptions opts =
        ProtocolOptions.defaults().withMinUsersPerItem(20).withGroupFraction(0.2);
    ProtocolSplit group = Protocols.split(Protocol.PUMS_GROUP, data, opts, cats);
    ProtocolSplit single = Protocols.split(Protocol.PUMS, data, opts);
    ProtocolSplit fromFile =
        Protocols.split(
            Protocol.PUMS_GROUP, data, opts.withCategoriesFile(tmp.resolve("movies.dat")));
    assertEquals(group.groups().size(), fromFile.groups().size());
    assertEquals(single.trainFingerprint(), group.trainFingerprint());
    assertEquals(single.test().size() + single.validation().size(), group.test().size());
    assertEquals(9, group.groups().size());
    assertEquals("c0/top", group.groups().get(0).name());
    assertEquals("c2/bottom", group.groups().get(8).name());
    Interactions byItem = InteractionSets.union(SYNTHETIC.train(), SYNTHETIC.test()).transpose();
    ItemGroup top = group.groups().get(0);
    ItemGroup bottom = group.groups().get(2);
    int minTop = Integer.MAX_VALUE;
    for (int k = 0; k < top.size(); k++) {
      minTop = Math.min(minTop, byItem.rowLength(top.item(k)));
      assertEquals(0, top.item(k) % 3);
    }
    for (int k = 0; k < bottom.size(); k++) {
      assertTrue(byItem.rowLength(bottom.item(k)) <= minTop);
      assertTrue(byItem.rowLength(bottom.item(k)) >= 20);
    }
    assertThrows(IllegalStateException.class, group::validationSplit);
  }

  @Test
  void fixedSplitProtocolsNeedTheirFiles() {
    Interactions train = EvalFixtures.pairs(1, 3, new int[][] {{0, 0}});
    Dataset noTest = EvalFixtures.dataset(train, null, null, DataFormat.DELIMITED);
    assertThrows(
        IllegalArgumentException.class,
        () -> Protocols.split(Protocol.FULL, noTest, ProtocolOptions.defaults()));
    Dataset noNegatives =
        EvalFixtures.dataset(
            train, EvalFixtures.pairs(1, 3, new int[][] {{0, 1}}), null, DataFormat.LIGHTGCN);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Protocols.split(Protocol.NCF, noNegatives, ProtocolOptions.defaults()));
    assertTrue(e.getMessage().contains("negatives"), e.getMessage());
  }

  @Test
  void aSplitWhoseTestOverlapsTrainIsRejected() {
    Interactions train = EvalFixtures.pairs(1, 3, new int[][] {{0, 0}, {0, 1}});
    Interactions test = EvalFixtures.pairs(1, 3, new int[][] {{0, 1}});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Protocols.split(
                    Protocol.FULL,
                    EvalFixtures.dataset(train, test, null, DataFormat.LIGHTGCN),
                    ProtocolOptions.defaults()));
    assertTrue(e.getMessage().contains("shares the pair (user 0, item 1)"), e.getMessage());
  }

  @Test
  void optionsRoundTripThroughTheSplitsMetadataAndRebuildTheSameSplit() {
    ProtocolOptions opts = ProtocolOptions.defaults().withSeed(77).withTestFraction(0.3);
    ProtocolSplit s = Protocols.split(Protocol.RANDOM_SPLIT, SYNTHETIC, opts);
    java.util.Map<String, Object> meta = s.toMap();
    assertEquals("random-split", meta.get(LeakageCheck.PROTOCOL_KEY));
    assertEquals(77L, meta.get(LeakageCheck.SPLIT_SEED_KEY));
    assertEquals(s.trainFingerprint(), meta.get(LeakageCheck.TRAIN_FINGERPRINT_KEY));
    @SuppressWarnings("unchecked")
    ProtocolOptions back =
        ProtocolOptions.fromMap((java.util.Map<String, Object>) meta.get("protocolOptions"));
    assertEquals(opts, back);
    ProtocolSplit rebuilt =
        Protocols.split(
            Protocol.parse((String) meta.get(LeakageCheck.PROTOCOL_KEY)), SYNTHETIC, back);
    assertEquals(s.trainFingerprint(), rebuilt.trainFingerprint());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProtocolOptions.fromMap(java.util.Map.of("testFraction", "a lot")));
    assertTrue(e.getMessage().contains("'testFraction'"), e.getMessage());
    IllegalArgumentException range =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProtocolOptions.defaults().withHeldOutFraction(1.5));
    assertTrue(
        range.getMessage().startsWith("heldOutFraction must be in (0, 1)"), range.getMessage());
  }

  @Test
  void holdoutValidationTakesOnePerUserAndIsEvaluable() {
    Interactions train = SYNTHETIC.train();
    HoldoutValidation.Holdout h = HoldoutValidation.split(train, 3L);
    assertEquals(train.size(), h.fit().size() + h.validation().size());
    assertEquals(0, InteractionSets.overlap(h.validation(), h.fit()));
    for (int u = 0; u < train.numRows(); u++) {
      assertEquals(train.rowLength(u) >= 2 ? 1 : 0, h.validation().rowLength(u));
    }
    HoldoutValidation.Holdout again = HoldoutValidation.split(train, 3L);
    assertArrayEquals(h.validation().cols(), again.validation().cols());
    HoldoutValidation.Holdout tenth = HoldoutValidation.split(train, 3L, 0.1);
    assertEquals(0, InteractionSets.overlap(tenth.validation(), tenth.fit()));
    ProtocolSplit v =
        HoldoutValidation.asSplit(Protocol.NCF, h, SYNTHETIC.users(), SYNTHETIC.items(), 3L, 20);
    assertEquals("validation", v.part());
    assertEquals(21, v.numCandidates(0));
    ProtocolSplit i2u =
        HoldoutValidation.asSplit(Protocol.PUMS, h, SYNTHETIC.users(), SYNTHETIC.items(), 3L, 0);
    assertEquals(SYNTHETIC.numItems(), i2u.test().numRows());
  }
}
