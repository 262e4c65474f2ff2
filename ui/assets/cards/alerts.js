// The alerts panel, the header badge and the per-GPU mark. Rows are keyed by alert id and replaced only when their
// markup changes, so a frame about one alert touches one row, and a focused Acknowledge button is not yanked away
// by a frame about another.

import { esc, ago, DASH } from '../format.js';
import { setHtml, setText } from '../dom.js';
import { needsAck } from '../alerts.js';

const RESOLVED_SHOWN = 50;
const rows = new Map(); // alert id → {el, html}

/**
 * @param {HTMLElement} root the #alerts section
 * @param {import('../alerts.js').Alerts} alerts
 */
export function renderAlertsPanel(root, alerts) {
  const all = alerts.sorted();
  const open = all.filter((a) => a.state !== 'resolved');
  const resolved = all.filter((a) => a.state === 'resolved');
  const firing = open.filter((a) => a.state === 'firing').length;
  const pending = open.length - firing;
  setText(root.querySelector('#alerts-count'), alerts.loaded
    ? [`${firing} firing`, pending ? `${pending} pending` : null].filter(Boolean).join(' · ') : '');

  const error = alerts.refused || alerts.error;
  const err = root.querySelector('#alerts-error');
  setText(err, error || '');
  err.hidden = !error;

  const status = root.querySelector('#alerts-status');
  setText(status, alerts.done || '');

  const empty = root.querySelector('#alerts-empty');
  const emptyText = alerts.loaded ? 'No firing or pending alerts.' : error ? '' : 'Loading alerts…';
  setText(empty, emptyText);
  empty.hidden = open.length > 0 || !emptyText;

  const focused = root.contains(document.activeElement);
  place(root.querySelector('#alerts-open'), open, alerts);
  place(root.querySelector('#alerts-resolved'), resolved.slice(0, RESOLVED_SHOWN), alerts);
  // A row that had focus left the open list (an acknowledged XID resolves): focus goes to what was said about it.
  if (focused && !root.contains(document.activeElement)) (alerts.done ? status : root.querySelector('#alerts-title')).focus();
  setText(root.querySelector('#alerts-resolved-count'), `(${resolved.length})`);
  setText(root.querySelector('#alerts-resolved-more'), resolved.length > RESOLVED_SHOWN
    ? `The ${resolved.length - RESOLVED_SHOWN} oldest are not shown.` : '');
  root.querySelector('#alerts-resolved-box').hidden = resolved.length === 0;
  if (alerts.loaded) root.dataset.loaded = '1';
}

/** Puts the rows of `list` in order into `ul`, reusing each alert's element. */
function place(ul, list, alerts) {
  let i = 0;
  for (const a of list) {
    const id = String(a.id);
    let r = rows.get(id);
    if (!r) {
      r = { el: document.createElement('li'), html: null };
      r.el.tabIndex = -1; // a target for focus when the button that had it goes away
      rows.set(id, r);
    }
    const html = row(a, alerts);
    if (r.html !== html) {
      const hadFocus = r.el.contains(document.activeElement);
      r.el.className = `alert sev-${severity(a)} state-${esc(a.state)}`;
      r.el.dataset.id = id;
      r.el.dataset.severity = severity(a);
      r.el.dataset.state = a.state;
      r.el.innerHTML = html;
      r.html = html;
      if (hadFocus) (r.el.querySelector('button:not(:disabled)') || r.el).focus();
    }
    const at = ul.children[i];
    if (at !== r.el) ul.insertBefore(r.el, at || null);
    i++;
  }
  while (ul.children.length > i) {
    const el = ul.lastElementChild;
    if (rows.get(el.dataset.id)?.el === el) rows.delete(el.dataset.id);
    el.remove();
  }
}

/** The alert's severity as a class-safe word: an unknown one (a newer server) reads as info rather than breaking. */
export const severity = (a) => (['critical', 'warning', 'info'].includes(a.severity) ? a.severity : 'info');

