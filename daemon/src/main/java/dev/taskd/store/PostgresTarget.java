package dev.taskd.store;

import com.zaxxer.hikari.HikariConfig;
import java.util.Objects;

/**
 * A PostgreSQL database to hold the store: {@code storage.url}, {@code storage.user} and the
 * password read from {@code storage.password-env} or {@code storage.password-file}.
 *
 * @param url      a JDBC URL, {@code jdbc:postgresql://host:port/database}
 * @param user     the role to connect as; "" to let the driver choose (the URL's or the OS user)
 * @param password "" when none (trust or peer authentication, or one given in the URL)
 */
public record PostgresTarget(String url, String user, String password) {

    public static final String URL_PREFIX = "jdbc:postgresql:";

    public PostgresTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!url.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("storage.url '" + url + "' is not a PostgreSQL JDBC URL; write "
                    + URL_PREFIX + "//HOST:PORT/DATABASE");
        }
    }

    /** A HikariCP pool named {@code name} on this database, with its user and password, not yet tuned. */
    HikariConfig pool(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (!user.isEmpty()) {
            config.setUsername(user);
        }
        if (!password.isEmpty()) {
            config.setPassword(password);
        }
        config.setPoolName(name);
        return config;
    }

    /** The URL without its query, which may carry a password: for messages and logs. */
    public String display() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?…";
    }

    @Override
    public String toString() {
        return "PostgresTarget[" + display() + " as " + (user.isEmpty() ? "(default user)" : user) + "]";
    }
}
