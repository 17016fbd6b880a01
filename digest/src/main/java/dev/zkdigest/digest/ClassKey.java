package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;

/** A class of requests: an opcode and the pattern of the path it names. */
public record ClassKey(Op op, String pattern) {
  @Override
  public String toString() {
    return op.zkName() + " " + pattern;
  }
}
