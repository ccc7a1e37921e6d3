package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A reusable, parameterised piece of network (a ResNet bottleneck, an Inception module). Its fields are
 * layers like a {@link Network}'s; {@code @From("in")} reads the block's input, the first field reads it by
 * default, and the last field is the block's output. Attributes refer to parameters through {@code bind}
 * ({@code @Conv(kernel = 3, bind = "filters = planes")}) and {@link When}; expressions are integer arithmetic
 * with {@code + - * / %}, comparisons, {@code && || !} and {@code ?:}. Inside a repeated block, {@code index}
 * is the repetition's number from 0.
 *
 * <pre>{@code
 * @Block(params = {"planes", "stride"})
 * final class Basic {
 *   @Conv(kernel = 3, padding = 1, bias = false, bind = {"filters = planes", "stride = stride"})
 *   @BatchNorm(name = "bn1") @Relu Layer conv1;
 *   ...
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Block {
  /** Parameter names, in the order {@link Use#args()} gives their values. */
  String[] params() default {};
}
