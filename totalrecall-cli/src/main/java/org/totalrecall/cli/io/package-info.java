/**
 * File formats the command line writes beyond CSV: {@link org.totalrecall.cli.io.ParquetTables},
 * Parquet tables of ranked candidates, exported vectors and interaction logs, through
 * parquet-hadoop's writer without a Hadoop client. Depends on nothing else of the CLI.
 */
package org.totalrecall.cli.io;
