// Which servers the fleet view shows, and in what order: filtering (text, `key=value` labels, status, bottleneck),
// sorting and grouping by a label. Pure (no DOM), so it is unit-tested with `node --test` (ui/test/).

import { has } from './format.js';

export const SORTS = {
  name: 'name',
  label: 'bottleneck label',
  busiest: 'busiest (GPU util)',
  idlest: 'idlest (GPU util)',
  seen: 'last seen',
};
export const STATUSES = ['online', 'stale', 'offline', 'disabled'];

/** The mean GPU utilization of a server, or null when no GPU reported one (absent is not 0). */
export function gpuAvg(s) {
  let sum = 0;
  let n = 0;
  for (const g of s.gpus || []) if (has(g.utilization)) { sum += g.utilization; n++; }
  return n ? sum / n : null;
}

/** What a server is called on screen: its name, else its slug. */
export const name = (s) => s.name || s.slug;
/** When a server was last seen, in ms since the epoch (0: never). */
export const seenMs = (s) => (s.last_seen_at ? Date.parse(s.last_seen_at) || 0 : 0);
// Absent figures sort last whichever way the sort runs: a silent server is neither the busiest nor the idlest.
const byNum = (get, dir) => (a, b) => {
  const x = get(a);
  const y = get(b);
  if (x == null || y == null) return (x == null) - (y == null);
  return dir * (x - y);
};
// One collator for every comparison: String.localeCompare builds its own each call, which made sorting 1,000
// servers by name most of a fleet update's script time.
const collate = new Intl.Collator().compare;
const COMPARE = {
  name: (a, b) => collate(name(a), name(b)) || collate(a.slug, b.slug),
  label: (a, b) => (a.bottleneck == null) - (b.bottleneck == null) || collate(String(a.bottleneck ?? ''), String(b.bottleneck ?? '')),
  busiest: byNum(gpuAvg, -1),
  idlest: byNum(gpuAvg, 1),
  seen: (a, b) => seenMs(b) - seenMs(a),
};

/**
 * Free text: each word must match. `key=value` matches a label; anything else a part of the slug, name or label.
 * @returns {(s: object) => boolean}
 */
export function matcher({ q = '', status = '', bottleneck = '' } = {}) {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return (s) => {
    if (status && s.status !== status) return false;
    if (bottleneck && (s.bottleneck || '') !== bottleneck) return false;
    for (const w of words) {
      const eq = w.indexOf('=');
      if (eq > 0) {
        const k = w.slice(0, eq);
        const v = w.slice(eq + 1);
        const hit = Object.entries(s.labels || {}).some(([lk, lv]) => lk.toLowerCase() === k && (!v || String(lv).toLowerCase() === v));
        if (!hit) return false;
      } else if (!s.slug.toLowerCase().includes(w) && !name(s).toLowerCase().includes(w)) {
        return false;
      }
    }
    return true;
  };
}

const NONE = '\u0000'; // the group of servers without the label, shown last

/** The servers to show, filtered, sorted and grouped: [{key, title, servers}]. Pure. */
export function view(servers, opts = {}) {
  const cmp = COMPARE[opts.sort] || COMPARE.name;
  const shown = servers.filter(matcher(opts)).sort((a, b) => cmp(a, b) || COMPARE.name(a, b));
  if (!opts.group) return [{ key: '', title: null, servers: shown }];
  const groups = new Map();
  for (const s of shown) {
    const v = s.labels?.[opts.group];
    const key = v == null ? NONE : String(v);
    if (!groups.has(key)) groups.set(key, { key, title: v == null ? `no ${opts.group}` : `${opts.group}=${v}`, servers: [] });
    groups.get(key).servers.push(s);
  }
  return [...groups.values()].sort((a, b) => (a.key === NONE) - (b.key === NONE) || collate(a.key, b.key));
}
