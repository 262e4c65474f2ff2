// Chart data: one fetch of /api/metrics/history/ per range or server change, then live snapshots folded into the
// reply's own step, so a 24 h chart at 60 s steps gains averaged 60 s points rather than a spray of raw ones.

import { api } from './api.js';
import { ratio } from './format.js';
import { Columns } from './columns.js';

export const RANGES = { '15m': 15, '1h': 60, '6h': 360, '24h': 1440, '7d': 7 * 1440, '30d': 30 * 1440 };

// The chart fields, named after section 4: each is a column (columns.js), absent values NaN.
const FIXED = ['cpu', 'iowait', 'ram', 'ramTotal', 'swap', 'gpuAvg', 'gpuMax', 'gpuMem', 'tempMax', 'read', 'write', 'up',
  'down'];
const num = (v) => (typeof v === 'number' ? v : NaN);
const ratioOrNaN = (used, total) => num(ratio(used, total));

/**
 * Writes the chart fields of history points or derived snapshots into rows of `c`. Straight-line reads of fixed
 * keys (each read site sees one shape of object), into arrays resolved once: the arrays must not be replaced while
 * the writer is used, so make the room first (a reply reserves all its rows, a live sample pushes its row first).
 * @returns {(i: number, s: object) => void}
 */
function writer(c) {
  const [cpu, iowait, ram, ramTotal, swap, gpuAvg, gpuMax, gpuMem, tempMax, read, write, up, down] = FIXED.map((k) => c.ensure(k));
  const gpus = []; // GPU index → its [u, m, t, p] columns
  const gpuCols = (index) => gpus[index] || (gpus[index] = ['u', 'm', 't', 'p'].map((k) => c.ensure(gpuKey(index, k))));
  return (i, s) => {
    const cs = s.cpu;
    const ms = s.memory;
    const ds = s.disk;
    const ns = s.network;
    cpu[i] = num(cs?.utilization);
    iowait[i] = num(cs?.iowait);
    ram[i] = num(ms?.ram_used);
    ramTotal[i] = num(ms?.ram_total);
    swap[i] = num(ms?.swap_used);
    gpuAvg[i] = num(s.gpu_util_avg);
    gpuMax[i] = num(s.gpu_util_max);
    gpuMem[i] = ratioOrNaN(s.gpu_memory_used, s.gpu_memory_total);
    read[i] = num(ds?.read_rate);
    write[i] = num(ds?.write_rate);
    up[i] = num(ns?.upload_rate);
    down[i] = num(ns?.download_rate);
    // Each GPU's own figures (issue 16), as columns of their own: g<index><kind>.
    let hottest = NaN;
    for (const g of s.gpus || []) {
      const k = g.index;
      if (!Number.isInteger(k) || k < 0) continue;
      const gc = gpuCols(k);
      const temp = num(g.temperature);
      gc[0][i] = num(g.utilization);
      gc[1][i] = ratioOrNaN(g.memory_used, g.memory_total);
      gc[2][i] = temp;
      gc[3][i] = num(g.power);
      if (temp === temp && !(temp <= hottest)) hottest = temp; // the first known one, then any hotter
    }
    tempMax[i] = hottest;
    c.labels[i] = s.bottleneck?.label ?? null;
  };
}

/** A history reply's points as columns, in time order; points without a readable time are left out. */
export function columnsOf(points) {
  const n = points.length;
  const ts = new Float64Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    ts[i] = Date.parse(points[i].ts);
    if (!(ts[i] >= (i ? ts[i - 1] : -Infinity))) sorted = false; // NaN fails too
  }
  const order = sorted ? null : [...ts.keys()].filter((i) => Number.isFinite(ts[i])).sort((a, b) => ts[a] - ts[b]);
  const c = new Columns(Math.max(64, n));
  const write = writer(c);
  const m = order ? order.length : n;
  for (let j = 0; j < m; j++) {
    const i = order ? order[j] : j;
    write(c.push(ts[i]), points[i]);
  }
  return c;
}

/** A GPU figure's column: kind u (utilization %), m (memory %), t (temperature °C), p (power W). */
export const gpuKey = (index, kind) => `g${index}${kind}`;
const GPU_KEY = /^g(\d+)[umtp]$/;

