package org.totalrecall.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DataLoader picks the layout from the files present, and says clearly when it cannot. */
class FormatDetectionTest {
  @TempDir Path dir;

  private Path sub(String name, String... filesAndContents) throws IOException {
    Path d = Files.createDirectory(dir.resolve(name));
    for (int k = 0; k < filesAndContents.length; k += 2) {
      Files.writeString(d.resolve(filesAndContents[k]), filesAndContents[k + 1]);
    }
    return d;
  }

  @Test
  void eachLayoutIsDetectedFromItsFileNames() throws IOException {
    assertEquals(
        DataFormat.NCF,
        DataLoader.detect(sub("ncf", "a.train.rating", "0\t1\t1\t0\n", "notes.md", "x")));
    assertEquals(
        DataFormat.LIGHTGCN,
        DataLoader.detect(
            sub(
                "lgcn",
                "train.txt",
                "0 1 2\n",
                "test.txt",
                "0 3\n",
                "user_list.txt",
                "org_id remap_id\n1 0\n")));
    assertEquals(
        DataFormat.MOVIELENS_DAT,
        DataLoader.detect(
            sub("dat", "ratings.dat", "1::2::3::4\n", "movies.dat", "2::T::Comedy\n")));
    assertEquals(
        DataFormat.MOVIELENS_UDATA,
        DataLoader.detect(sub("udata", "u.data", "1\t2\t3\t4\n", "u.item", "x")));
    assertEquals(
        DataFormat.DELIMITED,
        DataLoader.detect(
            sub(
                "csv",
                "ratings-no-time.csv",
                "UserID,MovieID\n1,2\n",
                "movies.dat",
                "2::T::Comedy\n",
                "users.dat",
                "1::F::1::10::48067\n")));
    assertEquals(DataFormat.DELIMITED, DataLoader.detect(sub("tsv", "log.tsv", "u\ti\n")));
    assertEquals(
        DataFormat.SEQUENCE,
        DataLoader.detect(
            sub("seq", "Video.txt", "1 6393\n1 13504\n", "README.txt", "hello world\n")));
  }

  @Test
  void aFileIsClassifiedByItsName() throws IOException {
    Path d =
        sub(
            "files",
            "a.train.rating",
            "0\t1\t1\t0\n",
            "a.test.rating",
            "0\t2\t1\t5\n",
            "r.csv",
            "u,i\n",
            "Video.txt",
            "1 2\n",
            "u.data",
            "1\t2\t3\t4\n",
            "ratings.dat",
            "1::2::3::4\n",
            "notes.txt",
            "a b c\n");
    assertEquals(DataFormat.NCF, DataLoader.detect(d.resolve("a.test.rating")));
    assertEquals(DataFormat.DELIMITED, DataLoader.detect(d.resolve("r.csv")));
    assertEquals(DataFormat.SEQUENCE, DataLoader.detect(d.resolve("Video.txt")));
    assertEquals(DataFormat.MOVIELENS_UDATA, DataLoader.detect(d.resolve("u.data")));
    assertEquals(DataFormat.MOVIELENS_DAT, DataLoader.detect(d.resolve("ratings.dat")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DataLoader.detect(d.resolve("notes.txt")));
    assertTrue(
        e.getMessage().startsWith("cannot detect the data format of " + d.resolve("notes.txt")),
        e.getMessage());
    // Pointing at one NCF file reads the whole split.
    Dataset ncf = DataLoader.load(d.resolve("a.test.rating"), null, LoadOptions.defaults());
    assertEquals(1, ncf.train().size());
    assertEquals(1, ncf.test().size());
    assertNull(ncf.testNegatives(), "no .test.negative file");
  }

  @Test
  void gzipNamesAreRecognised() throws IOException {
    Path d = sub("gz", "train.txt.gz", "", "test.txt.gz", "");
    assertEquals(DataFormat.LIGHTGCN, DataLoader.detect(d));
  }

  @Test
  void nothingKnownListsTheFilesAndTheFormats() throws IOException {
    Path d = sub("none", "notes.md", "x", "b.json", "{}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DataLoader.detect(d));
    assertEquals(
        "cannot detect the data format of "
            + d
            + ": no known layout among the files [b.json, notes.md]; "
            + FormatDetector.KNOWN,
        e.getMessage());
  }

  @Test
  void severalLayoutsOrFilesAreAmbiguous() throws IOException {
    Path d = sub("two", "a.csv", "u,i\n", "b.csv", "u,i\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DataLoader.detect(d));
    assertEquals(
        "cannot detect the data format of "
            + d
            + ": the files fit several layouts: delimited (a.csv), "
            + "delimited (b.csv); pass --format and/or a file; "
            + FormatDetector.KNOWN,
        e.getMessage());
    Path mixed = sub("mixed", "u.data", "1\t2\t3\t4\n", "ratings.dat", "1::2::3::4\n");
    e = assertThrows(IllegalArgumentException.class, () -> DataLoader.detect(mixed));
    assertTrue(
        e.getMessage()
            .contains("several layouts: movielens-dat (ratings.dat), movielens-udata (u.data)"),
        e.getMessage());
    // An explicit format resolves it.
    Dataset ds = DataLoader.load(mixed, DataFormat.MOVIELENS_UDATA, LoadOptions.defaults());
    assertEquals(DataFormat.MOVIELENS_UDATA, ds.format());
  }

  @Test
  void explicitFormatWithoutItsFilesIsAClearError() throws IOException {
    Path d = sub("udata2", "u.data", "1\t2\t3\t4\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DataLoader.load(d, DataFormat.NCF, LoadOptions.defaults()));
    assertTrue(
        e.getMessage()
            .startsWith("cannot read " + d + " as ncf: no matching file among the files [u.data]"),
        e.getMessage());
  }

  @Test
  void explicitFormatReadsAFileWhateverItsName() throws IOException {
    Path d = sub("named", "events.log", "1 2\n1 3\n2 3\n");
    Dataset ds =
        DataLoader.load(d.resolve("events.log"), DataFormat.SEQUENCE, LoadOptions.defaults());
    assertEquals(3, ds.train().size());
    assertNotNull(ds.train().times());
  }

  @Test
  void missingPathIsNoSuchFile() {
    assertThrows(
        NoSuchFileException.class,
        () -> DataLoader.load(dir.resolve("nope"), null, LoadOptions.defaults()));
  }
}
