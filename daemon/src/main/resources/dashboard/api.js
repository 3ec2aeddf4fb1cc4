// Every call for data goes through here. The daemon needs a bearer token when one is
// configured; the page asks for it once, at the first 401, keeps it in sessionStorage (gone when
// the tab closes) and sends it as a header. No cookies, so another site cannot make the browser
// call the API on the user's behalf.

const TOKEN_KEY = 'taskd.token';
let asking = null;

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function authHeaders() {
  const value = token();
  return value ? { Authorization: `Bearer ${value}` } : {};
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Asks the user for a token and resolves when one is stored. Calls that meet 401 at the same
 * time share one prompt.
 */
export function askForToken() {
  if (asking === null) {
    asking = promptForToken(token() === null ? 'This daemon needs an API token.'
      : 'The daemon refused that token; enter another.').finally(() => { asking = null; });
  }
  return asking;
}

function promptForToken(reason) {
  const dialog = document.getElementById('token-dialog');
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  document.getElementById('token-reason').textContent = reason;
  input.value = '';
  return new Promise(resolve => {
    const submit = event => {
      event.preventDefault();
      const value = input.value.trim();
      if (value === '') return;
      form.removeEventListener('submit', submit);
      sessionStorage.setItem(TOKEN_KEY, value);
      dialog.close();
      resolve(value);
    };
    form.addEventListener('submit', submit);
    // Escape would close the dialog with no token and leave every call waiting.
    dialog.addEventListener('cancel', event => event.preventDefault(), { once: true });
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}

/**
 * Calls the API and returns its JSON answer. A 401 asks for a token and tries again; any other
 * error status throws an ApiError carrying the daemon's message.
 */
export async function api(path, { method = 'GET', body } = {}) {
  for (;;) {
    const headers = { Accept: 'application/json', ...authHeaders() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store',
    });
    if (response.status === 401) {
      await askForToken();
      continue;
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, json?.error ?? `http_${response.status}`,
        json?.message ?? `${method} ${path} answered ${response.status}`);
    }
    return json;
  }
}
