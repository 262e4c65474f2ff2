// HTTP calls of CONTRACT §2. URLs are relative to the page so the dashboard also works behind a path prefix.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code || 'http_' + status;
    this.body = body;
  }
}

let leaving = false;

/** Goes to the sign-in page; many requests can fail with 401 at once, but the browser should navigate only once. */
export function toLogin() {
  if (leaving) return;
  leaving = true;
  location.assign('login');
}

async function request(method, path, { body, timeoutMs = 10000 } = {}) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const headers = { Accept: 'application/json' };
  // The server only accepts JSON on state-changing requests, which a cross-site HTML form cannot send.
  if (method !== 'GET') headers['Content-Type'] = 'application/json';
  try {
    const res = await fetch(path, {
      method, headers, signal: ctl.signal, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.status === 401) toLogin();
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  } finally {
    clearTimeout(timer);
  }
}

const getJson = (path, opts) => request('GET', path, opts);
const q = (params) => new URLSearchParams(params).toString();

export const api = {
  config: () => getJson('api/config'),
  servers: () => getJson('api/servers/'),
  fleet: () => getJson('api/fleet'),
  latest: (server) => getJson(`api/metrics/latest/?${q({ server })}`),
  history: (server, minutes) => getJson(`api/metrics/history/?${q({ server, minutes })}`, { timeoutMs: 20000 }),
  historyRange: (server, from, to) => getJson(`api/metrics/history/?${q({ server, from, to })}`, { timeoutMs: 20000 }),
  me: () => getJson('api/me'),
  logout: () => request('POST', 'logout', { body: {} }),
  tokens: () => getJson('api/tokens'),
  createToken: (name, role) => request('POST', 'api/tokens', { body: { name, role } }),
  revokeToken: (id) => request('DELETE', `api/tokens/${encodeURIComponent(id)}`),
  // Without `since`: open alerts plus those resolved in the last 24 h, which is what the panel shows.
  alerts: () => getJson('api/alerts'),
  ackAlert: (id) => request('POST', `api/alerts/${encodeURIComponent(id)}/ack`, { body: {} }),
};
