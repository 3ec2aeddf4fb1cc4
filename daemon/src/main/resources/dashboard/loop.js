// One loop: its state and inputs, what its script keeps in ctx.state, its iterations, the live
// output of the running iteration, and buttons to cancel, pause, resume and approve it. Re-read when an
// event names this loop, and after each button.

import { api } from './api.js';
import { subscribe } from './events.js';
import { h, fill, facts, badge, message, table, time, duration, throttle, version } from './dom.js';
import { liveOutput } from './output.js';

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);
/** How long a Cancel button waits for its confirming second click. */
const CONFIRM_MS = 4000;

/** The buttons a loop in `state` offers: [label, id, method, path suffix]. */
function actionsFor(state) {
  if (ENDED.has(state)) return [];
  // Rejecting needs a reason: 'taskd loops reject ID --reason TEXT'.
  if (state === 'awaiting_approval') return [['Approve', 'approve', 'POST', '/approve'], ['Cancel', 'cancel', 'DELETE', '']];
  const pause = state === 'paused'
    ? [['Resume', 'resume', 'POST', '/resume']]
    : [['Pause', 'pause', 'POST', '/pause'], ['Pause now', 'pause-now', 'POST', '/pause?now=true']];
  return [...pause, ['Cancel', 'cancel', 'DELETE', '']];
}

function iterations(list) {
  if (list.length === 0) return message('info', 'No iteration has ended yet.');
  return table(['#', 'Outcome', 'Started', 'Took', 'Exit code', 'Tokens in/out', 'Output'],
    list.slice().reverse().map(item => ({
      attributes: { dataset: { iteration: item.number, outcome: item.outcome } },
      cells: [String(item.number), badge(item.outcome), time(item.started_at),
        duration(Date.parse(item.ended_at) - Date.parse(item.started_at)),
        item.validation_exit_code ?? '—', `${item.tokens_in ?? 0} / ${item.tokens_out ?? 0}`,
        [item.error ? h('p', { class: 'error-text' }, item.error) : null,
          item.output_tail ? h('details', {}, h('summary', {}, 'tail'), h('pre', {}, item.output_tail)) : null]],
    })), { class: 'iterations' });
}

export function show(main, params) {
  const header = h('div', { class: 'loop-header' }, message('info', 'Loading…'));
  const actions = h('div', { class: 'actions', id: 'loop-actions' });
  const notice = h('div', { id: 'loop-notice' });
  const details = h('div', { class: 'grid' });
  const history = h('div', { id: 'iterations' });
  const output = h('div', { id: 'output-panel' });
  fill(main, h('p', {}, h('a', { href: '#/loops' }, '← Loops')), header, actions, notice, details,
    h('section', {}, h('h2', {}, 'Live output'), output),
    h('section', {}, h('h2', {}, 'Iterations'), history));
  let gone = false;
  let loop = null;
  let stopOutput = null;

  const act = async (button, method, suffix) => {
    button.disabled = true;
    try {
      loop = await api(`/v1/loops/${encodeURIComponent(loop.id)}${suffix}`, { method });
      fill(notice);
      render(loop);
    } catch (error) {
      fill(notice, message('error', error.message));
    }
    refresh();
  };

  const renderActions = state => {
    fill(actions, actionsFor(state).map(([label, id, method, suffix]) => {
      const button = h('button', { type: 'button', id: `action-${id}`, class: id === 'cancel' ? 'danger' : null }, label);
      let armed = null;
      button.addEventListener('click', () => {
        if (id !== 'cancel' || armed !== null) {
          clearTimeout(armed);
          act(button, method, suffix);
          return;
        }
        // Cancelling cannot be undone: the first click only asks to be confirmed.
        button.textContent = 'Confirm cancel';
        armed = setTimeout(() => { button.textContent = label; armed = null; }, CONFIRM_MS);
      });
      return button;
    }));
  };

  const render = current => {
    const state = current.state;
    fill(header, h('h1', {}, h('span', { class: 'id' }, current.id)),
      h('p', {}, badge(state, { id: 'loop-state' }),
        current.reason ? h('span', { class: 'reason' }, ` — ${current.reason}`) : null));
    if (actions.dataset.state !== state) {
      actions.dataset.state = state;
      renderActions(state);
    }
    const inputs = Object.entries(current.inputs ?? {});
    fill(details,
      h('section', { class: 'card' }, h('h2', {}, 'Loop'), facts([
        ['Type', [current.type, ' ', version(current.type_version), ` (generation ${current.generation})`]],
        ['Iterations', h('span', { id: 'loop-iterations' }, String(current.iterations))],
        ['Priority', current.priority],
        ['After', current.after?.length ? current.after.join(', ') : 'nothing'],
        ['Work dir', h('code', {}, current.workdir ?? '—')],
        ['Created', time(current.created_at)],
        ['Updated', time(current.updated_at)],
      ])),
      h('section', { class: 'card' }, h('h2', {}, 'Inputs'), inputs.length === 0 ? message('info', 'none')
        : table(['Name', 'Value'], inputs.map(([name, value]) => [h('code', {}, name), h('code', {}, value)]))),
      h('section', { class: 'card' }, h('h2', {}, 'ctx.state'),
        h('pre', { id: 'loop-data' }, JSON.stringify(current.data ?? {}, null, 2))));
  };

  const refresh = async () => {
    try {
      const [current, list] = await Promise.all([
        api(`/v1/loops/${encodeURIComponent(loop?.id ?? params.id)}`),
        api(`/v1/loops/${encodeURIComponent(loop?.id ?? params.id)}/iterations`),
      ]);
      if (gone) return;
      loop = current;
      render(current);
      fill(history, iterations(list.iterations ?? []));
      if (stopOutput === null) stopOutput = liveOutput(output, current.id, () => !gone && !ENDED.has(loop.state));
    } catch (error) {
      if (!gone) fill(notice, message('error', error.message));
    }
  };
  const later = throttle(refresh, 250);
  const unsubscribe = subscribe(({ event, data }) => {
    if (event === 'resync' || (event === 'loop' && loop !== null && data?.loop_id === loop.id)) later();
  });
  refresh();
  return () => {
    gone = true;
    later.cancel();
    unsubscribe();
    stopOutput?.();
  };
}
