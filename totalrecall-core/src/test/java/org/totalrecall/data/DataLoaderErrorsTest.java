package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed input: every error names file, line and field, with exact messages. */
class DataLoaderErrorsTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private InteractionFormatException loadFails(Path path, DataFormat format, LoadOptions options) {
    return assertThrows(
        InteractionFormatException.class, () -> DataLoader.load(path, format, options));
  }

  @Test
  void nonIntegerItemNamesFileLineAndField() throws IOException {
    write("ml-1m.train.rating", "0\t1\t1\t0\n0\tx7\t1\t0\n");
    InteractionFormatException e = loadFails(dir, null, LoadOptions.defaults());
    assertEquals(
        "ml-1m.train.rating:2: field 'item' is not an integer, got \"x7\"", e.getMessage());
    assertEquals(2, e.lineNumber());
    assertEquals("item", e.field());
    assertEquals(dir.resolve("ml-1m.train.rating"), e.file());
  }

  @Test
  void negativeIdIsRejectedAsNotNonNegative() throws IOException {
    Path f = write("u.data", "1\t2\t3\t4\n-5\t2\t3\t4\n");
    assertEquals(
        "u.data:2: field 'user' must be a non-negative integer, got \"-5\"",
        loadFails(f, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void missingFieldNamesItAndTheExpectedCount() throws IOException {
    write("ml-1m.train.rating", "0\t1\t1\t0\n0\t2\t1\n");
    assertEquals(
        "ml-1m.train.rating:2: field 'timestamp' is missing: expected 4 fields "
            + "(user, item, rating, timestamp), got 3",
        loadFails(dir, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void extraFieldNamesTheLineAndTheExpectedCount() throws IOException {
    Path f = write("u.data", "1\t2\t3\t4\t5\n");
    assertEquals(
        "u.data:1: field 'column 5' is unexpected: expected 4 fields "
            + "(user, item, rating, timestamp), got 5",
        loadFails(f, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void nonFiniteOrNonPositiveWeightIsRejected() throws IOException {
    String[] bad = {"NaN", "Infinity", "-Infinity", "0", "-1.5", "1e39"};
    for (String w : bad) {
      Path f = write("ratings.csv", "user,item,weight\na,b,1\na,c," + w + "\n");
      assertEquals(
          "ratings.csv:3: field 'weight' must be finite and > 0, got \"" + w + "\"",
          loadFails(f, null, LoadOptions.defaults()).getMessage(),
          w);
    }
    Path f = write("ratings.csv", "user,item,weight\na,b,1f\n");
    assertEquals(
        "ratings.csv:2: field 'weight' is not a number, got \"1f\"",
        loadFails(f, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void movieLensRatingIsTheWeightAndIsNamedRating() throws IOException {
    Path f = write("ratings.dat", "1::2::5::978300760\n1::3::NaN::978300760\n");
    assertEquals(
        "ratings.dat:2: field 'rating' must be finite and > 0, got \"NaN\"",
        loadFails(f, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void badTimestampIsRejected() throws IOException {
    Path f = write("u.data", "1\t2\t3\t881250949\n1\t3\t3\t12.5\n");
    assertEquals(
        "u.data:2: field 'timestamp' is not an integer, got \"12.5\"",
        loadFails(f, null, LoadOptions.defaults()).getMessage());
    write("x.train.rating", "0\t1\t1\tnow\n");
    assertEquals(
        "x.train.rating:1: field 'timestamp' is not an integer, got \"now\"",
        loadFails(dir.resolve("x.train.rating"), null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void ncfRatingMustBeANumber() throws IOException {
    write("x.train.rating", "0\t1\tfive\t0\n");
    assertEquals(
        "x.train.rating:1: field 'rating' is not a number, got \"five\"",
        loadFails(dir, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void ncfNegativeHeaderMustMatchTheTestRow() throws IOException {
    write("x.train.rating", "0\t1\t1\t0\n1\t2\t1\t0\n");
    write("x.test.rating", "0\t3\t5\t100\n1\t5\t4\t200\n");
    write("x.test.negative", "(0,3)\t1\t2\n(1,6)\t1\t3\n");
    assertEquals(
        "x.test.negative:2: field 'pair' must equal the pair of x.test.rating:2, (1,5), got \"(1,6)\"",
        loadFails(dir, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void ncfNegativesWithTooFewOrMalformedRowsAreRejected() throws IOException {
    write("x.train.rating", "0\t1\t1\t0\n1\t2\t1\t0\n");
    write("x.test.rating", "0\t3\t5\t100\n1\t5\t4\t200\n");
    write("x.test.negative", "(0,3)\t1\t2\n");
    assertEquals(
        "x.test.negative:2: field 'pair' is missing: x.test.rating has 2 rows but this file ends "
            + "after 1 (row for x.test.rating:2)",
        loadFails(dir, null, LoadOptions.defaults()).getMessage());
    write("x.test.negative", "(0,3)\t1\t2\n1,5\t1\n");
    assertEquals(
        "x.test.negative:2: field 'pair' is not of the form (user,item), got \"1,5\"",
        loadFails(dir, null, LoadOptions.defaults()).getMessage());
    write("x.test.negative", "(0,3)\t1\t2\n(1,5)\t1\tz\n");
    assertEquals(
        "x.test.negative:2: field 'negative 2' is not an integer, got \"z\"",
        loadFails(dir, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void lightGcnBadItemNamesLine() throws IOException {
    write("train.txt", "0 1 2\n1 3 4x\n");
    write("test.txt", "0 3\n");
    assertEquals(
        "train.txt:2: field 'item' is not an integer, got \"4x\"",
        loadFails(dir, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void delimitedEmptyIdAndUnterminatedQuoteAreRejected() throws IOException {
    Path f = write("r.csv", "user,item\na,b\n,c\n");
    assertEquals(
        "r.csv:3: field 'user' is empty", loadFails(f, null, LoadOptions.defaults()).getMessage());
    f = write("r.csv", "user,item\na,\"b\n");
    assertEquals(
        "r.csv:2: field 'item' has an unterminated quote",
        loadFails(f, null, LoadOptions.defaults()).getMessage());
  }

  @Test
  void sequenceRowsMustHaveTwoFields() throws IOException {
    Path f = write("Video.txt", "1 2\n1 3 4\n");
    assertEquals(
        "Video.txt:2: field 'column 3' is unexpected: expected 2 fields (user, item), got 3",
        loadFails(f, DataFormat.SEQUENCE, LoadOptions.defaults()).getMessage());
  }

  @Test
  void unknownFormatValueListsTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DataFormat.parse("csv"));
    assertEquals(
        "unknown format \"csv\"; valid values: ncf, lightgcn, movielens-dat, movielens-udata, "
            + "delimited, sequence, parquet",
        e.getMessage());
  }

  @Test
  void formatNamesRoundTrip() {
    for (DataFormat f : DataFormat.values()) {
      assertEquals(f, DataFormat.parse(f.cliName()));
    }
    assertEquals(DataFormat.MOVIELENS_DAT, DataFormat.parse("MovieLens_Dat"));
  }
}
