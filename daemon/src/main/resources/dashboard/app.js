// The page's entry point: a hash router (#/, #/loops?state=running, #/loops/ID, #/reloads) that
// shows one view at a time, and the event stream every view listens to. A view is a function
// show(main, params) that fills main and returns what to call when the user leaves it.

import { connect } from './events.js';
import { h, fill, message } from './dom.js';
import { show as overview } from './overview.js';
import { show as loops } from './loops.js';
import { show as loop } from './loop.js';
import { show as reloads } from './reloads.js';

const routes = [
  { pattern: /^\/?$/, nav: 'overview', view: overview },
  { pattern: /^\/loops\/?$/, nav: 'loops', view: loops },
  { pattern: /^\/loops\/([^/]+)$/, nav: 'loops', view: loop },
  { pattern: /^\/reloads\/?$/, nav: 'reloads', view: reloads },
];

let leave = () => {};

function route() {
  const main = document.getElementById('view');
  const hash = location.hash.replace(/^#/, '');
  const [path, query = ''] = hash.split('?');
  leave();
  leave = () => {};
  for (const { pattern, nav, view } of routes) {
    const match = pattern.exec(path);
    if (match === null) continue;
    document.querySelectorAll('[data-nav]').forEach(link => {
      if (link.dataset.nav === nav) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
    const params = Object.fromEntries(new URLSearchParams(query));
    if (match[1] !== undefined) params.id = decodeURIComponent(match[1]);
    leave = view(main, params) ?? (() => {});
    return;
  }
  fill(main, h('h1', {}, 'Not found'), message('error', `No page ${hash}.`), h('a', { href: '#/' }, 'Overview'));
}

window.addEventListener('hashchange', route);
connect(document.getElementById('live'));
route();
