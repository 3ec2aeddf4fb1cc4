// Reloads: a pending plan with its diffs, the audit log (newest first) with each reload's changes
// and result, and the effective configuration as the daemon shows it (secrets as ***).

import { api } from './api.js';
import { subscribe } from './events.js';
import { h, fill, facts, badge, message, table, time, throttle } from './dom.js';

const PAGE = 1000;
/** The audit log is read whole, a page at a time, up to this many entries: reloads are rare. */
const MAX_ENTRIES = 20 * PAGE;
const SHOWN = 50;

/** Every audit entry, oldest first (GET /v1/audit pages by seq). */
export async function readAudit() {
  const entries = [];
  let after = null;
  while (entries.length < MAX_ENTRIES) {
    const query = after === null ? `?limit=${PAGE}` : `?limit=${PAGE}&after=${after}`;
    const page = (await api(`/v1/audit${query}`)).entries ?? [];
    entries.push(...page);
    if (page.length < PAGE) break;
    after = page[page.length - 1].seq;
  }
  return entries;
}

export async function lastAuditEntry() {
  const entries = await readAudit();
  return entries.length === 0 ? null : entries[entries.length - 1];
}

function changes(list) {
  if (!list || list.length === 0) return null;
  return table(['Key', 'Change', 'Old', 'New', 'Scope'], list.map(change =>
    [h('code', {}, change.key), change.kind, h('code', {}, change.old ?? '—'), h('code', {}, change.new ?? '—'),
      change.scope]), { class: 'changes' });
}

function lines(title, list, text = item => item) {
  if (!list || list.length === 0) return null;
  return h('div', {}, h('h4', {}, title), h('ul', {}, list.map(item => h('li', {}, text(item)))));
}

function diffs(files) {
  if (!files || files.length === 0) return null;
  return files.map(file => h('details', { class: 'diff' },
    h('summary', {}, `${file.status} ${file.path}`),
    h('pre', {}, (file.diff ?? '').split('\n').map(line => h('span', {
      class: line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : null,
    }, `${line}\n`)))));
}

function entry(item) {
  const result = item.result ?? item.kind;
  return h('article', { class: 'card audit-entry', dataset: { seq: item.seq ?? '' } },
    h('header', {}, badge(result), ' ', h('strong', {}, `#${item.seq} ${item.kind ?? ''}`), ' ', time(item.ts ?? item.at)),
    facts([
      ['Generation', item.generation_before === undefined ? null : `${item.generation_before} → ${item.generation_after}`],
      ['Trigger', item.trigger ? `${item.trigger}${item.actor ? ` (${item.actor})` : ''}` : null],
      ['Scope', item.scope],
      ['Took', item.duration_ms === undefined ? null : `${item.duration_ms} ms`],
    ].filter(([, value]) => value !== null && value !== undefined)),
    item.error ? message('error', `${item.error}${item.rollback_performed ? ' (rolled back)' : ''}`) : null,
    item.reason ? message('warn', item.reason) : null,
    changes(item.changes),
    item.unsafe_changes?.length ? [h('h4', {}, 'Unsafe changes'), changes(item.unsafe_changes)] : null,
    lines('Findings', item.findings, finding => finding.text ?? finding.message),
    lines('Warnings', item.warnings),
    lines('Loops', item.loops, effect => `${effect.loop_id} (${effect.type}): ${effect.effect} ${effect.detail ?? ''}`),
    diffs(item.files),
    h('details', { class: 'raw' }, h('summary', {}, 'JSON'), h('pre', {}, JSON.stringify(item, null, 2))));
}

function pendingPlan(plan) {
  if (!plan || plan.pending === false) return message('info', 'No pending plan.');
  return h('article', { class: 'card' },
    h('header', {}, badge(plan.verdict), ' ', h('strong', {}, plan.summary ?? 'pending plan'), ' ', time(plan.planned_at)),
    changes(plan.changes), lines('Findings', plan.findings, finding => finding.text ?? finding.message),
    lines('Warnings', plan.warnings), diffs(plan.files));
}

function config(body) {
  const rows = Object.entries(body.config ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const filter = h('input', { type: 'search', placeholder: 'filter keys', 'aria-label': 'filter keys' });
  const list = table(['Key', 'Value'], rows.map(([key, value]) => ({
    attributes: { dataset: { key } }, cells: [h('code', {}, key), h('code', {}, String(value))],
  })), { class: 'config' });
  filter.addEventListener('input', () => {
    const text = filter.value.toLowerCase();
    list.querySelectorAll('tbody tr').forEach(row => { row.hidden = !row.dataset.key.toLowerCase().includes(text); });
  });
  return [h('p', {}, `Generation ${body.generation}; secrets are shown as ***.`), filter, list];
}

export function show(main) {
  const pending = h('div', {}, message('info', 'Loading…'));
  const audit = h('div', { id: 'audit' }, message('info', 'Loading…'));
  const effective = h('div', { id: 'config' }, message('info', 'Loading…'));
  fill(main, h('h1', {}, 'Reloads'),
    h('section', {}, h('h2', {}, 'Pending plan'), pending),
    h('section', {}, h('h2', {}, 'Audit log'), audit),
    h('section', {}, h('h2', {}, 'Effective configuration'), effective));
  let gone = false;
  let shown = SHOWN;

  const guard = async (target, read, render) => {
    try {
      const value = await read();
      if (!gone) fill(target, render(value));
    } catch (error) {
      if (!gone) fill(target, message('error', error.message));
    }
  };
  const renderAudit = entries => {
    if (entries.length === 0) return message('info', 'No reloads recorded yet.');
    const newest = entries.slice().reverse();
    const more = h('button', { type: 'button', class: 'secondary' }, 'Show older');
    more.addEventListener('click', () => {
      shown += SHOWN;
      fill(audit, renderAudit(entries));
    });
    return [newest.slice(0, shown).map(entry), newest.length > shown ? more : null];
  };
  const refresh = () => {
    guard(pending, () => api('/v1/reload/pending'), pendingPlan);
    guard(audit, readAudit, renderAudit);
    guard(effective, () => api('/v1/config'), config);
  };
  const later = throttle(refresh, 500);
  const unsubscribe = subscribe(({ event }) => {
    if (event === 'reload' || event === 'plan' || event === 'resync') later();
  });
  refresh();
  return () => {
    gone = true;
    later.cancel();
    unsubscribe();
  };
}
