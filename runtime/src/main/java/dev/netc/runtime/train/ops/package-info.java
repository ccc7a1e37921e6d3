/**
 * The training kernels that generated trainers call: each class differentiates one kind of layer in float32 on
 * the Java backend, with its shape fixed at construction and its scratch memory allocated once.
 *
 * <p>Conventions: tensors are flat NCHW float arrays holding a whole batch; a backward method takes the gradient
 * of the loss with respect to the layer's output and <em>accumulates</em> ({@code +=}) into the gradients of its
 * inputs and weights, so a tensor read by several layers collects all their contributions (the trainer zeroes
 * gradients once per step). Inner loops run over zero-based row arrays, the only shape HotSpot's C2 (JDK 17)
 * vectorises (see {@link dev.netc.runtime.java.Micro}); the flat tensors are copied in and out of those rows,
 * which costs O(activations) against the O(activations x weights) of the arithmetic. The double-precision
 * {@link dev.netc.runtime.reference.ReferenceTrainer} is the oracle these kernels are tested against.
 */
package dev.netc.runtime.train.ops;
