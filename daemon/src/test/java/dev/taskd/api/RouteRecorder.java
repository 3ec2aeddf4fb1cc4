package dev.taskd.api;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rules that only write down what the services register: {@code METHOD PATH} for each route,
 * and the paths given a 405 answer for every other method ({@code any}). A route added through
 * {@link #route(HttpRoute)} hides its method and path, so it fails the test that uses this.
 */
final class RouteRecorder implements HttpRules {

    final Set<String> routes;
    final Set<String> anyMethod;
    private final String prefix;

    RouteRecorder() {
        this(new TreeSet<>(), new TreeSet<>(), "");
    }

    private RouteRecorder(Set<String> routes, Set<String> anyMethod, String prefix) {
        this.routes = routes;
        this.anyMethod = anyMethod;
        this.prefix = prefix;
    }

    @Override
    public HttpRules register(HttpService... services) {
        for (HttpService service : services) {
            service.routing(this);
        }
        return this;
    }

    @Override
    public HttpRules register(String path, HttpService... services) {
        RouteRecorder under = new RouteRecorder(routes, anyMethod, prefix + path);
        for (HttpService service : services) {
            service.routing(under);
        }
        return this;
    }

    @Override
    public HttpRules route(HttpRoute route) {
        throw new UnsupportedOperationException("a route added with route(...) hides its method and path from"
                + " the OpenAPI test; register it with get, post, delete, ... as the other services do");
    }

    @Override
    public HttpRules get(String path, Handler... handlers) {
        return add("GET", path);
    }

    @Override
    public HttpRules post(String path, Handler... handlers) {
        return add("POST", path);
    }

    @Override
    public HttpRules put(String path, Handler... handlers) {
        return add("PUT", path);
    }

    @Override
    public HttpRules delete(String path, Handler... handlers) {
        return add("DELETE", path);
    }

    @Override
    public HttpRules patch(String path, Handler... handlers) {
        return add("PATCH", path);
    }

    @Override
    public HttpRules head(String path, Handler... handlers) {
        return add("HEAD", path);
    }

    @Override
    public HttpRules options(String path, Handler... handlers) {
        return add("OPTIONS", path);
    }

    @Override
    public HttpRules any(String path, Handler... handlers) {
        anyMethod.add(prefix + path);
        return this;
    }

    @Override
    public HttpRules any(Handler... handlers) {
        throw new UnsupportedOperationException("a catch-all route under " + prefix + " is not expected");
    }

    private HttpRules add(String method, String path) {
        routes.add(method + " " + prefix + path);
        return this;
    }
}
