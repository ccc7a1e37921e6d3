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
 * ({@code @Conv(kernel = 3, bind = "filters = planes")}, {@code bind = {"kernel = {1, n}", "padding = {0, n / 2}"}},
 * {@code @BatchNorm(bind = "eps = eps")}) and {@link When}. Expressions have whole numbers and decimals,
 * {@code + - * / %} (integer division between whole numbers), comparisons, {@code && || !} and {@code ?:}; they
 * read the parameters, {@code index} (the copy's number from 0 when {@link Use#repeat()} > 1) and the shape of
 * the block's input, {@code in.channels}, {@code in.height}, {@code in.width}.
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
  /** Parameter names, in the order {@link Use#args()} gives their values ({@link Use#bind()} names them). */
  String[] params() default {};
}
