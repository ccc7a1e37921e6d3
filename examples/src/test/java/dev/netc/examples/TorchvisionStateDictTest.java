package dev.netc.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netc.graph.Shape;
import dev.netc.graph.WeightSpec;
import dev.netc.runtime.Backend;
import dev.netc.runtime.Model;
import dev.netc.runtime.Netc;
import dev.netc.runtime.io.SafeTensors;
import dev.netc.runtime.io.SyntheticWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ResNet-18 {@code state_dict} saved the way torchvision's users save it loads as is: next to every float32
 * tensor the file holds batch norm's int64 {@code num_batches_tracked} counters, which netc ignores rather than
 * rejects. The model from the file computes exactly what the model from the same weights in memory does.
 */
class TorchvisionStateDictTest {
  @Test
  void numBatchesTrackedIsIgnored(@TempDir Path tmp) throws IOException {
    SyntheticWeights synthetic = new SyntheticWeights();
    List<WeightSpec> specs = Netc.graph(ResNet18.class).weights();
    Path file = tmp.resolve("resnet18.safetensors");
    write(file, specs, synthetic);

    Shape in = Netc.graph(ResNet18.class).inputShape();
    float[] input = SyntheticWeights.input(1, in.channels(), in.height(), in.width());
    float[] expected;
    try (Model m = Netc.load(ResNet18.class, synthetic, Backend.JAVA)) {
      expected = m.forward(input, 1);
    }
    try (SafeTensors weights = SafeTensors.open(file); Model m = Netc.load(ResNet18.class, weights, Backend.JAVA)) {
      assertEquals("I64", weights.dtype("layer4.1.bn2.num_batches_tracked")); // really there
      assertArrayEquals(expected, m.forward(input, 1));
    }
  }

  /** safetensors as PyTorch writes a state_dict: F32 tensors, and an I64 scalar after each batch norm's. */
  private static void write(Path file, List<WeightSpec> specs, SyntheticWeights weights) throws IOException {
    StringBuilder header = new StringBuilder("{");
    List<byte[]> data = new ArrayList<>();
    long offset = 0;
    for (WeightSpec s : specs) {
      float[] values = weights.get(s);
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      offset = entry(header, data, s.name(), "F32", s.dims(), b.array(), offset);
      if (s.name().endsWith(".running_var")) {
        String counter = s.name().substring(0, s.name().length() - "running_var".length()) + "num_batches_tracked";
        byte[] seen = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1234).array();
        offset = entry(header, data, counter, "I64", new int[0], seen, offset);
      }
    }
    header.setCharAt(header.length() - 1, '}');
    while ((header.length() + 8) % 8 != 0) header.append(' ');
    byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
      out.write(h);
      for (byte[] d : data) out.write(d);
    }
  }

  private static long entry(StringBuilder header, List<byte[]> data, String name, String dtype, int[] dims,
      byte[] bytes, long offset) {
    StringBuilder shape = new StringBuilder();
    for (int d : dims) shape.append(shape.length() == 0 ? "" : ",").append(d);
    header.append('"').append(name).append("\":{\"dtype\":\"").append(dtype).append("\",\"shape\":[").append(shape)
        .append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes.length).append("]},");
    data.add(bytes);
    return offset + bytes.length;
  }
}
