package dev.zkdigest.protocol;

import java.util.Set;

/** ZooKeeper's four-letter-word admin commands, sent raw on a fresh connection. */
public final class FourLetterWords {
  public static final Set<String> COMMANDS =
      Set.of(
          "ruok",
          "stat",
          "srvr",
          "mntr",
          "cons",
          "wchs",
          "envi",
          "conf",
          "dump",
          "reqs",
          "crst",
          "srst",
          "dirs",
          "isro",
          "gtmk",
          "stmk",
          "wchc",
          "wchp",
          "kill",
          "telnetclose");

  private FourLetterWords() {}

  /** The command spelled by a connection's first four bytes, or null if they are not one. */
  public static String of(int word) {
    char[] c = {
      (char) ((word >>> 24) & 0xff),
      (char) ((word >>> 16) & 0xff),
      (char) ((word >>> 8) & 0xff),
      (char) (word & 0xff)
    };
    for (char ch : c) {
      if (ch < 'a' || ch > 'z') {
        return null;
      }
    }
    String s = new String(c);
    return COMMANDS.contains(s) ? s : null;
  }
}
