package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Average pooling; see {@link MaxPool} for the window, stride and padding rules. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AvgPool {
  int[] window();

  /** Step; by default the window. */
  int[] stride() default {};

  /** Zero padding on each side, at most half the window. */
  int[] padding() default 0;

  /** Round the output size up (PyTorch's {@code ceil_mode}). */
  boolean ceil() default false;

  /** Whether padded cells count in the divisor (PyTorch's {@code count_include_pad}, default true). */
  boolean countIncludePad() default true;

  /** Inside a {@link Block}: attributes computed from block parameters. */
  String[] bind() default {};
}
