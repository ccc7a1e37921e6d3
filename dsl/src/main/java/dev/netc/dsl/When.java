package dev.netc.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inside a {@link Block}: the layer exists only when the expression over block parameters is non-zero;
 * otherwise it passes its input through unchanged (so a shortcut projection can be optional). ResNet's
 * projection: {@code @When("index == 0 && (stride != 1 || in.channels != planes * 4)")}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface When {
  String value();
}
