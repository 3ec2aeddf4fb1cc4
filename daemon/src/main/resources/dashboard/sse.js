// Server-sent events over fetch. EventSource cannot send an Authorization header, so the stream
// is read as bytes and parsed here, following the HTML standard's "interpreting an event
// stream"; on a dropped connection it reconnects after the server's retry: delay, sending
// Last-Event-ID so the server can replay what was missed.

import { askForToken, authHeaders } from './api.js';

/**
 * A parser fed text chunks in any split. onEvent gets {id, event, data} for each complete event,
 * where id is the last id seen so far (the standard's "last event ID"); onRetry gets a delay in ms.
 */
export function createParser(onEvent, onRetry = () => {}) {
  let pending = '';
  let data = [];
  let name = '';
  let lastId = null;
  const line = text => {
    if (text === '') {
      if (data.length > 0) onEvent({ id: lastId, event: name || 'message', data: data.join('\n') });
      data = [];
      name = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') name = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
  };
  return {
    push(chunk) {
      pending += chunk;
      // A trailing \r may be the first half of \r\n: keep it until the next chunk.
      const lines = pending.split(/\r\n|\r(?!$)|\n/);
      pending = lines.pop();
      lines.forEach(line);
    },
    get lastId() { return lastId; },
  };
}

const sleep = (ms, signal) => new Promise(resolve => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/**
 * Reads the stream at `path` until `signal` aborts. onStatus gets 'open', 'reconnecting',
 * 'missing' (404: the daemon has no such stream; reading stops) or 'error'. When the server ends
 * the stream, `again()` decides whether to reconnect (default: always).
 */
export async function readEvents(path, { signal, onEvent, onStatus = () => {}, again = () => true }) {
  let lastId = null;
  let delay = 2000;
  while (!signal.aborted) {
    try {
      const headers = { Accept: 'text/event-stream', ...authHeaders() };
      if (lastId !== null) headers['Last-Event-ID'] = lastId;
      const response = await fetch(path, { headers, signal, credentials: 'omit', cache: 'no-store' });
      if (response.status === 401) {
        onStatus('unauthorized');
        await askForToken();
        continue;
      }
      if (response.status === 404) {
        onStatus('missing');
        return;
      }
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      onStatus('open');
      const parser = createParser(event => {
        lastId = event.id;
        onEvent(event);
      }, ms => { delay = ms; });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      if (!again()) return;
    } catch (error) {
      if (signal.aborted) return;
      onStatus('error', error);
    }
    onStatus('reconnecting');
    await sleep(delay, signal);
  }
}
