package org.totalrecall.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts and policy decisions of one load, so that nothing is dropped silently: every line of
 * every file read is accounted for as a row kept, a blank line, a header or comment, a duplicate
 * (with the policy applied), or a row about an id unseen in training (with the policy applied).
 * The CLI prints it; the model file stores it.
 *
 * @param files the files read, in order
 * @param lines physical lines read over all files
 * @param rows data rows parsed
 * @param blankLines blank lines skipped (policy: always skipped, always counted)
 * @param headerLines header or comment lines skipped
 * @param duplicates rows repeating an earlier (user, item) pair of the same file
 * @param duplicatePolicy what was done with them
 * @param unknownIds test or negative rows naming a user or item absent from training
 * @param unknownIdPolicy what was done with them
 * @param numUsers distinct users after the load
 * @param numItems distinct items after the load
 * @param trainInteractions distinct training interactions
 * @param testInteractions distinct test interactions (0 without a test split)
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
    long testInteractions) {

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
    return m;
  }
}
