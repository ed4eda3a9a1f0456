package org.totalrecall.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.totalrecall.data.DataFormat;
import org.totalrecall.data.DataLoader;
import org.totalrecall.data.Dataset;
import org.totalrecall.data.DuplicatePolicy;
import org.totalrecall.data.LoadOptions;
import org.totalrecall.data.UnknownIdPolicy;
import picocli.CommandLine.Option;

/**
 * Flags that name and read a data set (train, evaluate): {@code --data}, {@code --format}, load
 * policies.
 */
final class DataOptions {
  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR|FILE",
      description =
          "Data directory (or file) of one layout: NCF, LightGCN, MovieLens, delimited, sequence, Parquet (a file or a directory of part files).")
  Path data;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "Layout of --data (default: detected from the file names): ncf, lightgcn, movielens-dat, "
              + "movielens-udata, delimited, sequence, parquet; csv and tsv are delimited with that separator.")
  String format;

  @Option(
      names = "--duplicates",
      paramLabel = "POLICY",
      defaultValue = "sum",
      description =
          "Repeated (user, item) rows: sum, max, first or reject (default: ${DEFAULT-VALUE}); always counted.")
  String duplicates;

  @Option(
      names = "--delimiter",
      paramLabel = "SEP",
      defaultValue = "auto",
      description =
          "Field separator of delimited files: auto, tab, comma, semicolon, whitespace, double-colon "
              + "(default: ${DEFAULT-VALUE}).")
  String delimiter;

  @Option(
      names = "--unknown-ids",
      paramLabel = "POLICY",
      defaultValue = "keep",
      description =
          "Test or negative rows naming ids absent from training (NCF, LightGCN): keep, reject or drop "
              + "(default: ${DEFAULT-VALUE}); always counted.")
  String unknownIds;

  @Option(
      names = "--header",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "Whether delimited files start with a header line: auto, present or absent (default: ${DEFAULT-VALUE}).")
  String header;

  @Option(
      names = "--columns",
      paramLabel = "USER,ITEM[,WEIGHT[,TIME]]",
      split = ",",
      description =
          "Columns of delimited files, by header name or 0-based index; 'none' turns weight or time off "
              + "(default: named user/item/rating/timestamp columns, else 0, 1, [2], [3]).")
  java.util.List<String> columns;

  /** The parsed --format, or null to detect it. */
  DataFormat formatOrNull() {
    if (format == null) {
      return null;
    }
    if (aliasDelimiter() != null) {
      return DataFormat.DELIMITED;
    }
    try {
      return DataFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--format: " + e.getMessage());
    }
  }

  /** The separator that --format csv or tsv names (comma, tab), or null for another format. */
  private String aliasDelimiter() {
    if (format == null) {
      return null;
    }
    return switch (format.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "csv" -> "comma";
      case "tsv" -> "tab";
      default -> null;
    };
  }

  LoadOptions loadOptions() {
    LoadOptions o = LoadOptions.defaults();
    String alias = aliasDelimiter();
    if (alias != null) {
      if (!delimiter.equals("auto") && !delimiter.equals(alias)) {
        throw CliException.usage(
            "--format "
                + format
                + " reads "
                + alias
                + "-separated files; --delimiter "
                + delimiter
                + " contradicts it (use --format delimited --delimiter "
                + delimiter
                + ")");
      }
      o = o.withDelimiter(LoadOptions.Delimiter.parse(alias));
    }
    try {
      o = o.withDuplicatePolicy(DuplicatePolicy.parse(duplicates));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--duplicates: " + e.getMessage());
    }
    try {
      if (alias == null) {
        o = o.withDelimiter(LoadOptions.Delimiter.parse(delimiter));
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--delimiter: " + e.getMessage());
    }
    try {
      o = o.withUnknownIdPolicy(UnknownIdPolicy.parse(unknownIds));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--unknown-ids: " + e.getMessage());
    }
    o =
        o.withHeader(
            new EnumConverter<>(LoadOptions.HeaderMode.class).convertOrUsage(header, "--header"));
    if (columns != null) {
      if (columns.size() < 2 || columns.size() > 4) {
        throw CliException.usage(
            "--columns needs USER,ITEM[,WEIGHT[,TIME]], got " + String.join(",", columns));
      }
      try {
        o =
            o.withColumns(
                columns.get(0),
                columns.get(1),
                columns.size() > 2 ? columns.get(2) : null,
                columns.size() > 3 ? columns.get(3) : null);
      } catch (IllegalArgumentException e) {
        throw CliException.usage("--columns: " + e.getMessage());
      }
    }
    return o;
  }

  /**
   * Loads the data set. A missing path is exit 66; an undetectable layout or a malformed row exit
   * 65 (the row's message names file, line and field).
   */
  Dataset load() throws IOException {
    if (!Files.exists(data)) {
      throw CliException.noInput("data not found: " + data);
    }
    DataFormat f = formatOrNull();
    LoadOptions options = loadOptions();
    try {
      return DataLoader.load(data, f, options);
    } catch (IllegalArgumentException e) {
      throw CliException.data(data + ": " + e.getMessage());
    }
  }
}
