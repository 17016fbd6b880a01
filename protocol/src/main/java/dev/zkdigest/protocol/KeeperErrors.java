package dev.zkdigest.protocol;

import java.util.Map;

/** Names of ZooKeeper error codes, as in {@code KeeperException.Code}. */
public final class KeeperErrors {
  public static final int OK = 0;
  public static final int UNIMPLEMENTED = -6;
  public static final int NONODE = -101;
  public static final int SESSIONEXPIRED = -112;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0, "OK"),
          Map.entry(-1, "SYSTEMERROR"),
          Map.entry(-2, "RUNTIMEINCONSISTENCY"),
          Map.entry(-3, "DATAINCONSISTENCY"),
          Map.entry(-4, "CONNECTIONLOSS"),
          Map.entry(-5, "MARSHALLINGERROR"),
          Map.entry(-6, "UNIMPLEMENTED"),
          Map.entry(-7, "OPERATIONTIMEOUT"),
          Map.entry(-8, "BADARGUMENTS"),
          Map.entry(-12, "UNKNOWNSESSION"),
          Map.entry(-13, "NEWCONFIGNOQUORUM"),
          Map.entry(-14, "RECONFIGINPROGRESS"),
          Map.entry(-100, "APIERROR"),
          Map.entry(-101, "NONODE"),
          Map.entry(-102, "NOAUTH"),
          Map.entry(-103, "BADVERSION"),
          Map.entry(-108, "NOCHILDRENFOREPHEMERALS"),
          Map.entry(-110, "NODEEXISTS"),
          Map.entry(-111, "NOTEMPTY"),
          Map.entry(-112, "SESSIONEXPIRED"),
          Map.entry(-113, "INVALIDCALLBACK"),
          Map.entry(-114, "INVALIDACL"),
          Map.entry(-115, "AUTHFAILED"),
          Map.entry(-118, "SESSIONMOVED"),
          Map.entry(-119, "NOTREADONLY"),
          Map.entry(-120, "EPHEMERALONLOCALSESSION"),
          Map.entry(-121, "NOWATCHER"),
          Map.entry(-122, "REQUESTTIMEOUT"),
          Map.entry(-123, "RECONFIGDISABLED"),
          Map.entry(-124, "SESSIONCLOSEDREQUIRESASLAUTH"),
          Map.entry(-125, "QUOTAEXCEEDED"),
          Map.entry(-127, "THROTTLEDOP"));

  private KeeperErrors() {}

  public static boolean isKnown(int code) {
    return NAMES.containsKey(code);
  }

  /** ZooKeeper's name for an error code; unknown codes keep their number visible. */
  public static String name(int code) {
    String name = NAMES.get(code);
    return name != null ? name : "ERR" + code;
  }

  /** Reverse of {@link #name}, for tests and filters. */
  public static int code(String name) {
    for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
      if (e.getValue().equals(name)) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException("unknown ZooKeeper error name: " + name);
  }
}
