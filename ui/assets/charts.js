// Hand-drawn canvas time-series charts: a few hundred to ~1,000 points per series, redrawn only when data or size
// changes. Drawn at devicePixelRatio so lines stay crisp on HiDPI screens.

import { esc } from './format.js';
import { setHtml } from './dom.js';

// Left gutter shared by every chart and the label strip so their time axes line up.
const AXIS_W = 66;

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export class TimeChart {
  /**
   * @param {HTMLElement} host  element with a .legend and a canvas inside
   * @param {object} opt  {series: [{key, label, color, get(point), format(v) (this series' own, else opt's)}],
   *   format(v, axis), max (fixed, e.g. 100) | maxFrom(points)}
   */
  constructor(host, opt) {
    this.host = host;
    this.opt = opt;
    this.canvas = host.querySelector('canvas');
    this.legend = host.querySelector('.legend');
    this.points = [];
    this.range = [Date.now() - 3600e3, Date.now()];
    this.stepMs = 1000;
    this.sync = null; // the ChartSync this chart shares its cursor and zoom with
    this.hoverT = null; // without a sync: this chart's own hovered time
    this.dragFrom = null; // where a drag-to-zoom started (ms), while the button is down
    this.dragTo = null;
    new ResizeObserver(() => this.draw()).observe(this.canvas);
    this.canvas.addEventListener('mousemove', (e) => this.onMove(e));
    this.canvas.addEventListener('mouseleave', () => { this.dragFrom = null; this.setHover(null); });
    this.canvas.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      this.dragFrom = this.timeAt(e);
      this.dragTo = this.dragFrom;
    });
    this.canvas.addEventListener('mouseup', (e) => this.onUp(e));
    this.canvas.addEventListener('dblclick', () => this.sync?.reset());
  }

  /** The time under the pointer, from the plot's geometry (left gutter AXIS_W, right padding 8). */
  timeAt(e) {
    const r = this.canvas.getBoundingClientRect();
    const [t0, t1] = this.range;
    const f = (e.clientX - r.left - AXIS_W) / Math.max(1, r.width - AXIS_W - 8);
    return t0 + Math.min(1, Math.max(0, f)) * (t1 - t0);
  }

  onMove(e) {
    const t = this.timeAt(e);
    if (this.dragFrom !== null) this.dragTo = t;
    this.setHover(t);
  }

  /** A drag wider than a few pixels zooms every chart of the sync to it; a click is only a click. */
  onUp(e) {
    if (this.dragFrom === null) return;
    const a = this.dragFrom;
    const b = this.timeAt(e);
    this.dragFrom = null;
    const [t0, t1] = this.range;
    const px = (Math.abs(b - a) / (t1 - t0)) * (this.canvas.clientWidth - AXIS_W - 8);
    if (px >= 6 && this.sync) this.sync.zoom(Math.min(a, b), Math.max(a, b));
    else this.draw();
  }

  setHover(t) {
    if (this.sync) this.sync.hover(t);
    else { this.hoverT = t; this.draw(); }
  }

  /** Replaces the lines drawn (e.g. one per GPU, as GPUs appear or one is chosen). */
  setSeries(series) {
    this.opt.series = series;
    this.draw();
  }

  set(points, range, stepMs) {
    this.points = points;
    this.range = range;
    this.stepMs = stepMs;
    this.version = (this.version || 0) + 1; // the data may have changed in place (a live sample folded in)
    this.draw();
  }

  /**
   * Each series' values as a typed array beside the points' times. Reading a value out of a point object costs ~35 ns
   * (the key differs per series), so they are read once per point, not once per draw: a history load reads them all,
   * a live sample only itself. The newest point is read again every time, since a live sample folded into its step
   * changes it in place; anything else (a new load, points dropped from the front, other series) starts over.
   */
  columns() {
    const pts = this.points;
    const series = this.opt.series;
    let c = this.cols;
    if (!c || c.points !== pts || c.series !== series || c.n > pts.length || (c.n > 1 && c.t[0] !== pts[0].t)) {
      const cap = Math.max(64, Math.ceil(pts.length * 1.25));
      c = this.cols = { points: pts, series, n: 0, t: new Float64Array(cap), vals: series.map(() => new Float64Array(cap)) };
    }
    if (pts.length > c.t.length) {
      const cap = Math.ceil(pts.length * 1.5);
      const grow = (a) => { const b = new Float64Array(cap); b.set(a.subarray(0, c.n)); return b; };
      c.t = grow(c.t);
      c.vals = c.vals.map(grow);
    }
    const from = Math.max(0, c.n - 1);
    // Point by point, every series at once: each point object is read while it is in cache (twice as fast as one
    // pass per series over 86,400 points).
    const gets = series.map((s) => s.get);
    const vals = c.vals;
    for (let i = from; i < pts.length; i++) {
      const p = pts[i];
      c.t[i] = p.t;
      for (let k = 0; k < gets.length; k++) {
        const x = gets[k](p);
        vals[k][i] = typeof x === 'number' ? x : NaN;
      }
    }
    c.n = pts.length;
    return c;
  }

  draw() {
    const fit = fitCanvas(this.canvas);
    if (!fit) return;
    const { g, w, h } = fit;

    const pad = { l: AXIS_W, r: 8, t: 6, b: 18 };
    const pw = w - pad.l - pad.r;
    const ph = h - pad.t - pad.b;
    const [t0, t1] = this.range;
    const x = (t) => pad.l + ((t - t0) / (t1 - t0)) * pw;
    const { series, format } = this.opt;
    const c = this.columns();
    let max = this.opt.max || (this.opt.maxFrom && this.opt.maxFrom(this.points));
    if (!max) {
      max = 0;
      for (const v of c.vals) for (let i = 0; i < c.n; i++) if (v[i] > max) max = v[i]; // NaN compares false
      max = niceMax(max || 1);
    }
    const y = (v) => pad.t + ph - (Math.min(v, max) / max) * ph;

    // Grid and axes.
    g.font = `11px ${css('--font-mono') || 'monospace'}`;
    g.fillStyle = css('--muted');
    g.strokeStyle = css('--grid');
    g.lineWidth = 1;
    g.textBaseline = 'middle';
    g.textAlign = 'right';
    for (let i = 0; i <= 4; i++) {
      const v = (max * i) / 4;
      const yy = Math.round(y(v)) + 0.5;
      g.beginPath(); g.moveTo(pad.l, yy); g.lineTo(w - pad.r, yy); g.stroke();
      // An empty chart gets no scale: "0 B/s … 1 B/s" would read as a measurement.
      if (i > 0 && this.points.length) g.fillText(format(v, true), pad.l - 6, yy);
    }
    g.textAlign = 'center';
    g.textBaseline = 'alphabetic';
    for (const t of timeTicks(t0, t1, Math.max(2, Math.floor(pw / 110)))) {
      g.fillText(label(t, t1 - t0), x(t), h - 4);
    }

    // A hole longer than a few steps is drawn as a hole: missing data is not interpolated across.
    const gapMs = Math.max(this.stepMs * 3.5, 5000);
    // Only the points in view are walked; when there are more than two per pixel column, each column is drawn as
    // its first, lowest, highest and last value (min/max decimation), so a month at 1 s costs what the width costs.
    // The lines only change with the data, the range, the size or the series: a cursor moving over the chart
    // redraws the cached lines instead of walking every point again.
    const key = `${this.version}|${t0}|${t1}|${w}|${h}|${max}`;
    if (this.cache?.key !== key || this.cache.series !== series) {
      const from = Math.max(0, lowerBound(this.points, t0) - 1);
      const to = Math.min(this.points.length, lowerBound(this.points, t1) + 1);
      let cols = null;
      if (to - from > pw * 2) {
        // Each point's pixel column, once for every series.
        cols = new Int32Array(to - from);
        const kx = pw / (t1 - t0);
        for (let i = from; i < to; i++) cols[i - from] = Math.round(pad.l + (c.t[i] - t0) * kx);
      }
      this.cache = { key, series, runs: c.vals.map((v) => (cols
        ? decimated(c.t, v, from, to, cols, y, gapMs)
        : plain(c.t, v, from, to, x, y, gapMs))) };
    }
    series.forEach((s, si) => {
      g.strokeStyle = s.color;
      g.lineWidth = 1.5;
      g.lineJoin = 'round';
      const runs = this.cache.runs[si];
      g.save();
      g.beginPath();
      g.rect(pad.l, 0, pw, h);
      g.clip();
      for (const r of runs) {
        if (si === 0 && !s.noFill) {
          const grad = g.createLinearGradient(0, pad.t, 0, pad.t + ph);
          grad.addColorStop(0, s.color + '55');
          grad.addColorStop(1, s.color + '05');
          g.fillStyle = grad;
          g.beginPath();
          g.moveTo(r[0], pad.t + ph);
          for (let i = 0; i < r.length; i += 2) g.lineTo(r[i], r[i + 1]);
          g.lineTo(r[r.length - 2], pad.t + ph);
          g.closePath();
          g.fill();
        }
        g.beginPath();
        g.moveTo(r[0], r[1]);
        for (let i = 2; i < r.length; i += 2) g.lineTo(r[i], r[i + 1]);
        if (r.length === 2) g.arc(r[0], r[1], 1.5, 0, 2 * Math.PI);
        g.stroke();
      }
      g.restore();
    });

    // A drag in progress: the band it would zoom to.
    if (this.dragFrom !== null && this.dragTo !== null && this.dragTo !== this.dragFrom) {
      const a = x(Math.min(this.dragFrom, this.dragTo));
      const b = x(Math.max(this.dragFrom, this.dragTo));
      g.fillStyle = css('--info') + '33';
      g.fillRect(a, pad.t, b - a, ph);
    }

    // Crosshair, at the time hovered on any chart of the sync: the legend shows that point instead of the latest.
    const hoverT = this.sync ? this.sync.hoverT : this.hoverT;
    const hovering = hoverT !== null && hoverT >= t0 && hoverT <= t1 && this.points.length > 0;
    let shown = this.points[this.points.length - 1];
    if (hovering) {
      shown = nearest(this.points, hoverT);
      const xx = Math.round(x(shown.t)) + 0.5;
      g.strokeStyle = css('--muted');
      g.setLineDash([3, 3]);
      g.beginPath(); g.moveTo(xx, pad.t); g.lineTo(xx, pad.t + ph); g.stroke();
      g.setLineDash([]);
    }
    this.renderLegend(shown, hovering);
  }

  renderLegend(p, hovering) {
    if (!this.legend) return;
    const long = this.range[1] - this.range[0] > 86400e3;
    const at = p && (long ? new Date(p.t).toLocaleString([], { hour12: false }) : new Date(p.t).toLocaleTimeString([], { hour12: false }));
    const when = hovering && p ? `<span class="when">${esc(at)}</span>` : '';
    const html = this.opt.series.map((s) =>
      `<span class="key"><i data-bg="${esc(s.color)}"></i>${esc(s.label)} <b>${p ? esc((s.format || this.opt.format)(s.get(p))) : '—'}</b></span>`).join('') + when;
    setHtml(this.legend, html);
  }
}

