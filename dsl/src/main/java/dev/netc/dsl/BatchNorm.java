package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Batch normalisation with running statistics at inference:
 * {@code y = weight * (x - running_mean) / sqrt(running_var + eps) + bias}. Tensors {@code <name>.weight},
 * {@code .bias}, {@code .running_mean}, {@code .running_var} (PyTorch's {@code num_batches_tracked} is ignored).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface BatchNorm {
  double eps() default 1e-5;

  /** Weight name prefix; by default the field's name, or {@code <field>.bn} when the field also has weights. */
  String name() default "";

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "eps = eps"}. */
  String[] bind() default {};
}
