package dev.netc.dsl;

/**
 * The type to declare layer fields with: {@code @Conv(...) @Relu Layer conv1;}. The fields are never read or
 * assigned; they exist to carry annotations and a name. (Fields of any type work; this one says what they are.)
 */
public interface Layer {}