/** A strip of coloured cells: the bottleneck label over the chart's time range. */
export class LabelStrip {
  constructor(host, colorOf) {
    this.host = host;
    this.canvas = host.querySelector('canvas');
    this.colorOf = colorOf;
    this.points = [];
    this.range = [0, 1];
    this.stepMs = 1000;
    new ResizeObserver(() => this.draw()).observe(this.canvas);
    this.canvas.addEventListener('mousemove', (e) => {
      const r = this.canvas.getBoundingClientRect();
      const [t0, t1] = this.range;
      const t = t0 + ((e.clientX - r.left - AXIS_W) / (r.width - AXIS_W - 8)) * (t1 - t0);
      const p = this.points.length ? nearest(this.points, t) : null;
      this.canvas.title = p && p.label ? `${new Date(p.t).toLocaleTimeString([], { hour12: false })}  ${p.label}` : '';
    });
  }

  set(points, range, stepMs) {
    this.points = points;
    this.range = range;
    this.stepMs = stepMs;
    this.version = (this.version || 0) + 1; // the data may have changed in place (a live sample folded in)
    this.draw();
  }

  draw() {
    const fit = fitCanvas(this.canvas);
    if (!fit) return;
    const { g, w, h } = fit;
    const l = AXIS_W;
    const pw = w - l - 8;
    const [t0, t1] = this.range;
    const x = (t) => l + ((t - t0) / (t1 - t0)) * pw;
    g.fillStyle = css('--grid');
    g.fillRect(l, 0, pw, h);
    const gapMs = Math.max(this.stepMs * 3.5, 5000);
    // Consecutive points with one label are one rectangle: per-point cells leave anti-aliased seams.
    let start = null;
    for (let i = 0; i < this.points.length; i++) {
      const p = this.points[i];
      if (!p.label || p.t < t0) continue;
      if (start === null) start = p.t;
      const next = this.points[i + 1];
      const joined = next && next.label === p.label && next.t - p.t <= gapMs;
      if (joined) continue;
      const end = next && next.t - p.t <= gapMs ? next.t : p.t + this.stepMs;
      g.fillStyle = this.colorOf(p.label);
      const x0 = Math.floor(x(start));
      g.fillRect(x0, 0, Math.max(1, Math.ceil(x(end)) - x0), h);
      start = null;
    }
  }
}

