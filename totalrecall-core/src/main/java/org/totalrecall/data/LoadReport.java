package org.totalrecall.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts and policy decisions of one load, so that nothing is dropped silently: every physical line
 * of every file read is a data row, a blank line or a header line ({@code lines == rows +
 * blankLines + headerLines}), and every row that is not kept as it is shows up as a duplicate (with
 * the policy applied) or an unknown id (with the policy applied). The CLI prints {@link
 * #summaryLine()}; the model file stores {@link #toMap()}.
 *
 * @param files the files read, in order (as given, full paths)
 * @param lines physical lines read over all files
 * @param rows data rows parsed (NCF negative rows and LightGCN user lines included)
 * @param blankLines blank (empty or whitespace-only) lines; always skipped, always counted
 * @param headerLines header lines skipped
 * @param duplicates rows (or LightGCN list entries) repeating an earlier (user, item) pair of the
 *     same part, train or test
 * @param duplicatePolicy what was done with them ({@link DuplicatePolicy} name)
 * @param unknownIds test rows, or single NCF negative candidates, naming a user or item absent from
 *     the training file(s); kept or dropped as the policy says
 * @param unknownIdPolicy what was done with them ({@link UnknownIdPolicy} name)
 * @param numUsers distinct users after the load (size of the user index)
 * @param numItems distinct items after the load (size of the item index)
 * @param trainInteractions distinct training interactions
 * @param testInteractions distinct test interactions (0 without a test split)
 * @param emptyRows LightGCN user lines listing no item (the user is kept, with an empty row)
 * @param testOnlyUsers users that occur only in test or negatives (kept with empty training rows)
 * @param testOnlyItems items that occur only in test or negatives (kept with empty training
 *     columns)
 * @param negativeRows NCF {@code test.negative} rows read
 * @param negatives negative candidates kept over all users
 * @param trainTestOverlap test interactions whose (user, item) pair is also a training interaction
 */
public record LoadReport(
    List<String> files,
    long lines,
    long rows,
    long blankLines,
    long headerLines,
    long duplicates,
    String duplicatePolicy,
    long unknownIds,
    String unknownIdPolicy,
    int numUsers,
    int numItems,
    long trainInteractions,
    long testInteractions,
    long emptyRows,
    int testOnlyUsers,
    int testOnlyItems,
    long negativeRows,
    long negatives,
    long trainTestOverlap) {

  /** Copies {@code files}. */
  public LoadReport {
    files = List.copyOf(files);
  }

  /** The report as an ordered map, for JSON output and model metadata. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", files);
    m.put("lines", lines);
    m.put("rows", rows);
    m.put("blankLines", blankLines);
    m.put("headerLines", headerLines);
    m.put("duplicates", duplicates);
    m.put("duplicatePolicy", duplicatePolicy);
    m.put("unknownIds", unknownIds);
    m.put("unknownIdPolicy", unknownIdPolicy);
    m.put("numUsers", numUsers);
    m.put("numItems", numItems);
    m.put("trainInteractions", trainInteractions);
    m.put("testInteractions", testInteractions);
    m.put("emptyRows", emptyRows);
    m.put("testOnlyUsers", testOnlyUsers);
    m.put("testOnlyItems", testOnlyItems);
    m.put("negativeRows", negativeRows);
    m.put("negatives", negatives);
    m.put("trainTestOverlap", trainTestOverlap);
    return m;
  }

  /**
   * One line of text for the CLI, e.g. {@code 6040 users, 3706 items, 994169 train, 6040 test
   * interactions, 597960 negatives; 1012249 lines: 1012249 rows, 0 blank, 0 header; 0 duplicates
   * (SUM), 0 unknown ids (KEEP), 0 test-only users, 2 test-only items}. Parts that do not apply
   * (test, negatives, empty rows, overlap) are left out when zero.
   */
  public String summaryLine() {
    StringBuilder sb = new StringBuilder();
    sb.append(numUsers)
        .append(" users, ")
        .append(numItems)
        .append(" items, ")
        .append(trainInteractions)
        .append(" train");
    if (testInteractions > 0) {
      sb.append(", ").append(testInteractions).append(" test");
    }
    sb.append(" interactions");
    if (negativeRows > 0) {
      sb.append(", ").append(negatives).append(" negatives");
    }
    sb.append("; ")
        .append(lines)
        .append(" lines: ")
        .append(rows)
        .append(" rows, ")
        .append(blankLines)
        .append(" blank, ")
        .append(headerLines)
        .append(" header");
    if (emptyRows > 0) {
      sb.append(", ").append(emptyRows).append(" empty user rows");
    }
    sb.append("; ")
        .append(duplicates)
        .append(" duplicates (")
        .append(duplicatePolicy)
        .append("), ")
        .append(unknownIds)
        .append(" unknown ids (")
        .append(unknownIdPolicy)
        .append(")");
    if (testOnlyUsers > 0 || testOnlyItems > 0 || testInteractions > 0) {
      sb.append(", ")
          .append(testOnlyUsers)
          .append(" test-only users, ")
          .append(testOnlyItems)
          .append(" test-only items");
    }
    if (trainTestOverlap > 0) {
      sb.append(", ").append(trainTestOverlap).append(" test pairs also in train");
    }
    return sb.toString();
  }
}
