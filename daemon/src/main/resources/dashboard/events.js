// One connection to /v1/events for the whole page. Views subscribe while they are shown and
// re-read what they display when an event concerns it; a 'reset' from the daemon, or a
// reconnection, means events may have been missed, so every subscriber re-reads everything.

import { readEvents } from './sse.js';

const listeners = new Set();

/**
 * Calls listener({event, data}) for each event, where data is the parsed JSON (null when it is
 * not JSON), and listener({event: 'resync'}) when events may have been missed. Returns the
 * function that unsubscribes.
 */
export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function publish(message) {
  for (const listener of [...listeners]) {
    try {
      listener(message);
    } catch (error) {
      console.error('an event listener failed', error);
    }
  }
}

/** Opens the stream; `indicator` shows its state (data-state: live, reconnecting, offline). */
export function connect(indicator) {
  const show = (state, text) => {
    indicator.dataset.state = state;
    indicator.textContent = text;
  };
  readEvents('/v1/events', {
    signal: new AbortController().signal,
    onStatus: status => {
      if (status === 'open') {
        show('live', 'live');
        // Also on the first open: a view shown before the stream was open read its data then,
        // and what changed until now (a loop that started meanwhile) came as no event.
        publish({ event: 'resync' });
      } else if (status === 'reconnecting') {
        show('reconnecting', 'reconnecting…');
      } else if (status === 'missing') {
        show('offline', 'no event stream');
      }
    },
    onEvent: ({ event, data }) => {
      if (event === 'reset') {
        publish({ event: 'resync' });
        return;
      }
      let parsed = null;
      try {
        parsed = JSON.parse(data);
      } catch {
        parsed = null;
      }
      publish({ event, data: parsed });
    },
  });
}
