/**
 * The {@code totalrecall} command line (picocli): {@code train}, {@code evaluate}, {@code
 * recommend} (u2i), {@code audience} (i2u, one item or a group), {@code similar}, {@code demo} and
 * {@code bench}. This package is the only place that parses flags into the library's config records
 * and turns external ids into dense indices and back; it never holds numeric code of its own beyond
 * formatting. Every failure becomes one line on stderr, {@code totalrecall: <message>}, and a
 * sysexits code ({@link org.totalrecall.cli.ExitCodes}); {@link org.totalrecall.cli.Main#run} runs
 * a command line in-process for tests.
 */
package org.totalrecall.cli;
