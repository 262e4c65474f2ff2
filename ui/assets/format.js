// Number formatting for the dashboard. Every formatter returns "—" for a missing value: the contract says a
// value the hardware cannot give is absent, and showing 0 instead would be a lie an operator acts on.

export const DASH = '—';

export const has = (v) => v !== null && v !== undefined && Number.isFinite(Number(v));

export function pct(v, digits = 0) {
  return has(v) ? `${Number(v).toFixed(digits)} %` : DASH;
}

// Binary units for capacities (memory is sold and reported by drivers in GiB).
export function bytes(v, digits = 1) {
  if (!has(v)) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let n = Number(v);
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : n >= 100 ? 0 : digits)} ${units[i]}`;
}

// Decimal units for throughput, as iostat, NIC vendors and NVMe datasheets quote them.
export function rate(v) {
  if (!has(v)) return DASH;
  const units = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'];
  let n = Number(v);
  let i = 0;
  while (Math.abs(n) >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${n.toFixed(n >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

export function num(v, digits = 0, unit = '') {
  if (!has(v)) return DASH;
  return `${Number(v).toFixed(digits)}${unit ? ' ' + unit : ''}`;
}

export const temp = (v) => num(v, 0, '°C');
export const watts = (v) => num(v, 0, 'W');
export const mhz = (v) => num(v, 0, 'MHz');

export function iops(v) {
  if (!has(v)) return DASH;
  const n = Number(v);
  return n >= 10000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0);
}

export function ratio(used, total) {
  return has(used) && has(total) && Number(total) > 0 ? (100 * Number(used)) / Number(total) : null;
}

export function ago(ms) {
  if (!has(ms)) return DASH;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function clock(date, withSeconds = false) {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}), hour12: false });
}

// Everything that reaches innerHTML goes through here: process commands, users and server names come from agents.
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// Severity buckets shared by bars, numbers and chart colours so one glance reads the same everywhere.
export function level(v, warn = 75, crit = 90) {
  if (!has(v)) return 'na';
  return v >= crit ? 'crit' : v >= warn ? 'warn' : 'ok';
}
