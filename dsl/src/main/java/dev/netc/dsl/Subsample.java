package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * LeNet-5's trainable subsampling (LeCun et al. 1998, layers S2 and S4): each output is the sum of a window of
 * one input map, times a learned coefficient of that map, plus a learned bias of that map:
 * {@code y[c] = weight[c] * sum(window of x[c]) + bias[c]}. No padding; the output size is
 * {@code floor((in - window) / stride) + 1}, as for pooling.
 *
 * <p>The squashing function is a separate annotation after it ({@code @Subsample @Sigmoid}), which the
 * compiler fuses into the same kernel. Weights: {@code <name>.weight} (the coefficients) and {@code
 * <name>.bias}, both {@code [channels]}: 2 parameters per map (S2 of LeNet-5: 12).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Subsample {
  /** Window size: {@code w} or {@code {wh, ww}}; LeNet-5 uses 2. */
  int[] window() default 2;

  /** Step; by default the window (non-overlapping windows, as in LeNet-5). */
  int[] stride() default {};

  /** Whether the layer adds a learned bias per map. */
  boolean bias() default true;

  /** Weight name prefix; by default the field's name. */
  String name() default "";

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "window = size"}. */
  String[] bind() default {};
}
