// The server selector: a native <select> (keyboard and screen-reader friendly) plus a status dot for the chosen one.
// Each option also counts the server's firing alerts in words, since an option's colour is not shown everywhere (the
// alerts panel has the same counts as coloured buttons).

import { esc, ago } from '../format.js';
import { setHtml } from '../dom.js';

const STATUS = { online: 'online', stale: 'stale', offline: 'offline' };

/** @param {Map<string, {count: number, worst: string}>} alerts slug → firing alerts (alerts.js `byServer`) */
export function renderServers(select, dot, servers, current, alerts = new Map()) {
  setHtml(select, servers.map((s) => {
    const st = STATUS[s.status] || 'offline';
    const mark = { online: '●', stale: '◐', offline: '○' }[st];
    const name = s.name && s.name !== s.slug ? `${s.name} (${s.slug})` : s.slug;
    const a = alerts.get(s.slug);
    const alertText = !a ? '' : a.count === 1 ? ` · ⚠ 1 ${a.worst}` : ` · ⚠ ${a.count} firing, worst ${a.worst}`;
    const alertAttrs = a ? ` class="sev-${esc(a.worst)}" data-alerts="${a.count}" data-severity="${esc(a.worst)}"` : '';
    return `<option value="${esc(s.slug)}"${alertAttrs} ${s.slug === current ? 'selected' : ''} ${s.is_active === false ? 'disabled' : ''}>${mark} ${esc(name)} · ${st}${esc(alertText)}</option>`;
  }).join(''));
  select.value = current;
  const cur = servers.find((s) => s.slug === current);
  const st = STATUS[cur?.status] || 'offline';
  dot.className = `dot ${st}`;
  dot.title = cur ? `${st}; last seen ${cur.last_seen_at ? ago(Date.now() - Date.parse(cur.last_seen_at)) : 'never'}${cur.hostname ? ' · ' + cur.hostname : ''}` : 'unknown server';
  dot.setAttribute('aria-label', `server status: ${st}`);
}
