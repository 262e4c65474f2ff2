// Chart data: one fetch of /api/metrics/history/ per range or server change, then live snapshots folded into the
// reply's own step, so a 24 h chart at 60 s steps gains averaged 60 s points rather than a spray of raw ones.

import { api } from './api.js';
import { ratio } from './format.js';

export const RANGES = { '15m': 15, '1h': 60, '6h': 360, '24h': 1440, '7d': 7 * 1440, '30d': 30 * 1440 };

/** The chart fields of a history point or a derived snapshot (both carry section 4 names). */
export function toPoint(s) {
  const p = {
    t: Date.parse(s.ts),
    cpu: s.cpu?.utilization,
    iowait: s.cpu?.iowait,
    ram: s.memory?.ram_used,
    ramTotal: s.memory?.ram_total,
    swap: s.memory?.swap_used,
    gpuAvg: s.gpu_util_avg,
    gpuMax: s.gpu_util_max,
    gpuMem: ratio(s.gpu_memory_used, s.gpu_memory_total),
    read: s.disk?.read_rate,
    write: s.disk?.write_rate,
    up: s.network?.upload_rate,
    down: s.network?.download_rate,
    label: s.bottleneck?.label,
    n: 1,
  };
  // Each GPU's own figures (issue 16), flat so that folding averages them like any other field: g<index><kind>.
  let tempMax = null;
  for (const g of s.gpus || []) {
    const i = g.index;
    if (!Number.isInteger(i)) continue;
    p[gpuKey(i, 'u')] = g.utilization;
    p[gpuKey(i, 'm')] = ratio(g.memory_used, g.memory_total);
    p[gpuKey(i, 't')] = g.temperature;
    p[gpuKey(i, 'p')] = g.power;
    if (g.temperature != null && (tempMax == null || g.temperature > tempMax)) tempMax = g.temperature;
  }
  p.tempMax = tempMax;
  return p;
}

/** A GPU figure's key in a chart point: kind u (utilization %), m (memory %), t (temperature °C), p (power W). */
export const gpuKey = (index, kind) => `g${index}${kind}`;
const GPU_KEY = /^g(\d+)[umtp]$/;

/** The GPU indices that appear in any of the points, in order. */
export function gpuIndices(points) {
  const seen = new Set();
  for (const p of points) for (const k in p) { const m = GPU_KEY.exec(k); if (m && p[k] != null) seen.add(Number(m[1])); }
  return [...seen].sort((a, b) => a - b);
}

const AVERAGED = ['cpu', 'iowait', 'ram', 'ramTotal', 'swap', 'gpuAvg', 'gpuMax', 'gpuMem', 'tempMax', 'read', 'write',
  'up', 'down'];
/** The fields a fold averages: the fixed ones and every GPU field either side has. */
function averaged(last, p) {
  const keys = new Set(AVERAGED);
  for (const k in p) if (GPU_KEY.test(k)) keys.add(k);
  for (const k in last) if (GPU_KEY.test(k)) keys.add(k);
  return keys;
}

export class History {
  constructor(onChange) {
    this.onChange = onChange;
    this.points = [];
    this.stepMs = 1000;
    this.resolution = 'raw';
    this.minutes = 60;
    this.fixed = null; // [from, to] in ms for a zoom or a custom range; null follows now
    this.server = null;
    this.gen = 0;
    this.lastT = 0;
    this.undo = null; // takes the newest sample's contribution back out, so the same sample can be folded again
  }

  /** The last `minutes` up to now, following live samples. */
  load(server, minutes) {
    this.minutes = minutes;
    this.fixed = null;
    return this.fetch(server, () => api.history(server, minutes));
  }

  /** A fixed window (a zoom or a custom range), at the resolution the server picks for its length. */
  loadRange(server, from, to) {
    this.fixed = [from, to];
    return this.fetch(server, () => api.historyRange(server, new Date(from).toISOString(), new Date(to).toISOString()));
  }

  async fetch(server, read) {
    this.server = server;
    const gen = ++this.gen;
    this.points = [];
    this.lastT = 0;
    this.undo = null;
    this.onChange();
    const reply = await read();
    // A slow reply for a range or server the user has already left is dropped.
    if (gen !== this.gen) return;
    this.stepMs = Math.max(1, reply.step_s || 1) * 1000;
    this.resolution = reply.resolution || 'raw';
    this.points = (reply.points || []).map(toPoint).filter((p) => Number.isFinite(p.t)).sort((a, b) => a.t - b.t);
    this.lastT = this.points.length ? this.points[this.points.length - 1].t : 0;
    this.undo = null;
    this.onChange();
  }

  append(snapshot) {
    const p = toPoint(snapshot);
    if (!Number.isFinite(p.t)) return;
    if (this.fixed && p.t > this.fixed[1]) return; // a window in the past does not grow
    if (p.t < this.lastT) return;
    // The newest sample again: more of its frames arrived, or the socket replays what the HTTP read delivered. Its
    // point is redone, so a sample counts once in a step's mean whatever way its parts came in.
    if (p.t === this.lastT) {
      if (!this.undo) return;
      this.undo();
    }
    this.lastT = p.t;
    const bucket = Math.floor(p.t / this.stepMs) * this.stepMs;
    const last = this.points[this.points.length - 1];
    if (last && this.stepMs > 1000 && Math.floor(last.t / this.stepMs) * this.stepMs === bucket) {
      const before = { ...last };
      this.undo = () => {
        for (const k of Object.keys(last)) if (!(k in before)) delete last[k];
        Object.assign(last, before);
      };
      // Running mean per field; a field absent in one sample does not drag the mean toward 0.
      for (const k of averaged(last, p)) {
        // Each field keeps its own count, pinned before the sample count moves on: a sample without the field must
        // not count toward its mean later (node --test ui/test: history.test.js).
        const n = last[`n_${k}`] ?? (last[k] == null ? 0 : last.n);
        last[`n_${k}`] = n;
        if (p[k] == null) continue;
        last[k] = last[k] == null ? p[k] : (last[k] * n + p[k]) / (n + 1);
        last[`n_${k}`] = n + 1;
      }
      last.n += 1;
      if (p.label) last.label = p.label;
    } else {
      const pt = this.stepMs > 1000 ? { ...p, t: Math.max(bucket, last ? last.t + 1 : bucket) } : p;
      this.points.push(pt);
      this.undo = () => {
        const i = this.points.lastIndexOf(pt);
        if (i >= 0) this.points.splice(i, 1);
      };
    }
    if (!this.fixed) {
      const cutoff = Date.now() - this.minutes * 60e3;
      while (this.points.length && this.points[0].t < cutoff) this.points.shift();
    }
    this.onChange();
  }

  range() {
    if (this.fixed) return this.fixed;
    const now = Date.now();
    return [now - this.minutes * 60e3, now];
  }
}
