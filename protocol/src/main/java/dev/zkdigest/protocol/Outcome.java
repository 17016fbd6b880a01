package dev.zkdigest.protocol;

/**
 * The error code a client sees for one exchange. Usually the reply header's; but a {@code multi}
 * that failed has an OK header and carries the failure in its results, and ZooKeeper's client
 * throws the first result that is neither OK nor RUNTIMEINCONSISTENCY (the code given to the
 * sub-operations after the one that failed). A {@code multiRead} never fails as a whole: its reads
 * fail one by one.
 */
public final class Outcome {
  private Outcome() {}

  public static int of(ZkRequest request, ZkReply reply) {
    if (reply.err() != KeeperErrors.OK || request.op() != Op.MULTI) {
      return reply.err();
    }
    if (reply.body() instanceof ReplyBody.Multi m) {
      for (ReplyBody.SubResult r : m.results()) {
        if (r.err() != KeeperErrors.OK && r.err() != KeeperErrors.RUNTIMEINCONSISTENCY) {
          return r.err();
        }
      }
    }
    return KeeperErrors.OK;
  }
}
