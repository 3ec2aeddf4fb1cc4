package dev.taskd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The build's version, from taskd.jar's manifest, else {@code version.properties}. Apart from
 * {@link VersionProvider}, which implements picocli's interface: a class that does cannot be kept
 * in the start-up cache (picocli's classes are Java 5 bytecode), and loading it would open
 * picocli's jar on the fast path.
 */
final class Version {

    private Version() {
    }

    /** Such as {@code 0.1.0}; "unknown" when the build wrote no version. */
    static String current() {
        // The jar's manifest, read anyway when its first class was loaded, names the version
        // (Implementation-Version). version.properties is read only without one (classes run
        // from a directory, as in tests): finding that resource through the class path goes by
        // jar: URLs and reflection, about 40 ms of a short command such as 'taskd status'.
        String fromManifest = Version.class.getPackage().getImplementationVersion();
        if (fromManifest != null) {
            return fromManifest;
        }
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
