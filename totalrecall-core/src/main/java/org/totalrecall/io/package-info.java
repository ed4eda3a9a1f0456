/**
 * Persistence of trained models: {@link org.totalrecall.io.ModelFormat} writes and reads a {@link
 * org.totalrecall.model.FactorModel} as one versioned, checksummed binary file (magic, format
 * version, JSON metadata, id maps, little-endian float32 tables, optional training interactions,
 * CRC32C per section), written atomically through a temporary file; {@link
 * org.totalrecall.io.ModelFormatException} reports a file that is not a model, has an unsupported
 * version, or is truncated or corrupted, naming the section at fault. A golden version-1 file in
 * the test resources must keep loading in every later build.
 */
package org.totalrecall.io;
