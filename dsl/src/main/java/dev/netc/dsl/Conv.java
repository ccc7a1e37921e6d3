package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution. {@code kernel}, {@code stride} and {@code padding} take one number for a square window
 * or two for height and width ({@code kernel = {1, 7}}). Weights {@code <name>.weight} have PyTorch's shape
 * {@code [filters, inChannels / groups, kernelH, kernelW]}, bias {@code <name>.bias} {@code [filters]}.
 *
 * <p>{@code groups} splits input and output channels into that many independent columns, as AlexNet's two
 * GPUs did: both channel counts must be divisible by it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Conv {
  /** Number of output channels (kernels). */
  int filters() default 0;

  /** Window size: {@code k} or {@code {kh, kw}}. */
  int[] kernel() default {};

  /** Step: {@code s} or {@code {sh, sw}}. */
  int[] stride() default 1;

  /** Zero padding on each side: {@code p} or {@code {ph, pw}}. */
  int[] padding() default 0;

  /** Channel groups (AlexNet's conv2, conv4 and conv5 use 2). */
  int groups() default 1;

  /** Whether the layer adds a learned bias. */
  boolean bias() default true;

  /** Weight name prefix; by default the field's name. */
  String name() default "";

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "filters = planes * 4"}. */
  String[] bind() default {};
}
