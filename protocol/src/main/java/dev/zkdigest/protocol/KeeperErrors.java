package dev.zkdigest.protocol;

import java.util.Map;

/** Names of ZooKeeper error codes, as in {@code KeeperException.Code}. */
public final class KeeperErrors {
  public static final int OK = 0;
  public static final int RUNTIMEINCONSISTENCY = -2;
  public static final int UNIMPLEMENTED = -6;
  public static final int NONODE = -101;
  public static final int NOAUTH = -102;
  public static final int BADVERSION = -103;
  public static final int NODEEXISTS = -110;
  public static final int SESSIONEXPIRED = -112;
  public static final int AUTHFAILED = -115;
  public static final int SESSIONMOVED = -118;

  /**
   * Where {@link #bounded} puts codes outside ZooKeeper's range, so a digest's error tables stay
   * small whatever garbage a reply header holds.
   */
  public static final int OUT_OF_RANGE = Integer.MIN_VALUE;

  /**
   * ZooKeeper's codes are small negative numbers; newer ones are kept as numbers ({@code ERR-130}).
   */
  private static final int LOWEST_PLAUSIBLE = -200;

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
    if (name != null) {
      return name;
    }
    return code == OUT_OF_RANGE ? "ERR_OUT_OF_RANGE" : "ERR" + code;
  }

  /** {@code code}, or {@link #OUT_OF_RANGE} for a value no ZooKeeper sends. */
  public static int bounded(int code) {
    return code <= 0 && code >= LOWEST_PLAUSIBLE ? code : OUT_OF_RANGE;
  }

  /** Reverse of {@link #name}, for tests and filters. */
  public static int code(String name) {
    for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
      if (e.getValue().equals(name)) {
        return e.getKey();
      }
    }
    if (name.equals("ERR_OUT_OF_RANGE")) {
      return OUT_OF_RANGE;
    }
    if (name.startsWith("ERR")) {
      try {
        return Integer.parseInt(name.substring(3));
      } catch (NumberFormatException e) {
        // not one of ours: fall through
      }
    }
    throw new IllegalArgumentException("unknown ZooKeeper error name: " + name);
  }
}
