// The server selector: a native <select> (keyboard and screen-reader friendly) plus a status dot for the chosen one.

import { esc, ago } from '../format.js';
import { setHtml } from '../dom.js';

const STATUS = { online: 'online', stale: 'stale', offline: 'offline' };

export function renderServers(select, dot, servers, current) {
  setHtml(select, servers.map((s) => {
    const st = STATUS[s.status] || 'offline';
    const mark = { online: '●', stale: '◐', offline: '○' }[st];
    const name = s.name && s.name !== s.slug ? `${s.name} (${s.slug})` : s.slug;
    return `<option value="${esc(s.slug)}" ${s.slug === current ? 'selected' : ''} ${s.is_active === false ? 'disabled' : ''}>${mark} ${esc(name)} · ${st}</option>`;
  }).join(''));
  select.value = current;
  const cur = servers.find((s) => s.slug === current);
  const st = STATUS[cur?.status] || 'offline';
  dot.className = `dot ${st}`;
  dot.title = cur ? `${st}; last seen ${cur.last_seen_at ? ago(Date.now() - Date.parse(cur.last_seen_at)) : 'never'}${cur.hostname ? ' · ' + cur.hostname : ''}` : 'unknown server';
  dot.setAttribute('aria-label', `server status: ${st}`);
}