function row(a, alerts) {
  const where = [a.server, a.gpu_index != null ? `GPU ${a.gpu_index}` : null].filter(Boolean).map(esc).join(' · ');
  return `<span class="sev" data-severity="${severity(a)}">${esc(a.severity || 'info')}</span>
  <div class="alert-main">
    <p class="alert-what"><strong class="alert-rule">${esc(a.rule)}</strong> <span class="alert-where">${where}</span>
      <span class="alert-state">${esc(a.state)}</span></p>
    <p class="alert-msg">${esc(a.message || '')}</p>
  </div>
  <dl class="alert-facts">
    <div><dt>Value</dt><dd>${esc(value(a))}</dd></div>
    <div><dt>Started</dt><dd>${when(a.started_at)}</dd></div>
    ${a.fired_at ? `<div><dt>Fired</dt><dd>${when(a.fired_at)}</dd></div>` : ''}
    ${a.resolved_at ? `<div><dt>Resolved</dt><dd>${when(a.resolved_at)}</dd></div>` : ''}
  </dl>
  <div class="alert-ack">${ack(a, alerts)}</div>`;
}

function ack(a, alerts) {
  if (a.acknowledged_by || a.acknowledged_at) {
    return `<span class="acked">Acknowledged by <b>${esc(a.acknowledged_by || 'someone')}</b> ${a.acknowledged_at ? when(a.acknowledged_at) : ''}</span>`;
  }
  if (a.state === 'resolved') return '';
  // Hidden, not disabled, for a role that may not acknowledge (as account.js does); disabled once the server said no.
  const hint = needsAck(a) ? '<span class="muted">stays firing until acknowledged</span>' : '';
  if (alerts.canAck === false) return `<span class="muted">not acknowledged</span>`;
  if (alerts.canAck == null) return hint;
  const busy = alerts.acking.has(String(a.id));
  const label = `Acknowledge ${a.rule} on ${a.server}${a.gpu_index != null ? ` GPU ${a.gpu_index}` : ''}`;
  return `<button type="button" class="btn" data-ack="${esc(a.id)}" aria-label="${esc(label)}"
    ${busy || alerts.refused ? 'disabled' : ''} ${alerts.refused ? `title="${esc(alerts.refused)}"` : ''}>${busy ? 'Acknowledging…' : 'Acknowledge'}</button>${hint}`;
}

function value(a) {
  const fmt = (v) => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));
  if (a.value == null || a.value === '') return DASH;
  return a.threshold == null ? fmt(a.value) : `${fmt(a.value)} (threshold ${fmt(a.threshold)})`;
}

/** Relative time, absolute in the tooltip: "how long ago" is what triage needs, the exact time what a report needs. */
function when(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return esc(iso || DASH);
  return `<time datetime="${esc(iso)}" title="${esc(d.toLocaleString([], { hour12: false }))}">${esc(ago(Date.now() - d.getTime()))}</time>`;
}

// ---- badges -------------------------------------------------------------------------------------------------

/** The top bar's count of firing alerts, coloured by the worst of them; also in the tab title. */
export function renderAlertsBadge(el, alerts) {
  const firing = alerts.firing();
  const counts = ['critical', 'warning', 'info'].map((s) => [s, firing.filter((a) => severity(a) === s).length])
    .filter(([, n]) => n);
  const worst = counts[0]?.[0] || 'none';
  el.dataset.severity = worst;
  setHtml(el, `<span aria-hidden="true">${firing.length ? '⚠' : '✓'}</span> <b>${firing.length}</b> firing`
    + (firing.length ? ` <span class="sr-only">(${counts.map(([s, n]) => `${n} ${s}`).join(', ')})</span>` : ''));
  el.title = firing.length ? `Firing alerts: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}` : 'No firing alerts';
  el.hidden = !alerts.loaded;
  document.title = firing.length ? `(${firing.length}) Trainwatch` : 'Trainwatch';
}

/** One button per server with firing alerts (the select's options cannot carry a coloured badge in every browser). */
export function renderServerChips(ul, byServer, current) {
  setHtml(ul, [...byServer].sort(([a], [b]) => a.localeCompare(b)).map(([slug, s]) =>
    `<li><button type="button" class="chip sev-chip" data-server="${esc(slug)}" data-severity="${esc(s.worst)}"
      ${slug === current ? 'aria-current="true"' : ''} title="Show ${esc(slug)}">${esc(slug)}: ${s.count} ${esc(s.worst)}</button></li>`).join(''));
}

/** The mark on a GPU card's header, or ''. */
export function gpuMark(list) {
  if (!list?.length) return '';
  const worst = severity(list[0]);
  const text = list.map((a) => a.message || a.rule).join('\n');
  return `<a class="alert-mark" href="#alerts" data-severity="${worst}" title="${esc(text)}"><span aria-hidden="true">⚠</span> ${esc(worst)}<span class="sr-only"> alert: ${esc(text)}</span></a>`;
}
