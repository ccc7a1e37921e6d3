package dev.netc.processor.parse;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Finds annotation values javac could not resolve yet ({@code filters = Sizes.WIDE} with a typo, or
 * {@code @Use(Generated.class)} of a class another processor writes in a later round). javac hands such values
 * to processors as the string {@code "<error>"}; reading them would fail, and javac's own "cannot find
 * symbol" is only printed when no processor reported an error. So a network with one is deferred, not read.
 */
public final class Unresolved {
  private static final String DSL = "dev.netc.dsl.";

  private Unresolved() {}

  /** Whether the network, its fields or any block they use holds an unresolved annotation value. */
  public static boolean in(TypeElement type) {
    return in(type, new HashSet<>());
  }

  private static boolean in(TypeElement type, Set<String> seen) {
    if (!seen.add(type.getQualifiedName().toString())) return false;
    if (annotations(type, seen)) return true;
    for (Element e : type.getEnclosedElements()) {
      if (e.getKind() == ElementKind.FIELD && annotations(e, seen)) return true;
    }
    return false;
  }

  private static boolean annotations(Element e, Set<String> seen) {
    for (AnnotationMirror m : e.getAnnotationMirrors()) {
      if (m.getAnnotationType().getKind() == TypeKind.ERROR) return true; // perhaps a DSL annotation not imported
      if (!AnnotationValues.qualifiedName(m).startsWith(DSL)) continue;
      for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v : m.getElementValues().entrySet()) {
        if (erroneous(v.getKey().getReturnType(), v.getValue().getValue(), seen)) return true;
      }
    }
    return false;
  }

  private static boolean erroneous(TypeMirror expected, Object value, Set<String> seen) {
    if (value instanceof String s) return s.equals("<error>") || !isString(expected);
    if (value instanceof TypeMirror t) {
      if (t.getKind() == TypeKind.ERROR) return true;
      return t instanceof DeclaredType d && d.asElement() instanceof TypeElement block && in(block, seen);
    }
    if (value instanceof List<?> list) {
      if (!(expected instanceof ArrayType array)) return true;
      for (Object item : list) {
        if (!(item instanceof AnnotationValue av) || erroneous(array.getComponentType(), av.getValue(), seen)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isString(TypeMirror t) {
    return t instanceof DeclaredType d && ((TypeElement) d.asElement()).getQualifiedName().contentEquals("java.lang.String");
  }
}
