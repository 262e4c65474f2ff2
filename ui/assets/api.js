// HTTP reads of CONTRACT §2. URLs are relative to the page so the dashboard also works behind a path prefix.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code || 'http_' + status;
    this.body = body;
  }
}

async function getJson(path, { timeoutMs = 10000 } = {}) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    const res = await fetch(path, { signal: ctl.signal, headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, body);
    return body;
  } finally {
    clearTimeout(timer);
  }
}

const q = (params) => new URLSearchParams(params).toString();

export const api = {
  config: () => getJson('api/config'),
  servers: () => getJson('api/servers/'),
  latest: (server) => getJson(`api/metrics/latest/?${q({ server })}`),
  history: (server, minutes) => getJson(`api/metrics/history/?${q({ server, minutes })}`, { timeoutMs: 20000 }),
};
