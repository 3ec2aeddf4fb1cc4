package dev.taskd.cli;

import picocli.CommandLine;

/** {@code taskd --version}: the build's version and the JVM it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {

    static String version() {
        return Version.current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "taskd " + version(),
            "JVM " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
