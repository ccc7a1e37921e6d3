package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.graph.Graph;
import dev.netc.graph.Shape;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SyntheticWeights;
import dev.netc.runtime.opencl.KernelVariant;
import dev.netc.runtime.opencl.OpenClModel;
import dev.netc.runtime.opencl.OpenClTests;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU variant of every example network's kernels against PyTorch, run on whatever OpenCL device is here
 * (PoCL on the CPU in CI, where this variant is slow but must be exactly as correct). {@link PyTorchParityTest}
 * covers the variant written for the device; this one forces the other shape of kernels, so both are proven
 * on every build.
 */
class GpuKernelsParityTest {
  private static final double FLOAT32 = 2e-5;

  @BeforeEach
  void gpuKernels() {
    OpenClTests.assumeAvailable();
    System.setProperty("netc.opencl.variant", "gpu");
  }

  @AfterEach
  void clear() {
    System.clearProperty("netc.opencl.variant");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.netc.examples.PyTorchParityTest#networks")
  void matchesPyTorch(Class<?> network, long parameters) throws Exception {
    Graph graph = Netc.graph(network);
    float[] expected;
    try (SafeTensors fixture = SafeTensors.open(PyTorchParityTest.fixture(network.getSimpleName()))) {
      expected = PyTorchParityTest.toArray(fixture.view("output"));
    }
    int batch = 2;
    Shape in = graph.inputShape();
    float[] input = SyntheticWeights.input(batch, in.channels(), in.height(), in.width());
    try (OpenClModel model = (OpenClModel) Netc.load(network, new SyntheticWeights(), Backend.OPENCL)) {
      assertEquals(KernelVariant.GPU, model.kernelVariant());
      PyTorchParityTest.assertClose(expected, model.forward(input, batch), FLOAT32,
          network.getSimpleName() + " on " + model.backend());
      float[] one = model.forward(Arrays.copyOf(input, in.size()), 1);
      PyTorchParityTest.assertClose(Arrays.copyOf(expected, one.length), one, FLOAT32,
          network.getSimpleName() + " batch 1, gpu kernels");
    }
  }
}
