package org.totalrecall.cli.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small valid inputs, one per call, drawn from a seeded generator: a handful of users and items,
 * duplicates, test-only ids, UTF-8 and quoted ids, the header variants of delimited files. The
 * mutator starts from these; the oracle must accept every one of them unchanged.
 */
final class Corpus {
  private Corpus() {}

  static Sample generate(Reader reader, SplittableRandom rng) {
    return switch (reader) {
      case NCF -> ncf(rng);
      case LIGHTGCN -> lightGcn(rng);
      case MOVIELENS_DAT -> movieLens(rng, "ratings.dat", "::");
      case MOVIELENS_UDATA -> movieLens(rng, "u.data", "\t");
      case DELIMITED -> delimited(rng);
      case SEQUENCE -> sequence(rng);
    };
  }

  private static byte[] utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String pick(SplittableRandom rng, String... values) {
    return values[rng.nextInt(values.length)];
  }

  private static long timestamp(SplittableRandom rng) {
    return 978_300_000L + rng.nextInt(1_000_000);
  }

  private static Sample ncf(SplittableRandom rng) {
    int users = 2 + rng.nextInt(4);
    int items = 3 + rng.nextInt(6);
    StringBuilder train = new StringBuilder();
    for (int u = 0; u < users; u++) {
      int k = 1 + rng.nextInt(3);
      for (int j = 0; j < k; j++) {
        train
            .append(u)
            .append('\t')
            .append(rng.nextInt(items))
            .append('\t')
            .append(pick(rng, "5", "4", "3", "1", "2.5", "0", "4.0"))
            .append('\t')
            .append(timestamp(rng))
            .append('\n');
      }
    }
    StringBuilder test = new StringBuilder();
    StringBuilder neg = new StringBuilder();
    int testUsers = users + (rng.nextInt(5) == 0 ? 1 : 0); // sometimes a test-only user
    for (int u = 0; u < testUsers; u++) {
      if (u < users && rng.nextInt(6) == 0) {
        continue; // a user without a test row
      }
      int item = rng.nextInt(items + 1); // sometimes a test-only item
      test.append(u)
          .append('\t')
          .append(item)
          .append('\t')
          .append(pick(rng, "5", "3", "1"))
          .append('\t')
          .append(timestamp(rng))
          .append('\n');
      neg.append('(').append(u).append(',').append(item).append(')');
      int k = rng.nextInt(5);
      for (int j = 0; j < k; j++) {
        neg.append('\t').append(rng.nextInt(items + 2));
      }
      neg.append('\n');
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("x.train.rating", utf8(train));
    files.put("x.test.rating", utf8(test));
    files.put("x.test.negative", utf8(neg));
    return new Sample(
        Reader.NCF,
        files,
        Map.of("x.train.rating", "\t", "x.test.rating", "\t", "x.test.negative", "\t"));
  }

  private static Sample lightGcn(SplittableRandom rng) {
    int users = 2 + rng.nextInt(4);
    int items = 3 + rng.nextInt(6);
    StringBuilder train = new StringBuilder();
    for (int u = 0; u < users; u++) {
      train.append(u);
      int k = u == 0 ? 1 + rng.nextInt(4) : rng.nextInt(5); // user 0 always has an item
      for (int j = 0; j < k; j++) {
        train.append(' ').append(rng.nextInt(items));
      }
      train.append('\n');
    }
    StringBuilder test = new StringBuilder();
    for (int u = 0; u < users + 1; u++) {
      if (rng.nextInt(3) == 0) {
        continue;
      }
      test.append(u);
      int k = 1 + rng.nextInt(2);
      for (int j = 0; j < k; j++) {
        test.append(' ').append(rng.nextInt(items + 1));
      }
      test.append('\n');
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("train.txt", utf8(train));
    files.put("test.txt", utf8(test));
    return new Sample(Reader.LIGHTGCN, files, Map.of("train.txt", " ", "test.txt", " "));
  }

  private static Sample movieLens(SplittableRandom rng, String name, String d) {
    int rows = 4 + rng.nextInt(10);
    int users = 1 + rng.nextInt(5);
    int items = 2 + rng.nextInt(8);
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      sb.append(1 + rng.nextInt(users))
          .append(d)
          .append(1 + rng.nextInt(items))
          .append(d)
          .append(pick(rng, "1", "2", "3", "4", "5", "4.5", "0.5"))
          .append(d)
          .append(timestamp(rng))
          .append('\n');
    }
    Reader reader = name.equals("u.data") ? Reader.MOVIELENS_UDATA : Reader.MOVIELENS_DAT;
    return new Sample(reader, Map.of(name, utf8(sb)), Map.of(name, d));
  }

  private static Sample sequence(SplittableRandom rng) {
    int rows = 3 + rng.nextInt(10);
    int users = 1 + rng.nextInt(4);
    int items = 2 + rng.nextInt(8);
    String d = pick(rng, " ", " ", "\t", "  ");
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      sb.append(1 + rng.nextInt(users)).append(d).append(1 + rng.nextInt(items)).append('\n');
    }
    return new Sample(
        Reader.SEQUENCE,
        Map.of("seq.txt", utf8(sb)),
        Map.of("seq.txt", d.trim().isEmpty() ? d.substring(0, 1) : d));
  }

