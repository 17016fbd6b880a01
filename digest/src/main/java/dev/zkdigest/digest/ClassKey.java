package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;

/** A class of requests: an opcode and the pattern of the path it names. */
public record ClassKey(Op op, String pattern) {

  /** The class that collects an opcode's requests past the cap on classes. */
  public static ClassKey other(Op op) {
    return new ClassKey(op, Digest.OTHER);
  }

  public boolean isOther() {
    return pattern.equals(Digest.OTHER);
  }

  /** The class's {@link StableHash}: its rank under the cap, and its name in per-client pairs. */
  public long hash() {
    return PathPatterns.hash64(op.code(), pattern);
  }

  @Override
  public String toString() {
    return op.zkName() + " " + pattern;
  }
}
