/**
 * Files in and out: {@link org.bgtai.tensor.io.Json} (strict JSON for configs and reports),
 * {@link org.bgtai.tensor.io.SafetensorsFile} / {@link org.bgtai.tensor.io.SafetensorsWriter}
 * (weights and fixtures in the huggingface/safetensors format, read with strict validation and
 * memory mapping), {@link org.bgtai.tensor.io.HalfFloats} (F16/BF16 conversions) and
 * {@link org.bgtai.tensor.io.AtomicFiles} (write-temp-fsync-rename, used for checkpoints).
 *
 * <p>Everything here works on plain Java arrays, so it has no dependency on the tensor classes.
 */
package org.bgtai.tensor.io;
