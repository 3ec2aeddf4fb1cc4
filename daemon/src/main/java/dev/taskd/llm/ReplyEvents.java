package dev.taskd.llm;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Flow;

/**
 * Reads a {@code text/event-stream} body line by line, as the response arrives, into a
 * {@link ReplyAssembler}. Any other body — an error's, or the whole JSON reply of a server that
 * ignores {@code stream: true} — is read whole, as before streaming. Reactive Streams order the
 * calls, so the fields need no lock.
 */
final class ReplyEvents implements Flow.Subscriber<String> {

    private final ReplyAssembler assembler;
    private String event;
    private StringBuilder data;
    private String broken;

    private ReplyEvents(ReplyAssembler assembler) {
        this.assembler = assembler;
    }

    /** Streams a 2xx event stream into {@code route}'s assembler for {@code sink}; reads anything else whole. */
    static HttpResponse.BodyHandler<ReplyBody> handler(Route route, ReplySink sink) {
        return info -> {
            String type = info.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
            if (info.statusCode() / 100 != 2 || !type.startsWith("text/event-stream")) {
                return HttpResponse.BodySubscribers.mapping(HttpResponse.BodyHandlers.ofString().apply(info),
                        ReplyBody.Whole::new);
            }
            ReplyEvents events = new ReplyEvents(route.client().assembler(route, sink));
            return HttpResponse.BodySubscribers.fromLineSubscriber(events, ReplyEvents::body,
                    StandardCharsets.UTF_8, null);
        };
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    /** One line; the server-sent events format: fields until a blank line, which ends the event. */
    @Override
    public void onNext(String line) {
        if (line.isEmpty()) {
            dispatch();
        } else if (line.startsWith("data:")) {
            String value = field(line, 5);
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        } else if (line.startsWith("event:")) {
            event = field(line, 6);
        }
        // comments (":"), id: and retry: carry nothing a reply needs
    }

    @Override
    public void onError(Throwable failure) {
        // The response future fails with it: a cut connection is classified as any I/O error is.
    }

    @Override
    public void onComplete() {
        dispatch(); // a last event without its blank line
    }

    /**
     * The reply, or why there is none. After a broken event the rest of the stream is read and
     * ignored rather than cancelled, so the response completes and the connection is freed.
     */
    private ReplyBody body() {
        if (broken != null) {
            return new ReplyBody.Broken(broken);
        }
        try {
            return new ReplyBody.Streamed(assembler.response());
        } catch (MalformedReplyException e) {
            return new ReplyBody.Broken(e.getMessage());
        }
    }

    private void dispatch() {
        if (data != null && broken == null) {
            try {
                assembler.event(event == null ? "message" : event, data.toString());
            } catch (MalformedReplyException e) {
                broken = e.getMessage();
            }
        }
        event = null;
        data = null;
    }

    private static String field(String line, int from) {
        return line.startsWith(" ", from) ? line.substring(from + 1) : line.substring(from);
    }
}
