package dev.taskd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The build's version, from {@code version.properties}. Apart from {@link VersionProvider}, which
 * implements picocli's interface: a class that does cannot be kept in the start-up cache
 * (picocli's classes are Java 5 bytecode), and loading it would open picocli's jar on the fast path.
 */
final class Version {

    private Version() {
    }

    /** Such as {@code 0.1.0}; "unknown" when the build wrote no version. */
    static String current() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/dev/taskd/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}
