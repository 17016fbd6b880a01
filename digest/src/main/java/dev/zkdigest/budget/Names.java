package dev.zkdigest.budget;

import dev.zkdigest.findings.Finding;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The names budgets and the JUnit extension's helpers take, checked: ZooKeeper's names of ops
 * ({@code getData}) and error codes ({@code NONODE}), and finding kinds ({@code herd}). A wrong
 * name is an error with a one-line message, never a quantity that silently measures zero.
 */
public final class Names {
  private Names() {}

  /** An op by ZooKeeper's name, or null for {@code *}: only ops a digest counts. */
  public static Op op(String name) {
    if (name.equals("*")) {
      return null;
    }
    Op op = Op.byName(name);
    if (op != null && counted(op)) {
      return op;
    }
    for (Op o : Op.values()) {
      if (o.zkName().equalsIgnoreCase(name) && counted(o)) {
        throw new IllegalArgumentException("unknown op '" + name + "': did you mean " + o + "?");
      }
    }
    throw new IllegalArgumentException(
        "unknown op '"
            + name
            + "': expected ZooKeeper's name of an op, e.g. getData, getChildren2, create2, or *");
  }

  private static boolean counted(Op op) {
    return op.isClientRequest() || op == Op.CONNECT;
  }

  /** An error code by ZooKeeper's name ({@code NONODE}), never OK. */
  public static int code(String name) {
    Integer code = knownError(name);
    if (code != null) {
      return code;
    }
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.equals(name) && knownError(upper) != null) {
      throw new IllegalArgumentException(
          "unknown error code '" + name + "': did you mean " + upper + "?");
    }
    throw new IllegalArgumentException(
        "unknown error code '"
            + name
            + "': expected ZooKeeper's name of a code, e.g. NONODE, NODEEXISTS, BADVERSION");
  }

  private static Integer knownError(String name) {
    try {
      int code = KeeperErrors.code(name);
      return KeeperErrors.isKnown(code) && code != KeeperErrors.OK ? code : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A finding kind by its JSON name ({@code herd}), or null for {@code *}. */
  public static Finding.Kind kind(String name) {
    if (name.equals("*")) {
      return null;
    }
    Finding.Kind k = Finding.Kind.byJsonName(name);
    if (k == null) {
      throw new IllegalArgumentException(
          "unknown finding kind '"
              + name
              + "': expected "
              + Arrays.stream(Finding.Kind.values())
                  .map(Finding.Kind::jsonName)
                  .collect(Collectors.joining(", "))
              + " or *");
    }
    return k;
  }
}
