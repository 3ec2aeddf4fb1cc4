// The overview: loops by state, the generation in force, drift, a pending plan, the last reload's
// result, the queue. Re-read from /v1/status when an event says something changed.

import { api } from './api.js';
import { subscribe } from './events.js';
import { h, fill, facts, badge, message, time, throttle } from './dom.js';
import { lastAuditEntry } from './reloads.js';

const STATES = ['queued', 'running', 'paused', 'blocked', 'awaiting_approval', 'succeeded', 'failed', 'cancelled'];

export function show(main) {
  const body = h('div', { class: 'overview' }, message('info', 'Loading…'));
  fill(main, h('h1', {}, 'Overview'), body);
  let lastReload = null;
  let gone = false;

  const render = status => {
    const counts = h('ul', { class: 'states', id: 'state-counts' }, STATES.map(state =>
      h('li', {}, h('a', { href: `#/loops?state=${state}`, dataset: { state } },
        badge(state), h('span', { class: 'count' }, String(status.loops?.[state] ?? 0))))));
    fill(body,
      h('section', { class: 'card' }, h('h2', {}, 'Loops'), counts,
        facts([['Running', status.running], ['Queued', status.queued]], { id: 'queue' })),
      h('section', { class: 'card' }, h('h2', {}, 'Configuration'), facts([
        ['Generation', h('span', { id: 'generation' }, String(status.generation))],
        ['Config hash', h('code', {}, String(status.config_hash ?? '').slice(0, 12))],
        ['Drift', status.drift ? h('span', { class: 'warn' }, 'sources changed since the last reload') : 'none'],
        ['Apply mode', status.reload_apply],
        ['Pending plan', status.pending ? h('a', { href: '#/reloads' }, status.pending) : 'none'],
        ['Last reload', lastReload === null ? 'none recorded'
          : h('span', {}, badge(lastReload.result ?? lastReload.kind ?? '?'), ' ', time(lastReload.ts ?? lastReload.at))],
      ])),
      h('section', { class: 'card' }, h('h2', {}, 'Daemon'), facts([
        ['Version', status.version],
        ['Up', `${status.uptime_seconds} s`],
        ['Draining', status.draining ? h('span', { class: 'warn' }, 'yes') : 'no'],
        ['Storage', status.storage?.writable ? `writable, ${Math.round((status.storage.free_bytes ?? 0) / 1e6)} MB free`
          : h('span', { class: 'warn' }, `not writable: ${status.storage?.reason}`)],
      ])));
  };

  const refresh = async () => {
    try {
      const status = await api('/v1/status');
      if (!gone) render(status);
    } catch (error) {
      if (!gone) fill(body, message('error', `Cannot read /v1/status: ${error.message}`));
    }
  };
  const readLastReload = async () => {
    try {
      lastReload = await lastAuditEntry();
    } catch {
      lastReload = null;
    }
    refresh();
  };
  const later = throttle(refresh, 500);
  const unsubscribe = subscribe(({ event, data }) => {
    if (event === 'reload') {
      lastReload = data;
      later();
    } else if (event === 'resync') {
      readLastReload();
    } else {
      later();
    }
  });
  readLastReload();
  return () => {
    gone = true;
    later.cancel();
    unsubscribe();
  };
}
