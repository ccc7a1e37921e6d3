package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netc.runtime.Model;
import dev.netc.runtime.io.SyntheticWeights;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A warmed-up forward pass allocates nothing on the calling thread: buffers, scratch and task objects are
 * created when the model loads (or when a larger batch first arrives), not per call.
 */
class SteadyStateTest {
  @Test
  void forwardAllocatesNothingOnceWarm() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    int batch = 4;
    float[] input = SyntheticWeights.input(batch, 1, 28, 28);
    float[] output = new float[batch * 10];
    try (Model model = LeNet5_Model.load(new SyntheticWeights())) {
      for (int i = 0; i < 2_000; i++) model.forward(input, output, batch); // JIT and first-call growth
      long before = threads.getThreadAllocatedBytes(self);
      for (int i = 0; i < 1_000; i++) model.forward(input, output, batch);
      long allocated = threads.getThreadAllocatedBytes(self) - before;
      // A few bytes may come from the measurement itself; one allocation per call would be >= 16,000.
      assertTrue(allocated < 4_096, "1,000 forward calls allocated " + allocated + " bytes");
    }
  }
}
