// Hand-drawn canvas time-series charts: a few hundred to ~1,000 points per series, redrawn only when data or size
// changes. Drawn at devicePixelRatio so lines stay crisp on HiDPI screens.

import { esc, has } from './format.js';
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
    this.hover = null;
    new ResizeObserver(() => this.draw()).observe(this.canvas);
    this.canvas.addEventListener('mousemove', (e) => this.onHover(e));
    this.canvas.addEventListener('mouseleave', () => { this.hover = null; this.draw(); });
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
    this.draw();
  }

  onHover(e) {
    const r = this.canvas.getBoundingClientRect();
    this.hover = e.clientX - r.left;
    this.draw();
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
    let max = this.opt.max || (this.opt.maxFrom && this.opt.maxFrom(this.points));
    if (!max) {
      max = 0;
      for (const p of this.points) for (const s of series) { const v = s.get(p); if (has(v) && v > max) max = v; }
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
    series.forEach((s, si) => {
      g.strokeStyle = s.color;
      g.lineWidth = 1.5;
      g.lineJoin = 'round';
      const runs = [];
      let run = [];
      let prevT = null;
      for (const p of this.points) {
        const v = s.get(p);
        if (!has(v) || p.t < t0) { if (run.length) runs.push(run); run = []; prevT = null; continue; }
        if (prevT !== null && p.t - prevT > gapMs) { runs.push(run); run = []; }
        run.push([x(p.t), y(v)]);
        prevT = p.t;
      }
      if (run.length) runs.push(run);
      for (const r of runs) {
        if (si === 0 && !s.noFill) {
          const grad = g.createLinearGradient(0, pad.t, 0, pad.t + ph);
          grad.addColorStop(0, s.color + '55');
          grad.addColorStop(1, s.color + '05');
          g.fillStyle = grad;
          g.beginPath();
          g.moveTo(r[0][0], pad.t + ph);
          for (const [px, py] of r) g.lineTo(px, py);
          g.lineTo(r[r.length - 1][0], pad.t + ph);
          g.closePath();
          g.fill();
        }
        g.beginPath();
        r.forEach(([px, py], i) => (i ? g.lineTo(px, py) : g.moveTo(px, py)));
        if (r.length === 1) g.arc(r[0][0], r[0][1], 1.5, 0, 2 * Math.PI);
        g.stroke();
      }
    });

    // Crosshair: the legend shows the hovered point instead of the latest one.
    let shown = this.points[this.points.length - 1];
    if (this.hover !== null && this.points.length) {
      const t = t0 + ((this.hover - pad.l) / pw) * (t1 - t0);
      shown = nearest(this.points, t);
      const xx = Math.round(x(shown.t)) + 0.5;
      g.strokeStyle = css('--muted');
      g.setLineDash([3, 3]);
      g.beginPath(); g.moveTo(xx, pad.t); g.lineTo(xx, pad.t + ph); g.stroke();
      g.setLineDash([]);
    }
    this.renderLegend(shown, this.hover !== null);
  }

  renderLegend(p, hovering) {
    if (!this.legend) return;
    const when = hovering && p ? `<span class="when">${esc(new Date(p.t).toLocaleTimeString([], { hour12: false }))}</span>` : '';
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

  /** Replaces the lines drawn (e.g. one per GPU, as GPUs appear or one is chosen). */
  setSeries(series) {
    this.opt.series = series;
    this.draw();
  }

  set(points, range, stepMs) {
    this.points = points;
    this.range = range;
    this.stepMs = stepMs;
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
  const steps = [60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3, 7200e3, 10800e3, 21600e3, 43200e3];
  const step = steps.find((s) => span / s <= n) || 86400e3;
  const out = [];
  // Ticks fall on local wall-clock multiples so they read as "14:30", not "14:27".
  const off = new Date(t0).getTimezoneOffset() * 60e3;
  for (let t = Math.ceil((t0 - off) / step) * step + off; t <= t1; t += step) out.push(t);
  return out;
}

function label(t, span) {
  const d = new Date(t);
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
}
