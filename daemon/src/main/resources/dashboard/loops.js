// The loops: a page of GET /v1/loops (oldest first), filtered by state and type, with each loop's
// iteration count and type version. The filters and the page live in the URL, so a view can be
// bookmarked and the browser's back button pages back.

import { api } from './api.js';
import { subscribe } from './events.js';
import { h, fill, badge, message, table, time, throttle, version } from './dom.js';

const STATES = ['queued', 'running', 'paused', 'blocked', 'awaiting_approval', 'succeeded', 'failed', 'cancelled'];
const PAGE_SIZE = 50;
/** The cursors of the pages before this one, so "Previous" can go back without the history. */
const earlier = [];

function link(params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value)).toString();
  return `#/loops${query ? `?${query}` : ''}`;
}

function select(name, label, options, value) {
  const element = h('select', { name, id: `filter-${name}`, 'aria-label': label },
    h('option', { value: '' }, `any ${name}`),
    options.map(option => h('option', { value: option, selected: option === value }, option)));
  return h('label', {}, `${label} `, element);
}

export function show(main, params) {
  const state = params.state ?? '';
  const type = params.type ?? '';
  const after = params.after ?? '';
  if (!after) earlier.length = 0;
  const types = select('type', 'Type', type ? [type] : [], type);
  const filters = h('form', { class: 'filters', id: 'loop-filters' },
    select('state', 'State', STATES, state), types);
  filters.addEventListener('change', () => {
    earlier.length = 0;
    location.hash = link({ state: filters.elements.state.value, type: filters.elements.type.value });
  });
  filters.addEventListener('submit', event => event.preventDefault());
  const list = h('div', { id: 'loop-list' }, message('info', 'Loading…'));
  const pager = h('nav', { class: 'pager', 'aria-label': 'pages' });
  fill(main, h('h1', {}, 'Loops'), filters, list, pager);
  let gone = false;

  api('/v1/loop-types').then(body => {
    const names = (body.loop_types ?? []).filter(t => !t.abstract).map(t => t.name);
    const element = filters.elements.type;
    fill(element, h('option', { value: '' }, 'any type'),
      [...new Set([...names, type].filter(Boolean))].sort()
        .map(name => h('option', { value: name, selected: name === type }, name)));
  }).catch(() => {});

  const render = body => {
    const loops = body.loops ?? [];
    fill(list, loops.length === 0 ? message('info', 'No loops match.') : table(
      ['Loop', 'Type', 'Version', 'State', 'Iterations', 'Priority', 'Updated'],
      loops.map(loop => ({
        attributes: { dataset: { loopId: loop.id, state: loop.state } },
        cells: [h('a', { href: `#/loops/${encodeURIComponent(loop.id)}`, class: 'id' }, loop.id),
          loop.type, version(loop.type_version), badge(loop.state), String(loop.iterations), String(loop.priority),
          time(loop.updated_at)],
      })), { class: 'loops' }));
    const previous = h('button', { type: 'button', class: 'secondary', disabled: !after }, 'Previous');
    previous.addEventListener('click', () => { location.hash = link({ state, type, after: earlier.pop() }); });
    const next = h('button', { type: 'button', class: 'secondary', disabled: !body.next }, 'Next');
    next.addEventListener('click', () => {
      earlier.push(after);
      location.hash = link({ state, type, after: body.next });
    });
    fill(pager, previous, next);
  };
  const refresh = async () => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (state) query.set('state', state);
    if (type) query.set('type', type);
    if (after) query.set('after', after);
    try {
      const body = await api(`/v1/loops?${query}`);
      if (!gone) render(body);
    } catch (error) {
      if (!gone) fill(list, message('error', error.message));
    }
  };
  const later = throttle(refresh, 500);
  const unsubscribe = subscribe(({ event }) => {
    if (event === 'loop' || event === 'resync') later();
  });
  refresh();
  return () => {
    gone = true;
    later.cancel();
    unsubscribe();
  };
}
