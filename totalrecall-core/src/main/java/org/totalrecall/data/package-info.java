/**
 * Interaction data: reading it, indexing it, describing it.
 *
 * <p>Owns {@link org.totalrecall.data.IdIndex} (external string id ⇄ dense index), {@link
 * org.totalrecall.data.Interactions} (CSR user → item with weights/timestamps, plus its cached
 * transpose), {@link org.totalrecall.data.Dataset}, the loaders ({@link
 * org.totalrecall.data.DataLoader} with {@link org.totalrecall.data.LoadOptions}, {@link
 * org.totalrecall.data.DataFormat}, {@link org.totalrecall.data.LoadReport}, {@link
 * org.totalrecall.data.DuplicatePolicy}, {@link org.totalrecall.data.UnknownIdPolicy}, {@link
 * org.totalrecall.data.InteractionFormatException}), item side information ({@link
 * org.totalrecall.data.ItemCategories}), {@link org.totalrecall.data.DataFingerprint} and {@link
 * org.totalrecall.data.SyntheticData}.
 *
 * <p>Layouts read: the NCF leave-one-out files of He et al., "Neural Collaborative Filtering" (WWW
 * 2017); the LightGCN adjacency lists of He et al., "LightGCN" (SIGIR 2020); MovieLens {@code
 * ratings.dat} and {@code u.data} (Harper &amp; Konstan 2015); SASRec's sequences (Kang &amp;
 * McAuley, ICDM 2018); and generic delimited files. Readers stream, detect gzip by magic bytes, and
 * name file, line and field for every bad row; nothing is dropped silently (see {@link
 * org.totalrecall.data.LoadReport}).
 */
package org.totalrecall.data;
