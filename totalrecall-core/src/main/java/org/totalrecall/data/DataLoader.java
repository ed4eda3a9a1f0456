package org.totalrecall.data;

import java.io.IOException;
import java.nio.file.Path;
import org.totalrecall.util.Checks;

/**
 * Loads an interaction data set from a directory or file into a {@link Dataset}: external ids
 * mapped to dense indices ({@link IdIndex}), training (and, where the layout has one, test)
 * interactions in CSR form, NCF negatives, and a {@link LoadReport} accounting for every line.
 *
 * <p>All readers stream the files line by line (never the whole file in memory), read gzip input
 * transparently (detected by the magic bytes 1f 8b, whatever the name), and turn every malformed
 * row into an {@link InteractionFormatException} naming file, line and field. Per layout:
 *
 * <ul>
 *   <li>{@link DataFormat#NCF}: {@code user item rating timestamp} rows (tab separated); every
 *       train row is a positive; the rating must be a finite number and is not kept; timestamps are
 *       kept. The {@code (user,item)} header of each {@code .test.negative} row must equal the
 *       matching {@code .test.rating} row. Ids are integers; the item universe is every id of the
 *       three files.
 *   <li>{@link DataFormat#LIGHTGCN}: {@code user item item ...} lines; no weights or timestamps.
 *   <li>{@link DataFormat#MOVIELENS_DAT} ({@code ::}) and {@link DataFormat#MOVIELENS_UDATA} (tab):
 *       exactly {@code user item rating timestamp}; the rating is the weight (finite, > 0); no test
 *       split.
 *   <li>{@link DataFormat#DELIMITED}: columns and header as {@link LoadOptions} says; ids are
 *       arbitrary non-empty strings (UTF-8); no test split.
 *   <li>{@link DataFormat#SEQUENCE}: {@code user item} lines; timestamp = 1-based line number.
 *   <li>{@link DataFormat#PARQUET}: a Parquet file or a directory of part files, columns by name as
 *       for DELIMITED ({@link ParquetInteractionReader}); the 1-based row stands for the line in
 *       messages; no test split.
 * </ul>
 *
 * <p>A training file that yields no interaction (empty, blank or header lines only) is an {@link
 * InteractionFormatException} of the whole file with its line counts; lines must be UTF-8 (see
 * {@link LineReader} for encoding, line-end and gzip errors).
 *
 * <p>Dense order: see {@link LoadOptions.IdOrder} (by default numeric ids keep their numeric order,
 * so NCF's and LightGCN's ids 0..n-1 are their own dense indices and {@code --user 0} means NCF's
 * user 0). Ids seen only in test files join the index with empty training rows under the default
 * {@link UnknownIdPolicy#KEEP}. Stateless and thread-safe (each call is independent).
 */
public final class DataLoader {
  private DataLoader() {}

  private static final String[] RATING_FIELDS = {"user", "item", "rating", "timestamp"};

  /**
   * Loads a data set.
   *
   * @param dirOrFile a directory holding the files of one layout, or one of its files
   * @param formatOrNull the layout, or null to detect it from the file names (see {@link
   *     #detect(Path)})
   * @param options policies and DELIMITED column options
   * @throws IllegalArgumentException if the layout cannot be detected (the message lists the files
   *     seen and the formats known) or the options do not fit the file
   * @throws InteractionFormatException for a malformed row
   * @throws IOException if a file cannot be read
   */
  public static Dataset load(Path dirOrFile, DataFormat formatOrNull, LoadOptions options)
      throws IOException {
    Checks.notNull("dirOrFile", dirOrFile);
    Checks.notNull("options", options);
    FormatDetector.Source source = FormatDetector.resolve(dirOrFile, formatOrNull);
    LoadState state = new LoadState(options);
    DataFormat format = source.format();
    return switch (format) {
      case NCF -> {
        RowReader.Columns cols =
            new RowReader.Columns(RATING_FIELDS, 0, 1, -1, 3, 2, true, false, false);
        FieldSplitter tab = new FieldSplitter(LoadOptions.Delimiter.TAB, false);
        state.train = new PairBuffer(source.train(), false, true);
        RowReader.read(state, source.train(), tab, cols, null);
        state.requireTrainInteractions(source.train());
        state.endTrain();
        if (source.test() != null) {
          state.test = new PairBuffer(source.test(), false, true);
          long[][] testRows = new long[2][];
          RowReader.read(state, source.test(), tab, cols, testRows);
          if (source.negatives() != null) {
            NegativesReader.read(
                state, source.negatives(), source.test(), testRows[0], testRows[1]);
          }
        }
        yield state.finish(format, source.negatives() != null);
      }
      case LIGHTGCN -> {
        state.train = new PairBuffer(source.train(), false, false);
        AdjacencyReader.read(state, source.train());
        state.requireTrainInteractions(source.train());
        state.endTrain();
        if (source.test() != null) {
          state.test = new PairBuffer(source.test(), false, false);
          AdjacencyReader.read(state, source.test());
        }
        yield state.finish(format, false);
      }
      case MOVIELENS_DAT, MOVIELENS_UDATA -> {
        RowReader.Columns cols =
            new RowReader.Columns(RATING_FIELDS, 0, 1, 2, 3, -1, true, false, false);
        LoadOptions.Delimiter d =
            format == DataFormat.MOVIELENS_DAT
                ? LoadOptions.Delimiter.DOUBLE_COLON
                : LoadOptions.Delimiter.TAB;
        state.train = new PairBuffer(source.train(), true, true);
        RowReader.read(state, source.train(), new FieldSplitter(d, false), cols, null);
        state.requireTrainInteractions(source.train());
        yield state.finish(format, false);
      }
      case SEQUENCE -> {
        RowReader.Columns cols =
            new RowReader.Columns(
                new String[] {"user", "item"}, 0, 1, -1, -1, -1, true, true, false);
        state.train = new PairBuffer(source.train(), false, true);
        RowReader.read(
            state,
            source.train(),
            new FieldSplitter(LoadOptions.Delimiter.WHITESPACE, false),
            cols,
            null);
        state.requireTrainInteractions(source.train());
        yield state.finish(format, false);
      }
      case DELIMITED -> {
        DelimitedLayout.Layout layout = DelimitedLayout.resolve(source.train(), options);
        RowReader.Columns cols = layout.columns();
        state.train = new PairBuffer(source.train(), cols.weighted(), cols.timed());
        RowReader.read(
            state, source.train(), new FieldSplitter(layout.delimiter(), true), cols, null);
        state.requireTrainInteractions(source.train());
        yield state.finish(format, false);
      }
      case PARQUET -> {
        java.util.List<Path> files = ParquetInteractionReader.files(source.train());
        boolean[] wt = ParquetInteractionReader.weightedAndTimed(files.get(0), options);
        state.train = new PairBuffer(source.train(), wt[0], wt[1]);
        ParquetInteractionReader.read(state, files, options);
        state.requireTrainInteractions(source.train());
        yield state.finish(format, false);
      }
    };
  }

  /**
   * The layout {@link #load} would read at {@code dirOrFile} when given no format.
   *
   * @throws IllegalArgumentException if none or several layouts fit (the message lists the files)
   */
  public static DataFormat detect(Path dirOrFile) throws IOException {
    return FormatDetector.resolve(dirOrFile, null).format();
  }
}
