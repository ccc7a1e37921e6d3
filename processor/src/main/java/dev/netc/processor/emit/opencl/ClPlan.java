package dev.netc.processor.emit.opencl;

import dev.netc.graph.WeightSpec;
import java.util.List;

/**
 * One network lowered for OpenCL: the program's source and, in launch order, what the generated model class
 * must do with it (upload these tensors once, launch these kernels per forward pass). {@link
 * OpenClModelWriter} turns it into Java; the kernels themselves are already final text.
 *
 * @param source the OpenCL C program ({@code <Name>.cl})
 * @param uploads device buffers the model uploads while loading, in first-use order
 * @param launches one or (dense + softmax) two launches per fused group, in graph order
 * @param groups per fused group (the fused graph's nodes but the input, in order), its launches: {@code
 *     launches.subList(from, to)}
 */
record ClPlan(String source, List<Upload> uploads, List<Launch> launches, List<Group> groups) {

  ClPlan {
    uploads = List.copyOf(uploads);
    launches = List.copyOf(launches);
    groups = List.copyOf(groups);
  }

  /** A fused group's launches, {@code launches.subList(from, to)}; none for a concatenation done in place. */
  record Group(String node, int from, int to) {}

  /** A device buffer filled once at load time. */
  sealed interface Upload permits Tensor, BatchNormParams, Folded {}

  /** A weight tensor uploaded as stored (PyTorch's layout), read with its expected shape. */
  record Tensor(String field, WeightSpec spec) implements Upload {}

  /**
   * Batch norm's four tensors folded into two buffers ({@code y = x * scale + shift}, computed in double by
   * {@code Packing} exactly as the Java backend does).
   *
   * @param specs gamma, beta, running mean, running variance, as the graph expects them
   * @param locals unique names for the four tensors while loading, in the order of {@code specs}
   */
  record BatchNormParams(String scaleField, String shiftField, String prefix, double eps, List<WeightSpec> specs,
      List<String> locals) implements Upload {
    BatchNormParams {
      specs = List.copyOf(specs);
      locals = List.copyOf(locals);
    }
  }

  /**
   * A convolution's or dense layer's weights and bias with a batch norm folded in at load time ({@code
   * Packing.foldBatchNorm}, exactly as the Java backend does); the tensors are read under their own names.
   *
   * @param bias the layer's own bias, or null (the folded bias exists anyway)
   * @param local a unique name for the folded pair while loading
   */
  record Folded(String weightField, String biasField, WeightSpec weight, WeightSpec bias, String normPrefix,
      double eps, String local) implements Upload {}

  /**
   * One kernel launch. The global size is {@code dims} followed by the batch (over {@code
   * imagesPerItem}); the local size is {@code local}
   * followed by 1. Cost estimates are per image (the weights' bytes once per launch) and feed the runtime's
   * profiling only.
   *
   * @param kernel the {@code __kernel}'s name
   * @param label the described layers it computes, e.g. {@code conv1/conv + conv1}
   * @param dims the global sizes of the dimensions before the batch (dimension 0 rounded up to its local size)
   * @param local the local sizes of those dimensions
   * @param flopsPerImage arithmetic per image: 2 x multiply-adds for convolution and dense layers
   * @param bytesPerImage activation bytes read and written per image, each tensor counted once
   * @param weightBytes bytes of weights read per launch
   * @param buffers fields of the weight buffers passed after {@code arena, batch}, in parameter order
   * @param imagesPerItem images each work-item computes: the last global dimension is {@code batch} divided by
   *     it, rounded up (1 for nearly every kernel; the CPU dense kernel takes groups of images so that the
   *     weights it streams are reused from cache)
   */
  record Launch(String kernel, String label, List<Long> dims, List<Long> local, long flopsPerImage,
      long bytesPerImage, long weightBytes, List<String> buffers, int imagesPerItem) {
    Launch {
      if (imagesPerItem < 1) throw new IllegalArgumentException("imagesPerItem " + imagesPerItem);
      dims = List.copyOf(dims);
      local = List.copyOf(local);
      buffers = List.copyOf(buffers);
    }
  }
}
