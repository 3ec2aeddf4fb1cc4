// The live output panel: the running iteration's output from GET /v1/loops/{id}/output (server-
// sent events whose data is {"iteration", "command", "stream", "offset", "text"}, offset in bytes
// of that command's output, both streams counted). A reconnect sends Last-Event-ID and the server
// continues from there; chunks that overlap what is shown (a replay) are trimmed by their
// offsets, so no byte shows twice. A daemon without the endpoint answers 404 and the panel says so.

import { readEvents } from './sse.js';
import { h, fill } from './dom.js';

/** The panel keeps this many chunks; older ones are dropped so a chatty loop cannot fill memory. */
const MAX_CHUNKS = 5000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Mounts the panel in `container` and reads the stream of loop `id` until the returned function
 * is called. `active()` says whether the loop may still print: when the server ends the stream of
 * an ended iteration, the panel reconnects for the next one only while it is.
 */
export function liveOutput(container, id, active) {
  const status = h('p', { class: 'output-status', id: 'live-output-status' }, 'connecting…');
  const pre = h('pre', { class: 'output', id: 'live-output', tabindex: '0', 'aria-label': 'live output' });
  fill(container, status, pre);
  const controller = new AbortController();
  const seen = new Map();
  let iteration = null;
  let chunks = 0;

  const append = node => {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
    pre.append(node);
    if (++chunks > MAX_CHUNKS) {
      pre.firstChild.remove();
      chunks--;
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };

  const onChunk = chunk => {
    // Offsets count within one command (action, then validation) of an iteration.
    const key = `${chunk.iteration}/${chunk.command ?? 'action'}/${chunk.stream}`;
    const all = encoder.encode(chunk.text ?? '');
    const from = seen.get(key) ?? 0;
    const offset = Number(chunk.offset ?? from);
    const end = offset + all.length;
    if (end <= from) return;
    const bytes = offset < from ? all.slice(from - offset) : all;
    seen.set(key, end);
    if (chunk.iteration !== iteration) {
      iteration = chunk.iteration;
      append(h('span', { class: 'iteration-mark' }, `── iteration ${iteration} ──\n`));
    }
    append(h('span', { class: chunk.stream === 'stderr' ? 'stderr' : 'stdout', dataset: { stream: chunk.stream } },
      decoder.decode(bytes)));
  };

  readEvents(`/v1/loops/${encodeURIComponent(id)}/output`, {
    signal: controller.signal,
    again: active,
    onStatus: state => {
      if (state === 'open') status.textContent = 'live';
      else if (state === 'reconnecting') status.textContent = 'reconnecting…';
      else if (state === 'missing') status.textContent = 'live output not available';
      status.dataset.state = state;
    },
    onEvent: ({ data }) => {
      try {
        onChunk(JSON.parse(data));
      } catch {
        // A line that is not an output chunk (a future event kind) is not shown.
      }
    },
  }).then(() => {
    if (!controller.signal.aborted && status.dataset.state !== 'missing') {
      status.textContent = 'the loop has ended';
      status.dataset.state = 'ended';
    }
  });
  return () => controller.abort();
}
