package org.totalrecall.data;

/** The input layouts TotalRecall reads; {@code --format} names them in lower case with dashes. */
public enum DataFormat {
  /** NCF leave-one-out: {@code *.train.rating}, {@code *.test.rating}, {@code *.test.negative}. */
  NCF,
  /** LightGCN adjacency lists: {@code train.txt} / {@code test.txt}, lines {@code user item item ...}. */
  LIGHTGCN,
  /** MovieLens {@code ratings.dat}: {@code UserID::MovieID::Rating::Timestamp}. */
  MOVIELENS_DAT,
  /** MovieLens-100k {@code u.data}: tab-separated user, item, rating, timestamp. */
  MOVIELENS_UDATA,
  /** Delimited text with a header or column flags: user, item, optional weight and timestamp. */
  DELIMITED
}