/**
 * Sizes a canvas's backing store to its CSS size × devicePixelRatio (crisp lines on HiDPI screens), only when that
 * changed, and returns a cleared context in CSS pixels; null while the canvas is not laid out.
 */
function fitCanvas(c) {
  const dpr = window.devicePixelRatio || 1;
  const w = c.clientWidth;
  const h = c.clientHeight;
  if (!w || !h) return null;
  if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
  }
  const g = c.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  return { g, w, h };
}

/** Shared by the charts of a page: the hovered time (one crosshair on every chart) and drag-to-zoom. */
export class ChartSync {
  /** @param {(range: [number, number] | null) => void} onZoom a dragged window, or null (double-click: reset) */
  constructor(onZoom) {
    this.charts = [];
    this.hoverT = null;
    this.onZoom = onZoom;
  }

  add(chart) {
    chart.sync = this;
    this.charts.push(chart);
    return chart;
  }

  hover(t) {
    this.hoverT = t;
    for (const c of this.charts) c.draw();
  }

  zoom(t0, t1) {
    this.onZoom([Math.round(t0), Math.round(t1)]);
  }

  reset() {
    this.onZoom(null);
  }
}

/** The runs of a series as flat [x, y, x, y, …] arrays, one point per sample, broken at holes. */
function plain(t, vals, from, to, x, y, gapMs) {
  const runs = [];
  let run = [];
  let prevT = null;
  for (let i = from; i < to; i++) {
    const v = vals[i];
    if (!Number.isFinite(v)) { if (run.length) runs.push(run); run = []; prevT = null; continue; }
    if (prevT !== null && t[i] - prevT > gapMs) { runs.push(run); run = []; }
    run.push(x(t[i]), y(v));
    prevT = t[i];
  }
  if (run.length) runs.push(run);
  return runs;
}

