package dev.zkdigest.agent.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's classes from the jar's {@code inst/} folder, where they are stored as {@code
 * .classdata} so that no other class loader finds them. Its parent is the platform class loader:
 * the agent sees the JDK and the bootstrap bridge, never the application's classes. Public: once
 * the jar is on the bootstrap class path, this class is loaded from there, not beside the launcher.
 */
public final class AgentClassLoader extends ClassLoader implements AutoCloseable {
  static final String PREFIX = "inst/";
  private static final String CLASS_SUFFIX = ".class";
  private static final String DATA_SUFFIX = ".classdata";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain domain;

  public AgentClassLoader(JarFile jar) throws MalformedURLException {
    super("zkdigest-agent", ClassLoader.getPlatformClassLoader());
    this.jar = jar;
    URL url = new java.io.File(jar.getName()).toURI().toURL();
    this.jarUrl = url.toString();
    this.domain = new ProtectionDomain(new CodeSource(url, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + DATA_SUFFIX);
    if (entry == null) {
      throw new ClassNotFoundException(name);
    }
    byte[] bytes;
    try (InputStream in = jar.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      String pkg = name.substring(0, dot);
      if (getDefinedPackage(pkg) == null) {
        try {
          definePackage(pkg, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException raced) {
          // another thread defined it first
        }
      }
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  /** Class files are served too, so Byte Buddy reads the advice without loading it. */
  @Override
  protected URL findResource(String name) {
    String path =
        name.endsWith(CLASS_SUFFIX)
            ? PREFIX + name.substring(0, name.length() - CLASS_SUFFIX.length()) + DATA_SUFFIX
            : PREFIX + name;
    if (jar.getJarEntry(path) == null) {
      return null;
    }
    try {
      return new URL("jar:" + jarUrl + "!/" + path);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  /** Read straight from the jar: a URL stream would leave the jar open in the JDK's cache. */
  @Override
  public InputStream getResourceAsStream(String name) {
    URL url = findResource(name);
    if (url == null) {
      return super.getResourceAsStream(name);
    }
    String path = url.toString().substring(url.toString().indexOf("!/") + 2);
    try (InputStream in = jar.getInputStream(jar.getJarEntry(path))) {
      return new java.io.ByteArrayInputStream(in.readAllBytes());
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null
        ? Collections.emptyEnumeration()
        : Collections.enumeration(java.util.List.of(url));
  }

  @Override
  public void close() throws IOException {
    jar.close();
  }
}
