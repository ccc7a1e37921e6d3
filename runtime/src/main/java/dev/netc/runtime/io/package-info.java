/**
 * Reading and writing tensors: {@link dev.netc.runtime.io.SafeTensors} and {@link
 * dev.netc.runtime.io.SafeTensorsWriter} for weight files, {@link dev.netc.runtime.io.Npy} for NumPy arrays
 * (test inputs and expected outputs), and two in-memory {@link dev.netc.runtime.Weights}: {@link
 * dev.netc.runtime.io.MapWeights} and the deterministic {@link dev.netc.runtime.io.SyntheticWeights} that
 * netc's Python scripts reproduce exactly.
 *
 * <p>No third-party dependencies: the JSON of safetensors headers and the dict literal of .npy headers are
 * parsed by small parsers ({@link dev.netc.runtime.io.Json}, public for other netc JSON; the package-private
 * {@code NpyHeader}). Every file is written through {@link dev.netc.runtime.io.AtomicFiles}.
 */
package dev.netc.runtime.io;
