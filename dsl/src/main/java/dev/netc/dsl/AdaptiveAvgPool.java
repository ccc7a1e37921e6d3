package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Average pooling to a fixed output size, as PyTorch's {@code AdaptiveAvgPool2d} (torchvision's AlexNet). */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface AdaptiveAvgPool {
  int height();

  int width();

  /** Inside a {@link Block}: attributes computed from block parameters, e.g. {@code "height = size"}. */
  String[] bind() default {};
}
