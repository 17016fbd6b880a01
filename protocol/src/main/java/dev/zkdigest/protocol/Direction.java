package dev.zkdigest.protocol;

/** Which way bytes travel on a client connection. */
public enum Direction {
  CLIENT_TO_SERVER,
  SERVER_TO_CLIENT
}
