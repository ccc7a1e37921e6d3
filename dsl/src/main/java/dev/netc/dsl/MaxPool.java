package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Max pooling. {@code window}, {@code stride} and {@code padding} take one or two numbers; the stride
 * defaults to the window. AlexNet's overlapping pool is {@code @MaxPool(window = 3, stride = 2)}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface MaxPool {
  int[] window();

  /** Step; by default the window. */
  int[] stride() default {};

  /** Implicit -infinity padding on each side, at most half the window. */
  int[] padding() default 0;

  /** Round the output size up (PyTorch's {@code ceil_mode}) instead of down. */
  boolean ceil() default false;

  /** Inside a {@link Block}: attributes computed from block parameters. */
  String[] bind() default {};
}
