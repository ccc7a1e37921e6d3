package dev.netc.examples;

import dev.netc.dsl.Conv;
import dev.netc.dsl.Dense;
import dev.netc.dsl.Dropout;
import dev.netc.dsl.Input;
import dev.netc.dsl.Layer;
import dev.netc.dsl.Lrn;
import dev.netc.dsl.MaxPool;
import dev.netc.dsl.Network;
import dev.netc.dsl.Relu;
import dev.netc.dsl.Softmax;

/**
 * AlexNet as published: Krizhevsky, Sutskever, Hinton, "ImageNet Classification with Deep Convolutional Neural
 * Networks", NIPS 2012 - the two-column network of the paper's figure 2, layer for layer as the table in
 * shared/SEEDS.md gives it.
 *
 * <ul>
 *   <li>The input is 3 x 227 x 227: the paper says 224, but 227 makes conv1's arithmetic work without padding
 *       ((227 - 11) / 4 + 1 = 55).
 *   <li>conv2, conv4 and conv5 have {@code groups = 2}: each of the two GPUs held half the kernels and these layers
 *       saw only the maps on their own GPU; conv3 and the dense layers see everything.
 *   <li>Local response normalisation after the ReLU of conv1 and conv2, with the paper's constants
 *       ({@code k = 2, n = 5, alpha = 1e-4, beta = 0.75}) in the paper's convention, where alpha multiplies the sum
 *       of squares directly (PyTorch, Caffe and ONNX divide it by n first).
 *   <li>Overlapping max-pooling, window 3, stride 2.
 *   <li>Dropout 0.5 after fc6 and fc7 (training only; removed at inference).
 * </ul>
 *
 * <p>Shapes: conv1 96x55x55 -> pool 96x27x27, conv2 256x27x27 -> pool 256x13x13, conv3 384x13x13,
 * conv4 384x13x13, conv5 256x13x13 -> pool 256x6x6 (9,216 features), fc6 4096, fc7 4096, fc8 1000;
 * 60,965,224 parameters, biases included. Weight names are the field names.
 */
@Network
@Input(channels = 3, height = 227, width = 227)
public final class AlexNet {
  @Conv(filters = 96, kernel = 11, stride = 4) @Relu
  @Lrn(size = 5, alpha = 1e-4, beta = 0.75, k = 2, convention = Lrn.Convention.PAPER)
  @MaxPool(window = 3, stride = 2)
  Layer conv1;

  @Conv(filters = 256, kernel = 5, padding = 2, groups = 2) @Relu
  @Lrn(size = 5, alpha = 1e-4, beta = 0.75, k = 2, convention = Lrn.Convention.PAPER)
  @MaxPool(window = 3, stride = 2)
  Layer conv2;

  @Conv(filters = 384, kernel = 3, padding = 1) @Relu
  Layer conv3;

  @Conv(filters = 384, kernel = 3, padding = 1, groups = 2) @Relu
  Layer conv4;

  @Conv(filters = 256, kernel = 3, padding = 1, groups = 2) @Relu @MaxPool(window = 3, stride = 2)
  Layer conv5;

  @Dense(units = 4096) @Relu @Dropout(rate = 0.5)
  Layer fc6;

  @Dense(units = 4096) @Relu @Dropout(rate = 0.5)
  Layer fc7;

  @Dense(units = 1000) @Softmax
  Layer fc8;
}
