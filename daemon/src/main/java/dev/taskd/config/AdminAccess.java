package dev.taskd.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The rule that keeps the admin API from other machines: a {@code daemon.listen} address that is
 * not loopback needs a token, from the token file or {@code TASKD_TOKEN}. Checked on every load,
 * so a start, {@code taskd validate} and a reload all refuse alike. (A token file that holds no
 * token is refused by {@link SecretFiles} on any address.)
 */
final class AdminAccess {

    private AdminAccess() {
    }

    static void check(TomlDocument config, TaskdConfig settings, List<Finding> findings) {
        String listen = settings.daemon().listen();
        if (settings.auth().tokenFile() == null && !environmentToken() && !loopback(listen)) {
            findings.add(Finding.error(config.source().display(), config.positionOf("daemon.listen"),
                    "daemon.listen is " + listen + ", reachable from other machines, but no API token is configured",
                    "set auth.token-file (or TASKD_TOKEN), or listen on 127.0.0.1"));
        }
    }

    /** Whether {@code TASKD_TOKEN} holds a token; a blank one is none. */
    static boolean environmentToken() {
        String token = System.getenv("TASKD_TOKEN");
        return token != null && !token.isBlank();
    }

    /** Whether only this machine can reach {@code listen} ({@code host:port}). An unresolvable host is not assumed to be. */
    static boolean loopback(String listen) {
        int colon = listen.lastIndexOf(':');
        String host = colon < 0 ? listen : listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
