package org.totalrecall.spark;

import org.apache.spark.sql.SparkSession;

/** The local SparkSession of the module's tests: two threads, loopback, no UI, few partitions. */
final class LocalSpark {
  private LocalSpark() {}

  static SparkSession start() {
    return SparkSession.builder()
        .appName("totalrecall-test")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }
}