/** The GPU indices that have a value in any row, in order. */
export function gpuIndices(c) {
  const seen = new Set();
  for (const k of c.keys()) {
    const m = GPU_KEY.exec(k);
    if (m && c.any(k)) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

export class History {
  constructor(onChange) {
    this.onChange = onChange;
    this.cols = new Columns();
    this.stepMs = 1000;
    this.resolution = 'raw';
    this.minutes = 60;
    this.fixed = null; // [from, to] in ms for a zoom or a custom range; null follows now
    this.server = null;
    this.gen = 0;
    this.lastT = 0;
    this.undo = null; // takes the newest sample's contribution back out, so the same sample can be folded again
    // The newest row's sample count, and per field how many of those samples had it (pinned as samples fold in).
    this.rowN = 1;
    this.counts = new Map();
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
    this.take(new Columns());
    this.onChange();
    const reply = await read();
    // A slow reply for a range or server the user has already left is dropped.
    if (gen !== this.gen) return;
    this.stepMs = Math.max(1, reply.step_s || 1) * 1000;
    this.resolution = reply.resolution || 'raw';
    this.take(columnsOf(reply.points || []));
    this.onChange();
  }

  take(cols) {
    this.cols = cols;
    this.lastT = cols.length ? cols.t[cols.end - 1] : 0;
    this.undo = null;
    this.rowN = 1;
    this.counts = new Map();
  }

  append(snapshot) {
    const t = Date.parse(snapshot.ts);
    if (!Number.isFinite(t)) return;
    if (this.fixed && t > this.fixed[1]) return; // a window in the past does not grow
    if (t < this.lastT) return;
    // The newest sample again: more of its frames arrived, or the socket replays what the HTTP read delivered. Its
    // row is redone, so a sample counts once in a step's mean whatever way its parts came in.
    if (t === this.lastT) {
      if (!this.undo) return;
      this.undo();
    }
    this.lastT = t;
    const c = this.cols;
    const step = this.stepMs;
    const bucket = Math.floor(t / step) * step;
    const last = c.end - 1;
    const rowN = this.rowN;
    const counts = this.counts;
    if (last >= c.start && step > 1000 && Math.floor(c.t[last] / step) * step === bucket) {
      const before = c.save(last);
      this.counts = new Map(counts);
      this.undo = () => {
        c.restore(last, before);
        this.rowN = rowN;
        this.counts = counts;
      };
      this.fold(last, snapshot);
    } else {
      const i = c.push(step > 1000 ? Math.max(bucket, last >= c.start ? c.t[last] + 1 : bucket) : t);
      writer(c)(i, snapshot);
      this.rowN = 1;
      this.counts = new Map();
      this.undo = () => {
        if (c.end - 1 === i) c.pop();
        this.rowN = rowN;
        this.counts = counts;
      };
    }
    if (!this.fixed) c.dropBefore(Date.now() - this.minutes * 60e3);
    this.onChange();
  }

  /** Folds a sample into row `last` as a running mean per field; a field absent in it does not drag the mean to 0. */
  fold(last, snapshot) {
    const c = this.cols;
    const s = new Columns(1);
    writer(s)(s.push(0), snapshot);
    for (const k of s.keys()) c.ensure(k);
    for (const [k, col] of c.cols) {
      // Each field keeps its own count, pinned before the sample count moves on: a sample without the field must
      // not count toward its mean later (node --test ui/test: history.test.js).
      const n = this.counts.get(k) ?? (col[last] === col[last] ? this.rowN : 0);
      this.counts.set(k, n);
      const v = s.cols.get(k)?.[0];
      if (v === undefined || v !== v) continue;
      col[last] = col[last] !== col[last] ? v : (col[last] * n + v) / (n + 1);
      this.counts.set(k, n + 1);
    }
    this.rowN += 1;
    if (s.labels[0]) c.labels[last] = s.labels[0];
  }

  range() {
    if (this.fixed) return this.fixed;
    const now = Date.now();
    return [now - this.minutes * 60e3, now];
  }
}
