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
 *
 * <p>{@code table} gives a partial connection table instead (LeNet-5's C3): one {@link Sees} per filter,
 * listing the input maps that filter reads. Only the connected kernels are stored: {@code <name>.weight} is
 * {@code [connections, kernelH, kernelW]}, filter by filter and, within a filter, by ascending input map,
 * which is what PyTorch's {@code weight[mask]} gives for a dense {@code [filters, inChannels, kh, kw]} weight
 * and a boolean {@code [filters, inChannels]} mask. A table replaces {@code groups} (any grouping is a table).
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

  /** A partial connection table: one row per filter, the input maps it sees; empty: every filter sees all. */
  Sees[] table() default {};

  /** Whether the layer adds a learned bias. */
  boolean bias() default true;

  /** Weight name prefix; by default the field's name. */
  String name() default "";

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "filters = planes * 4"}. */
  String[] bind() default {};
}
