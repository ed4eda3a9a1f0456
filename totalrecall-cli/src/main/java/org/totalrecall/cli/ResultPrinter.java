package org.totalrecall.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.totalrecall.data.IdIndex;
import org.totalrecall.retrieval.Neighbors;

/**
 * Prints a ranked result list of a retrieval command, translating dense indices back to external
 * ids: as a JSON object ({@code query} fields, then {@code results} = list of {@code {rank, <kind>,
 * score}}) or as a table with a title line.
 */
final class ResultPrinter {
  private ResultPrinter() {}

  /**
   * @param query the fields describing the request (command, model, ids, k, exclusions), in order
   * @param title the line above the table
   * @param kind "item" or "user": the JSON key and column header of the result ids
   * @param results best first, dense indices into {@code ids}
   */
  static void print(
      PrintWriter out,
      boolean json,
      Map<String, Object> query,
      String title,
      String kind,
      Neighbors results,
      IdIndex ids) {
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>(results.size());
      for (int r = 0; r < results.size(); r++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("rank", r + 1);
        row.put(kind, ids.idOf(results.index(r)));
        row.put("score", (double) results.score(r));
        rows.add(row);
      }
      Map<String, Object> doc = new LinkedHashMap<>(query);
      doc.put("results", rows);
      Json.print(out, doc);
      return;
    }
    out.println(title);
    int width = kind.length();
    for (int r = 0; r < results.size(); r++) {
      width = Math.max(width, ids.idOf(results.index(r)).length());
    }
    out.println(String.format(Locale.ROOT, "%4s  %-" + width + "s  %10s", "rank", kind, "score"));
    for (int r = 0; r < results.size(); r++) {
      out.println(
          String.format(
              Locale.ROOT,
              "%4d  %-" + width + "s  %10.4f",
              r + 1,
              ids.idOf(results.index(r)),
              results.score(r)));
    }
    if (results.size() == 0) {
      out.println("(no candidates left after exclusions)");
    }
    out.flush();
  }
}
