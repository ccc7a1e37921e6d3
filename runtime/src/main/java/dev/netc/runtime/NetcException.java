package dev.netc.runtime;

/** The base of every exception netc's runtime throws for a problem a user can fix. */
public class NetcException extends RuntimeException {
  public NetcException(String message) {
    super(message);
  }

  public NetcException(String message, Throwable cause) {
    super(message, cause);
  }
}
