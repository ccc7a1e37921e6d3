/**
 * The OpenCL backend's runtime, through JOCL: finding devices ({@link dev.netc.runtime.opencl.OpenCl}), a
 * context and queue with a binary cache of built programs ({@link dev.netc.runtime.opencl.ClSession}),
 * the base class of generated OpenCL models ({@link dev.netc.runtime.opencl.OpenClModel}), and the OpenCL trainer
 * ({@link dev.netc.runtime.opencl.OpenClTrainer}), which runs each network's generated training program ({@link
 * dev.netc.runtime.opencl.TrainingPrograms}).
 *
 * <p>Everything here degrades gracefully where OpenCL is missing: {@link dev.netc.runtime.opencl.OpenCl#isAvailable()}
 * is false and {@link dev.netc.runtime.opencl.OpenCl#unavailableReason()} says what to install; nothing
 * throws a linkage error.
 */
package dev.netc.runtime.opencl;
