package dev.zkdigest.protocol;

/**
 * What a TLS front end (the proxy's client side, the agent on a secure port) knows of a
 * connection's session, for the report: never key material.
 *
 * @param protocol e.g. {@code TLSv1.3}
 * @param cipher e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param clientSubject the subject of the client's certificate (mutual TLS), or null
 */
public record TlsInfo(String protocol, String cipher, String clientSubject) {}
