package org.totalrecall.cli.fuzz;

import java.util.List;
import org.totalrecall.data.DataFormat;

/**
 * The data readers under test, with the file names the suite writes for each (in reading order) and
 * what {@code --data} points at.
 */
enum Reader {
  NCF(DataFormat.NCF, List.of("x.train.rating", "x.test.rating", "x.test.negative"), null),
  LIGHTGCN(DataFormat.LIGHTGCN, List.of("train.txt", "test.txt"), null),
  MOVIELENS_DAT(DataFormat.MOVIELENS_DAT, List.of("ratings.dat"), "ratings.dat"),
  MOVIELENS_UDATA(DataFormat.MOVIELENS_UDATA, List.of("u.data"), "u.data"),
  DELIMITED(DataFormat.DELIMITED, List.of("data.csv"), "data.csv"),
  SEQUENCE(DataFormat.SEQUENCE, List.of("seq.txt"), "seq.txt");

  final DataFormat format;

  @SuppressWarnings("ImmutableEnumChecker") // always a List.of
  final List<String> files;

  /** The file {@code --data} names, or null for the directory. */
  final String target;

  Reader(DataFormat format, List<String> files, String target) {
    this.format = format;
    this.files = files;
    this.target = target;
  }

  String cliName() {
    return format.cliName();
  }

  /** The file holding the training rows (which must not be empty of interactions). */
  String trainFile() {
    return files.get(0);
  }
}