  private static final String[] USER_IDS = {
    "u1", "u2", "u3", "ü4", "用户5", "6", "007", "a b", "x,y", "q\"t", "u-9", "0"
  };
  private static final String[] ITEM_IDS = {
    "i1", "i2", "ítem3", "42", "9", "i 6", "it;7", "00", "i\"8", "商品", "i1 "
  };

  private static Sample delimited(SplittableRandom rng) {
    String d = pick(rng, ",", ",", "\t", ";");
    int variant = rng.nextInt(6);
    // columns: u = user, i = item, w = weight, t = timestamp, x = free text
    String[] header;
    String cols;
    switch (variant) {
      case 0 -> {
        header = new String[] {"user", "item", "weight", "timestamp"};
        cols = "uiwt";
      }
      case 1 -> {
        header = new String[] {"userId", "movieId", "rating", "timestamp"};
        cols = "uiwt";
      }
      case 2 -> {
        header = new String[] {"user_id", "item_id"};
        cols = "ui";
      }
      case 3 -> {
        header = new String[] {"item", "User", "count"};
        cols = "iuw";
      }
      case 4 -> {
        header = new String[] {"user", "item", "ts", "note"};
        cols = "uitx";
      }
      default -> {
        header = null;
        cols = pick(rng, "ui", "uiw", "uiwt");
      }
    }
    List<String> lines = new ArrayList<>();
    if (header != null) {
      List<String> h = new ArrayList<>();
      for (String name : header) {
        h.add(rng.nextInt(8) == 0 ? quote(name) : name);
      }
      lines.add(String.join(d, h));
    }
    int rows = 3 + rng.nextInt(9);
    for (int r = 0; r < rows; r++) {
      List<String> fields = new ArrayList<>();
      for (int ci = 0; ci < cols.length(); ci++) {
        char c = cols.charAt(ci);
        String v =
            switch (c) {
              case 'u' -> USER_IDS[rng.nextInt(header == null ? 7 : USER_IDS.length)];
              case 'i' -> ITEM_IDS[rng.nextInt(header == null ? 5 : ITEM_IDS.length)];
              case 'w' -> pick(rng, "1", "2.5", "0.5", "3", "1e1", "0.125");
              case 't' -> Long.toString(rng.nextInt(4) == 0 ? -timestamp(rng) : timestamp(rng));
              default -> pick(rng, "ok", "", "free text", "1");
            };
        boolean mustQuote =
            v.contains(d) || v.startsWith("\"") || v.endsWith(" ") || v.startsWith(" ");
        fields.add(mustQuote || rng.nextInt(7) == 0 ? quote(v) : v);
      }
      lines.add(String.join(d, fields));
    }
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    return new Sample(Reader.DELIMITED, Map.of("data.csv", utf8(sb)), Map.of("data.csv", d));
  }

  private static String quote(String v) {
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }
}
