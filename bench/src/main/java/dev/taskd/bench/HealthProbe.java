package dev.taskd.bench;

import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;

/**
 * The baseline of the {@code taskd status} figure: the least a JVM client can do, started as a
 * new JVM on the bench's own class path, one {@code GET URL} with the JDK's HttpURLConnection,
 * then exit (0 on 200).
 */
final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) URI.create(args[0]).toURL().openConnection(Proxy.NO_PROXY);
        int status = connection.getResponseCode();
        connection.getInputStream().readAllBytes();
        System.exit(status == 200 ? 0 : 1);
    }
}
