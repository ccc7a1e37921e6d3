package dev.netc.examples.oclgrind;

import dev.netc.graph.Shape;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SyntheticWeights;

/**
 * Runs networks once on the OpenCL backend, for tools/oclgrind-check.sh, which runs this program under the
 * oclgrind simulator to catch invalid memory accesses, data races and API misuse in the generated kernels.
 * Arguments: fully qualified description class names. Each runs a batch of {@value #BATCH}: enough for the
 * cpu dense kernel's path for blocks of four images and the single image after them.
 */
public final class OclgrindRun {
  private OclgrindRun() {}

  static final int BATCH = 5;

  public static void main(String[] args) throws Exception {
    for (String name : args) {
      Class<?> network = Class.forName(name);
      Shape in = Netc.graph(network).inputShape();
      try (Model model = Netc.load(network, new SyntheticWeights(), Backend.OPENCL)) {
        float[] out = model.forward(SyntheticWeights.input(BATCH, in.channels(), in.height(), in.width()), BATCH);
        System.out.println(network.getSimpleName() + " on " + model.backend() + ": " + out.length + " outputs");
      }
    }
  }
}
