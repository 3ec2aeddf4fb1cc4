package dev.taskd.llm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's {@link ReplySink} for one request: what it throws is logged and ignored, so a
 * broken sink cannot fail or retry the call, and it remembers whether any text was given, so the
 * gateway knows whether a retry must tell the sink to discard it.
 */
final class GuardedSink implements ReplySink {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedSink.class);

    private final ReplySink sink;
    private final String label;
    private volatile boolean given;

    GuardedSink(ReplySink sink, String label) {
        this.sink = sink;
        this.label = label;
    }

    @Override
    public void text(String delta) {
        given = true;
        try {
            sink.text(delta);
        } catch (RuntimeException e) {
            LOG.warn("reply sink of a call to {} failed; the call goes on: {}", label, e.toString(), e);
        }
    }

    @Override
    public void discarded(String why) {
        if (!given) {
            return;
        }
        try {
            sink.discarded(why);
        } catch (RuntimeException e) {
            LOG.warn("reply sink of a call to {} failed; the call goes on: {}", label, e.toString(), e);
        }
    }
}