/**
 * As {@link plain}, but at most four points per pixel column (cols: each point's column, from `from`): the column's
 * first, lowest, highest and last value.
 */
function decimated(t, vals, from, to, cols, y, gapMs) {
  const runs = [];
  let run = [];
  let prevT = -1;
  let col = -1;
  // Values, not pixels: a column's four values are turned into y once, at its end, not every point.
  let first = 0;
  let min = 0;
  let max = 0;
  let last = 0;
  const flush = () => {
    if (col < 0) return;
    run.push(col, y(first));
    if (min !== first) run.push(col, y(min));
    if (max !== min) run.push(col, y(max));
    if (last !== max) run.push(col, y(last));
    col = -1;
  };
  for (let i = from; i < to; i++) {
    const v = vals[i];
    const ok = v === v; // not NaN: absent values were stored as NaN
    if (!ok || (prevT >= 0 && t[i] - prevT > gapMs)) {
      flush();
      if (run.length) runs.push(run);
      run = [];
      prevT = -1;
      if (!ok) continue;
    }
    const c = cols[i - from];
    if (c !== col) {
      flush();
      col = c;
      first = min = max = last = v;
    } else {
      if (v < min) min = v;
      if (v > max) max = v;
      last = v;
    }
    prevT = t[i];
  }
  flush();
  if (run.length) runs.push(run);
  return runs;
}

/** The index of the first point at or after t. */
function lowerBound(points, t) {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].t < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function nearest(points, t) {
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].t < t) lo = mid; else hi = mid;
  }
  return Math.abs(points[lo].t - t) <= Math.abs(points[hi].t - t) ? points[lo] : points[hi];
}

function niceMax(v) {
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.25, 2, 2.5, 4, 5, 8, 10]) if (m * e >= v) return m * e;
  return 10 * e;
}

function timeTicks(t0, t1, n) {
  const span = t1 - t0;
  const day = 86400e3;
  const steps = [10e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3, 43200e3,
    day, 2 * day, 7 * day];
  const step = steps.find((s) => span / s <= n) || 14 * day;
  const out = [];
  // Ticks fall on local wall-clock multiples so they read as "14:30", not "14:27".
  const off = new Date(t0).getTimezoneOffset() * 60e3;
  for (let t = Math.ceil((t0 - off) / step) * step + off; t <= t1; t += step) out.push(t);
  return out;
}

/** An axis label that says what the span needs: seconds when zoomed in, days across a week or a month. */
function label(t, span) {
  const d = new Date(t);
  if (span <= 10 * 60e3) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  if (span <= 36 * 3600e3) return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  if (span <= 4 * 86400e3) return d.toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
  return d.toLocaleDateString([], { month: 'short', day: 'numeric' });
}
