package dev.taskd.daemon;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** {@code daemon.listen} split into host and port; the key table has already checked its form. */
record ListenAddress(String host, int port) {

    static ListenAddress parse(String listen) {
        int colon = listen.lastIndexOf(':');
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new ListenAddress(host, Integer.parseInt(listen.substring(colon + 1)));
    }

    /** As {@code daemon.listen} writes it: {@code 127.0.0.1:7070}, {@code [::1]:7070}. */
    String display() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether only this machine can reach the address. An unresolvable host is not assumed to be. */
    boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
