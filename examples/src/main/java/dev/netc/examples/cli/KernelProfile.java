package dev.netc.examples.cli;

import dev.netc.runtime.Model;
import dev.netc.runtime.opencl.KernelTiming;
import dev.netc.runtime.opencl.OpenClModel;
import java.util.List;

/**
 * {@code netc bench --profile}: one more forward pass with OpenCL profiling events on, as a table of kernels
 * with their time, share of the total, GFLOP/s and GB/s. Profiling is off while the timed runs execute, so
 * it does not distort them.
 */
final class KernelProfile {
  private KernelProfile() {}

  static String of(Model model, float[] input, int batch) {
    if (!(model instanceof OpenClModel cl)) {
      throw new UsageException("--profile reads OpenCL profiling events; use it with --backend opencl");
    }
    float[] output = new float[batch * model.outputShape().size()];
    cl.setProfiling(true);
    try {
      model.forward(input, output, batch);
      return table(cl.lastProfile());
    } finally {
      cl.setProfiling(false);
    }
  }

  static String table(List<KernelTiming> timings) {
    long total = 0;
    for (KernelTiming t : timings) total += t.nanos();
    Table table = new Table().left("kernel").left("layers").right("ms").right("share").right("GFLOP/s")
        .right("GB/s");
    for (KernelTiming t : timings) {
      table.row(t.kernel(), t.label(), Table.decimal(t.nanos() / 1e6, 3),
          Table.decimal(total == 0 ? 0 : 100.0 * t.nanos() / total, 1) + "%", Table.decimal(t.gflops(), 1),
          Table.decimal(t.gbPerSecond(), 1));
    }
    table.row("total", "", Table.decimal(total / 1e6, 3), "100.0%", "", "");
    return "\nKernels (one profiled forward pass)\n" + table.render();
  }
}
