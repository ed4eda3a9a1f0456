/**
 * The report page of {@code totalrecall report} and {@code train --report}: {@link
 * org.totalrecall.cli.report.ReportModel} (what is shown of one model), {@link
 * org.totalrecall.cli.report.CandidateStats} (popularity and diversity of every query's top-k) and
 * {@link org.totalrecall.cli.report.ReportWriter} (XChart charts as PNG and SVG, one HTML page).
 * Depends on the core only, never on the command line's own classes.
 */
package org.totalrecall.cli.report;
