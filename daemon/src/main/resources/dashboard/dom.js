// Builds DOM nodes from data. Everything the daemon sends is set as text, never parsed as HTML,
// so a loop input or a command's output cannot inject markup or script into the page.

/**
 * h('a', {href: '#/', class: 'x', dataset: {id: 1}, on: {click: fn}}, 'text', child, [more])
 * Attributes with null or false values are left out; children may be strings, nodes or arrays.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of an element. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A table with a header row; rows are arrays of cells (strings or nodes). */
export function table(headers, rows, attributes = {}) {
  return h('table', attributes,
    h('thead', {}, h('tr', {}, headers.map(name => h('th', { scope: 'col' }, name)))),
    h('tbody', {}, rows.map(row => h('tr', row.attributes ?? {},
      (row.cells ?? row).map((cell, i) => h('td', { 'data-label': headers[i] }, cell))))));
}

/** A definition list of [term, value] pairs. */
export function facts(pairs, attributes = {}) {
  return h('dl', { class: 'facts', ...attributes },
    pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '—')]));
}

/** A state badge: the colour comes from the stylesheet, keyed by data-state. */
export function badge(state, attributes = {}) {
  return h('span', { class: 'badge', 'data-state': state, ...attributes }, state);
}

/** A type version is a content hash: its first 12 characters tell versions apart, the tooltip has it whole. */
export function version(text) {
  const value = String(text ?? '');
  return h('code', { class: 'version', title: value }, value.length > 12 ? value.slice(0, 12) : value);
}

export function message(kind, text) {
  return h('p', { class: 'message', 'data-kind': kind, role: kind === 'error' ? 'alert' : null }, text);
}

/** "1.2 s", "3 min 4 s", from milliseconds. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A local time for an ISO-8601 instant, with the instant itself as the tooltip. */
export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return h('time', { datetime: iso, title: iso }, Number.isNaN(date.getTime()) ? iso : date.toLocaleString());
}

/**
 * Calls fn once, `ms` after the first of any number of requests: a burst of events (a thousand
 * loops running) makes one refresh a period, and a steady stream still refreshes on time.
 */
export function throttle(fn, ms) {
  let timer = null;
  const throttled = () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
  throttled.cancel = () => {
    clearTimeout(timer);
    timer = null;
  };
  return throttled;
}
